/**
 * Locales (SPEC §12): which locales have built-in wording, how a send's locale is chosen
 * (requested → tenant default → the phone number's country → `en`), and the fallback chain
 * used to look templates up (`pt-BR` → `pt` → `en`).
 */
import { match } from '@formatjs/intl-localematcher';
import { WORDING, type LocaleWording, type PluralCategory } from './wording';

export type { LocaleWording } from './wording';

const DEFAULT_LOCALE = 'en';

/** Every locale with built-in wording for every channel. */
export const BUILT_IN_LOCALES: readonly string[] = Object.freeze(Object.keys(WORDING));

const wordings: Readonly<Record<string, LocaleWording>> = WORDING;

/** A requested locale that is malformed or that no built-in locale serves. Never carries a code. */
export class UnknownLocale extends Error {
  constructor(readonly locale: string) {
    // Truncated: the tag comes from the caller and ends up in a 400 response and in logs.
    super(
      `Unknown locale ${JSON.stringify(locale.slice(0, 35))}: expected a BCP 47 tag such as "en" or "pt-BR" of a supported language`,
    );
    this.name = 'UnknownLocale';
  }
}

/**
 * `ll` or `ll-RR` as the contract says, plus the forms people use for the same thing: a 3-letter
 * language (`fil`), a UN M.49 region (`es-419`) and a script (`zh-Hans`, `zh-Hant`).
 */
const TAG = /^[a-z]{2,3}(?:-(?:[a-z]{2}|\d{3}|[a-z]{4}))?$/i;

/**
 * Languages a built-in locale serves although their code differs: Norwegian (`no`) and Nynorsk
 * readers get Bokmål. Other near-languages the matcher would accept (Catalan → Spanish,
 * Kurdish → Turkish) are refused: the caller should choose, not be given another language.
 */
const SERVED_BY: Readonly<Record<string, string>> = { no: 'nb', nn: 'nb' };

function canonical(tag: string): string | undefined {
  if (!TAG.test(tag)) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

const languageOf = (tag: string): string => new Intl.Locale(tag).language;

/**
 * The built-in locale serving a well-formed tag (`pt-PT` → `pt`, `es-MX` → `es`, `zh-Hans` →
 * `zh-CN`, `zh-HK` → `zh-TW`, `iw` → `he`), or undefined. Also what a tenants-file parser can use
 * to check a `default_locale`.
 */
export function supportedLocale(tag: string): string | undefined {
  const tagCanonical = canonical(tag);
  if (!tagCanonical) return undefined;
  // Lookup first (BCP 47 truncation: pt-BR is pt-BR, pt-PT is pt), then best fit for what only the
  // likely-subtags data knows (zh-HK → zh-TW, zh-Hans → zh-CN, no → nb).
  const lookedUp = match([tagCanonical], BUILT_IN_LOCALES, DEFAULT_LOCALE, { algorithm: 'lookup' });
  const found =
    lookedUp !== DEFAULT_LOCALE || languageOf(tagCanonical) === DEFAULT_LOCALE
      ? lookedUp
      : match([tagCanonical], BUILT_IN_LOCALES, DEFAULT_LOCALE);
  const language = languageOf(tagCanonical);
  const wanted = SERVED_BY[language] ?? language;
  if (languageOf(found) === wanted) return found;
  // A region the matcher knows nothing of (private use such as XA, a rare M.49 code) of a served
  // language is still that language: its first built-in locale.
  return BUILT_IN_LOCALES.find((locale) => languageOf(locale) === wanted);
}

/** The built-in locale of the main language of a country (ISO 3166-1 alpha-2), or undefined. */
function countryLocale(country: string): string | undefined {
  if (!/^[a-z]{2}$/i.test(country)) return undefined;
  const likely = new Intl.Locale(`und-${country.toUpperCase()}`).maximize();
  if (!likely.region) return undefined;
  return supportedLocale(`${likely.language}-${likely.region}`);
}

export interface LocaleRequest {
  /** The `locale` of the send, if given: must be served, else UnknownLocale. */
  requested?: string;
  /** The tenant's `default_locale`. */
  tenantDefault?: string;
  /** The country of a phone recipient (ISO 3166-1 alpha-2, as libphonenumber gives it). */
  phoneCountry?: string;
}

/**
 * The built-in locale a send uses (SPEC §12): the requested one (throws UnknownLocale when it is
 * malformed or not served); else the tenant's default; else the main language of the phone's
 * country when served (BR → pt-BR, IN → hi, NG → en); else `en`. A tenant default that is not
 * served is skipped: it is the operator's mistake, not the caller's, and the tenants file
 * should have refused it.
 */
export function resolveLocale(request: LocaleRequest): string {
  if (request.requested !== undefined) {
    const found = supportedLocale(request.requested);
    if (!found) throw new UnknownLocale(request.requested);
    return found;
  }
  const fromTenant = request.tenantDefault ? supportedLocale(request.tenantDefault) : undefined;
  if (fromTenant) return fromTenant;
  const fromCountry = request.phoneCountry ? countryLocale(request.phoneCountry) : undefined;
  return fromCountry ?? DEFAULT_LOCALE;
}

/**
 * Where to look a locale's templates up, most specific first, ending with `en`:
 * `pt-BR` → ['pt-BR', 'pt', 'en'], `en-GB` → ['en-GB', 'en'], `ar` → ['ar', 'en'].
 */
export function localeChain(locale: string): string[] {
  let tag = locale;
  try {
    tag = Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    return [DEFAULT_LOCALE];
  }
  return [...new Set([tag, languageOf(tag), DEFAULT_LOCALE])];
}

/** Whether a locale is written right to left (Arabic, Hebrew, Persian, Urdu, …). */
export function isRtl(locale: string): boolean {
  const built = wordingOf(locale);
  if (built) return built.rtl === true;
  try {
    // Not built in (a tenant's own locale): judge by the script it is likely written in.
    const script = new Intl.Locale(locale).maximize().script ?? '';
    return ['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg'].includes(script);
  } catch {
    return false;
  }
}

function wordingOf(locale: string): LocaleWording | undefined {
  if (Object.hasOwn(wordings, locale)) return wordings[locale];
  const served = supportedLocale(locale);
  return served ? wordings[served] : undefined;
}

/**
 * The built-in wording for a locale: exact, else the built-in locale serving it (`pt-PT` → `pt`),
 * else English. Returns the locale whose wording it is, for `lang` attributes and plurals.
 */
export function builtInWording(locale: string): { locale: string; wording: LocaleWording } {
  for (const tag of [locale, supportedLocale(locale)]) {
    if (tag && Object.hasOwn(wordings, tag)) return { locale: tag, wording: wordings[tag] };
  }
  return { locale: DEFAULT_LOCALE, wording: wordings[DEFAULT_LOCALE] };
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** "{n} minutes" in the locale's wording, in the plural form the number takes there. */
export function minutesPhrase(locale: string, count: number): string {
  const { locale: tag, wording } = builtInWording(locale);
  let rules = pluralRules.get(tag);
  if (!rules) pluralRules.set(tag, (rules = new Intl.PluralRules(tag)));
  const category = rules.select(count) as PluralCategory;
  return (wording.minutes[category] ?? wording.minutes.other).replace('{n}', String(count));
}
