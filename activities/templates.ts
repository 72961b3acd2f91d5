/**
 * Turns an OTP message into what a channel sends, in the message's locale (SPEC §6, §12): the
 * tenant's template for the locale (`by_locale`, exact tag then language), else the tenant's
 * default template, else the built-in wording (activities/locales) for the locale, its language,
 * or English. Tenant placeholders: `{{code}}`, `{{expiry_minutes}}`, `{{app_name}}`.
 */
import type { OtpMessage } from './delivery';
import { builtInWording, isRtl, localeChain, minutesPhrase, type LocaleWording } from './locales';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface SmsContent {
  text: string;
}

/**
 * WhatsApp business-initiated messages need a pre-approved Content template. Its variables are
 * positional, and every OTP Content template used with this service must follow one convention:
 * `{{1}}` is the code and `{{2}}` the expiry in minutes, sent as Twilio `ContentVariables`
 * `{"1": "<code>", "2": "<expiry_minutes>"}`. `text` is always rendered too: it is the body when no
 * Content template is configured, and what the dev outbox shows.
 */
export interface WhatsAppContent {
  text: string;
  contentSid?: string;
  contentVariables?: string;
}

/**
 * What a voice call says (TwiML `<Say>` with `language`, `loop` times): the code digit by digit,
 * twice. The built-in sentence repeats the code itself; a tenant's text is said twice.
 */
export interface VoiceContent {
  text: string;
  /** The built-in locale whose voice reads it (activities/twilio.ts maps it to Twilio's). */
  language: string;
  loop: 1 | 2;
}

export type RenderedOtpMessage =
  | ({ channel: 'email' } & EmailContent)
  | ({ channel: 'sms' } & SmsContent)
  | ({ channel: 'whatsapp' } & WhatsAppContent)
  | ({ channel: 'voice' } & VoiceContent);

/** The templates of one locale (or the tenant's default ones). */
interface ChannelTemplates {
  otp_email?: { subject: string; text: string; html?: string };
  otp_sms?: { text: string };
  otp_whatsapp?: { content_sid?: string; text?: string };
  otp_voice?: { text: string };
}

type Values = Record<'code' | 'expiry_minutes' | 'app_name', string>;

const PLACEHOLDER = /\{\{\s*(code|expiry_minutes|app_name)\s*\}\}/g;

function fill(template: string, values: Values, escape: (value: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER, (_match, name: keyof Values) => escape(values[name]));
}

/** Fills the built-in wording's `{app}`, `{code}`, `{minutes}`, `{digits}`. */
function say(wording: string, values: Record<string, string>): string {
  return wording.replace(/\{(app|code|minutes|digits)\}/g, (_match, name: string) => values[name] ?? '');
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function valuesOf(message: OtpMessage): Values {
  return { code: message.code, expiry_minutes: String(message.expiryMinutes), app_name: message.appName };
}

/**
 * The tenant's templates that apply to the message, most specific first: `by_locale` for the
 * exact tag, then for its language, then the tenant's default templates. Keys are compared in
 * canonical form, so `pt-br` in a tenants file still serves `pt-BR`.
 */
function tenantTemplates(message: OtpMessage): ChannelTemplates[] {
  const { templates } = message;
  const byLocale = new Map<string, ChannelTemplates>();
  for (const [key, value] of Object.entries(templates.by_locale ?? {})) {
    try {
      byLocale.set(Intl.getCanonicalLocales(key)[0] ?? key, value);
    } catch {
      byLocale.set(key, value); // a malformed key can never match; keep it out of the way
    }
  }
  // localeChain ends with `en`; the tenant's `en` templates serve English messages only, while
  // other languages fall back to the tenant's default templates.
  const [tag, ...rest] = localeChain(message.locale);
  const language = tag.split('-')[0];
  const found: ChannelTemplates[] = [];
  for (const key of [tag, ...rest.filter((other) => other === language)]) {
    const forTag = byLocale.get(key);
    if (forTag) found.push(forTag);
  }
  found.push(templates);
  return found;
}

function firstOf<T>(
  message: OtpMessage,
  pick: (templates: ChannelTemplates) => T | undefined,
): T | undefined {
  for (const templates of tenantTemplates(message)) {
    const value = pick(templates);
    if (value) return value;
  }
  return undefined;
}

function builtIn(message: OtpMessage): {
  locale: string;
  wording: LocaleWording;
  values: Record<string, string>;
} {
  const { locale, wording } = builtInWording(message.locale);
  const values = {
    app: message.appName,
    code: message.code,
    minutes: minutesPhrase(locale, message.expiryMinutes),
  };
  return { locale, wording, values };
}

/** `lang` (and `dir` for right-to-left scripts) for the `<html>` element. */
function htmlAttributes(locale: string): string {
  return ` lang="${escapeHtml(locale)}"${isRtl(locale) ? ' dir="rtl"' : ''}`;
}

/** Keeps a tenant's plain-text wording when it gave no HTML version. */
function textToHtml(text: string, locale: string): string {
  return `<!doctype html><html${htmlAttributes(locale)}><body><p>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p></body></html>`;
}

function builtInEmail(message: OtpMessage): EmailContent {
  const { locale, wording, values } = builtIn(message);
  const html = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, escapeHtml(value)]));
  return {
    subject: say(wording.subject, values),
    text: `${say(wording.intro, values)} ${message.code}\n\n${say(wording.expiry, values)}`,
    html:
      `<!doctype html><html${htmlAttributes(locale)}>` +
      `<body style="font-family:Arial,Helvetica,sans-serif;color:#222">` +
      `<p>${say(escapeHtml(wording.intro), html)}</p>` +
      // The code reads left to right in every script (an alphanumeric code in an RTL paragraph would not).
      `<p dir="ltr" style="font-size:28px;font-weight:bold;letter-spacing:4px">${html.code}</p>` +
      `<p>${say(escapeHtml(wording.expiry), html)}</p></body></html>`,
  };
}

export function renderEmail(message: OtpMessage): EmailContent {
  const template = firstOf(message, (templates) => templates.otp_email);
  if (!template) return builtInEmail(message);
  const values = valuesOf(message);
  const text = fill(template.text, values);
  return {
    subject: fill(template.subject, values),
    text,
    html: template.html ? fill(template.html, values, escapeHtml) : textToHtml(text, message.locale),
  };
}

export function renderSms(message: OtpMessage): SmsContent {
  const template = firstOf(message, (templates) => templates.otp_sms?.text);
  if (template) return { text: fill(template, valuesOf(message)) };
  const { wording, values } = builtIn(message);
  return { text: say(wording.sms, values) };
}

/** `defaultContentSid` is the operator's Content template (TWILIO_WHATSAPP_CONTENT_SID); the tenant's wins. */
export function renderWhatsApp(message: OtpMessage, defaultContentSid?: string): WhatsAppContent {
  const template = firstOf(message, (templates) => templates.otp_whatsapp?.text);
  let text: string;
  if (template) text = fill(template, valuesOf(message));
  else {
    const { wording, values } = builtIn(message);
    text = say(wording.whatsapp, values);
  }
  const contentSid =
    firstOf(message, (templates) => templates.otp_whatsapp?.content_sid) || defaultContentSid;
  if (!contentSid) return { text };
  const contentVariables = JSON.stringify({ 1: message.code, 2: String(message.expiryMinutes) });
  return { text, contentSid, contentVariables };
}

/**
 * For the voice channel (SPEC §12): the code digit by digit, twice. The tenant's text for the
 * locale (its `{{code}}` spelled out), said twice; else the built-in sentence, which repeats it.
 */
export function renderVoice(message: OtpMessage): VoiceContent {
  const { locale, wording } = builtInWording(message.locale);
  const digits = [...message.code].join(wording.digitSeparator ?? ', ');
  const template = firstOf(message, (templates) => templates.otp_voice?.text);
  if (template)
    return { text: fill(template, { ...valuesOf(message), code: digits }), language: locale, loop: 2 };
  return { text: say(wording.voice, { app: message.appName, digits }), language: locale, loop: 1 };
}

export function renderOtpMessage(message: OtpMessage): RenderedOtpMessage {
  switch (message.channel) {
    case 'email':
      return { channel: 'email', ...renderEmail(message) };
    case 'sms':
      return { channel: 'sms', ...renderSms(message) };
    case 'whatsapp':
      return { channel: 'whatsapp', ...renderWhatsApp(message) };
    case 'voice':
      return { channel: 'voice', ...renderVoice(message) };
  }
}
