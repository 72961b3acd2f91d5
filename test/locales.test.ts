/**
 * Reviews every built-in locale (SPEC §12): placeholders filled on every channel, one SMS segment,
 * right-to-left HTML where the script needs it, plural forms; and how a send's locale is chosen
 * and how tenant templates per locale take precedence.
 */
import fc from 'fast-check';
import type { OtpMessage } from '../activities/delivery';
import {
  BUILT_IN_LOCALES,
  builtInWording,
  isRtl,
  localeChain,
  minutesPhrase,
  resolveLocale,
  supportedLocale,
  UnknownLocale,
} from '../activities/locales';
import { renderEmail, renderSms, renderVoice, renderWhatsApp } from '../activities/templates';

/** `locale` and `templates.by_locale` are new in OtpMessage: typed loosely so this compiles either way. */
type Overrides = Partial<Omit<OtpMessage, 'templates'>> & { locale?: string; templates?: object };

function otp({ templates = {}, ...overrides }: Overrides = {}): OtpMessage {
  // Not a literal typed OtpMessage: `locale` is new there and this compiles with or without it.
  const defaults = {
    channel: 'sms' as const,
    to: '+14155550100',
    code: '482913',
    expiryMinutes: 10,
    appName: 'Acme',
    locale: 'en',
  };
  return { ...defaults, ...overrides, templates: templates as OtpMessage['templates'] };
}

// GSM 03.38: the basic character set (ESC excluded), and the extension table reached through ESC,
// whose characters take two septets.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

/** Septets when every character is GSM-7, else undefined (the message goes as UCS-2). */
function gsm7Length(text: string): number | undefined {
  let septets = 0;
  for (const char of text) {
    if (GSM7_BASIC.has(char)) septets += 1;
    else if (GSM7_EXTENSION.has(char)) septets += 2;
    else return undefined;
  }
  return septets;
}

/** Whether a text fits one SMS segment: 160 GSM-7 septets, else 70 UCS-2 code units. */
function fitsOneSegment(text: string): boolean {
  const septets = gsm7Length(text);
  return septets === undefined ? text.length <= 70 : septets <= 160;
}

const LEFTOVER = /\{\{|\{(app|code|minutes|digits|n)\}/;
const RTL = ['ar', 'he', 'fa', 'ur'];

it('the GSM-7 check counts as GSM 03.38 does', () => {
  expect(gsm7Length('Hello @£$ äöü')).toBe(13);
  expect(gsm7Length('{x}€')).toBe(7);
  expect(gsm7Length('código')).toBeUndefined(); // ó is not GSM-7 (ò is)
  expect(gsm7Length('`')).toBeUndefined();
  expect(fitsOneSegment('a'.repeat(160))).toBe(true);
  expect(fitsOneSegment('a'.repeat(161))).toBe(false);
  expect(fitsOneSegment('ж'.repeat(70))).toBe(true);
  expect(fitsOneSegment('ж'.repeat(71))).toBe(false);
});

it('has at least 30 built-in locales, each with its own wording', () => {
  expect(BUILT_IN_LOCALES.length).toBeGreaterThanOrEqual(30);
  expect(new Set(BUILT_IN_LOCALES).size).toBe(BUILT_IN_LOCALES.length);
  for (const locale of BUILT_IN_LOCALES) {
    expect(Intl.getCanonicalLocales(locale)).toEqual([locale]);
    expect(builtInWording(locale).locale).toBe(locale);
  }
  const smsTexts = BUILT_IN_LOCALES.map((locale) => renderSms(otp({ locale })).text);
  expect(new Set(smsTexts).size).toBe(BUILT_IN_LOCALES.length);
});

describe.each(BUILT_IN_LOCALES.map((locale) => [locale]))('built-in %s', (locale) => {
  const message = otp({ locale });

  it('fills every placeholder in the email, SMS and WhatsApp texts', () => {
    const email = renderEmail({ ...message, channel: 'email', to: 'ada@example.com' });
    const sms = renderSms(message).text;
    const whatsapp = renderWhatsApp(message).text;
    expect(email.subject).toContain('Acme');
    for (const text of [email.text, email.html, sms, whatsapp]) {
      expect(text).toContain('482913');
      expect(text).toContain('Acme');
      expect(text).toContain('10');
      expect(text).not.toMatch(LEFTOVER);
    }
    expect(email.subject).not.toMatch(LEFTOVER);
    expect(whatsapp).toContain('*482913*');
  });

  it('says the code digit by digit, twice, in the voice sentence', () => {
    const voice = renderVoice({ ...message, code: '4829' });
    expect(voice.language).toBe(locale);
    expect(voice.text).toContain('Acme');
    expect(voice.text).not.toMatch(LEFTOVER);
    const spoken = voice.text.match(/4\D{1,3}8\D{1,3}2\D{1,3}9/g);
    expect(spoken).toHaveLength(2);
  });

  it('fits one SMS segment for a 6-digit code, "Acme" and 10 minutes', () => {
    const text = renderSms(message).text;
    expect({ text, fits: fitsOneSegment(text) }).toEqual({ text, fits: true });
  });

  it(`has lang="${locale}"${RTL.includes(locale) ? ' and dir="rtl"' : ', not dir="rtl"'} on the HTML email`, () => {
    const html = renderEmail({ ...message, channel: 'email' }).html;
    expect(html).toMatch(new RegExp(`<html lang="${locale}"`));
    expect(html.includes('dir="rtl"')).toBe(RTL.includes(locale));
    expect(isRtl(locale)).toBe(RTL.includes(locale));
  });

  it('has a minutes phrase for every expiry from 1 to 60', () => {
    for (let n = 1; n <= 60; n++) {
      const phrase = minutesPhrase(locale, n);
      expect(phrase).not.toMatch(LEFTOVER);
      // Arabic and Hebrew say one and two minutes with the noun alone, as they are spoken.
      if (n > 2 || !['ar', 'he'].includes(locale)) expect(phrase).toContain(String(n));
    }
  });
});

describe('plural forms', () => {
  it.each([
    ['en', [1, 2, 10], ['1 minute', '2 minutes', '10 minutes']],
    ['pl', [1, 2, 5, 12, 22, 25], ['1 minutę', '2 minuty', '5 minut', '12 minut', '22 minuty', '25 minut']],
    ['ru', [1, 3, 5, 11, 21, 24], ['1 минуту', '3 минуты', '5 минут', '11 минут', '21 минуту', '24 минуты']],
    ['uk', [1, 2, 5, 21], ['1 хвилину', '2 хвилини', '5 хвилин', '21 хвилину']],
    ['cs', [1, 2, 5], ['1 minutu', '2 minuty', '5 minut']],
    ['ro', [1, 2, 19, 20], ['1 minut', '2 minute', '19 minute', '20 de minute']],
    ['ar', [1, 2, 3, 10, 11, 60], ['دقيقة واحدة', 'دقيقتين', '3 دقائق', '10 دقائق', '11 دقيقة', '60 دقيقة']],
    ['he', [1, 2, 10], ['דקה אחת', 'שתי דקות', '10 דקות']],
    ['fr', [1, 2], ['1 minute', '2 minutes']],
    ['de', [1, 5], ['1 Minute', '5 Minuten']],
    ['tr', [1, 5], ['1 dakika', '5 dakika']],
    ['sw', [1, 5], ['dakika 1', 'dakika 5']],
  ] as const)('%s', (locale, counts, phrases) => {
    expect(counts.map((n) => minutesPhrase(locale, n))).toEqual(phrases);
  });
});

describe('SMS segments, any code and app name (GSM-7 locales)', () => {
  const gsmLocales = BUILT_IN_LOCALES.filter(
    (locale) => gsm7Length(renderSms(otp({ locale })).text) !== undefined,
  );
  // Every printable ASCII character but the backtick, which GSM-7 lacks: the extension ones too.
  const gsmAscii = fc.constantFrom(
    ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((char) => char !== '`'),
  );

  it('are the Latin-script ones', () => {
    expect(gsmLocales).toEqual(
      expect.arrayContaining(['en', 'fr', 'de', 'it', 'nl', 'sv', 'da', 'nb', 'fi', 'id', 'ms', 'sw', 'fil']),
    );
  });

  it('fit one segment for codes of 4–10 alphanumerics, app names up to 30 characters and 1–60 minutes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...gsmLocales),
        fc.stringMatching(/^[0-9A-Z]{4,10}$/),
        fc.string({ unit: gsmAscii, maxLength: 30 }),
        fc.integer({ min: 1, max: 60 }),
        (locale, code, appName, expiryMinutes) => {
          const text = renderSms(otp({ locale, code, appName, expiryMinutes })).text;
          const septets = gsm7Length(text);
          return septets !== undefined && septets <= 160;
        },
      ),
    );
  });
});

describe('resolveLocale', () => {
  it('uses the requested locale, served by the nearest built-in one', () => {
    expect(resolveLocale({ requested: 'de', tenantDefault: 'fr', phoneCountry: 'BR' })).toBe('de');
    expect(resolveLocale({ requested: 'pt-BR' })).toBe('pt-BR');
    expect(resolveLocale({ requested: 'pt-PT' })).toBe('pt');
    expect(resolveLocale({ requested: 'es-MX' })).toBe('es');
    expect(resolveLocale({ requested: 'es-419' })).toBe('es');
    expect(resolveLocale({ requested: 'en-GB' })).toBe('en');
    expect(resolveLocale({ requested: 'zh-CN' })).toBe('zh-CN');
    expect(resolveLocale({ requested: 'zh-Hans' })).toBe('zh-CN');
    expect(resolveLocale({ requested: 'zh-Hant' })).toBe('zh-TW');
    expect(resolveLocale({ requested: 'zh-HK' })).toBe('zh-TW');
    expect(resolveLocale({ requested: 'ar-EG' })).toBe('ar');
    expect(resolveLocale({ requested: 'pt-br' })).toBe('pt-BR');
    expect(resolveLocale({ requested: 'no' })).toBe('nb');
    expect(resolveLocale({ requested: 'iw' })).toBe('he');
    expect(resolveLocale({ requested: 'tl' })).toBe('fil');
  });

  it.each(['xx', 'english', 'en_US', 'en-', '', 'pt-BR-x-private', 'de-DE-1996', 'sr', 'ca', 'ku'])(
    'refuses %p with UnknownLocale naming it',
    (requested) => {
      expect(() => resolveLocale({ requested, tenantDefault: 'en' })).toThrow(UnknownLocale);
      try {
        resolveLocale({ requested });
      } catch (error) {
        expect((error as UnknownLocale).locale).toBe(requested);
        expect((error as Error).message).toContain(JSON.stringify(requested));
      }
    },
  );

  it("else uses the tenant's default locale", () => {
    expect(resolveLocale({ tenantDefault: 'fr', phoneCountry: 'BR' })).toBe('fr');
    expect(resolveLocale({ tenantDefault: 'pt-PT' })).toBe('pt');
    // A default the tenants file should have refused is skipped rather than failing the caller.
    expect(resolveLocale({ tenantDefault: 'xx', phoneCountry: 'JP' })).toBe('ja');
  });

  it("else the language of the phone number's country", () => {
    expect(resolveLocale({ phoneCountry: 'BR' })).toBe('pt-BR');
    expect(resolveLocale({ phoneCountry: 'PT' })).toBe('pt');
    expect(resolveLocale({ phoneCountry: 'IN' })).toBe('hi');
    expect(resolveLocale({ phoneCountry: 'JP' })).toBe('ja');
    expect(resolveLocale({ phoneCountry: 'NG' })).toBe('en');
    expect(resolveLocale({ phoneCountry: 'TW' })).toBe('zh-TW');
    expect(resolveLocale({ phoneCountry: 'IR' })).toBe('fa');
    expect(resolveLocale({ phoneCountry: 'jp' })).toBe('ja');
    expect(resolveLocale({ phoneCountry: 'BY' })).toBe('ru'); // CLDR's likely language there
  });

  it('else English, also for a country whose language is not built in', () => {
    expect(resolveLocale({})).toBe('en');
    expect(resolveLocale({ phoneCountry: 'ET' })).toBe('en'); // Amharic
    expect(resolveLocale({ phoneCountry: 'RS' })).toBe('en'); // Serbian
    expect(resolveLocale({ phoneCountry: 'ZZZ' })).toBe('en');
  });

  it('every built-in locale resolves to itself', () => {
    for (const locale of BUILT_IN_LOCALES) expect(resolveLocale({ requested: locale })).toBe(locale);
  });

  it('resolves any well-formed tag to a built-in locale or refuses it', () => {
    const tag = fc
      .tuple(
        fc.stringMatching(/^[a-z]{2,3}$/),
        fc.option(fc.stringMatching(/^[A-Z]{2}$/), { nil: undefined }),
      )
      .map(([language, region]) => (region ? `${language}-${region}` : language));
    fc.assert(
      fc.property(tag, (requested) => {
        const served = supportedLocale(requested);
        if (served === undefined) expect(() => resolveLocale({ requested })).toThrow(UnknownLocale);
        else expect(BUILT_IN_LOCALES).toContain(resolveLocale({ requested }));
      }),
    );
  });
});

describe('localeChain', () => {
  it('goes from the exact tag to its language to English', () => {
    expect(localeChain('pt-BR')).toEqual(['pt-BR', 'pt', 'en']);
    expect(localeChain('zh-TW')).toEqual(['zh-TW', 'zh', 'en']);
    expect(localeChain('ar')).toEqual(['ar', 'en']);
    expect(localeChain('en-GB')).toEqual(['en-GB', 'en']);
    expect(localeChain('en')).toEqual(['en']);
    expect(localeChain('pt-br')).toEqual(['pt-BR', 'pt', 'en']);
    expect(localeChain('not a tag')).toEqual(['en']);
  });
});

describe('tenant templates per locale', () => {
  const templates = {
    otp_sms: { text: 'default {{code}}' },
    by_locale: {
      'pt-BR': { otp_sms: { text: 'pt-BR {{code}}' } },
      pt: { otp_sms: { text: 'pt {{code}}' }, otp_whatsapp: { content_sid: 'HXpt' } },
      en: { otp_sms: { text: 'en {{code}}' } },
    },
  };

  it('take precedence exact tag → language → tenant default → built-in', () => {
    expect(renderSms(otp({ locale: 'pt-BR', templates })).text).toBe('pt-BR 482913');
    expect(renderSms(otp({ locale: 'pt', templates })).text).toBe('pt 482913');
    expect(renderSms(otp({ locale: 'pt-PT', templates })).text).toBe('pt 482913');
    expect(renderSms(otp({ locale: 'de', templates })).text).toBe('default 482913');
    expect(renderSms(otp({ locale: 'en', templates })).text).toBe('en 482913');
    expect(renderSms(otp({ locale: 'en-GB', templates })).text).toBe('en 482913');
    const withoutDefault = { by_locale: templates.by_locale };
    expect(renderSms(otp({ locale: 'de', templates: withoutDefault })).text).toBe(
      renderSms(otp({ locale: 'de' })).text,
    );
    expect(renderSms(otp({ locale: 'de' })).text).toContain('Bestätigungscode');
  });

  it('match keys in any case', () => {
    const lower = { by_locale: { 'pt-br': { otp_sms: { text: 'lower {{code}}' } } } };
    expect(renderSms(otp({ locale: 'pt-BR', templates: lower })).text).toBe('lower 482913');
  });

  it('resolve the WhatsApp text and Content SID each through the chain', () => {
    const rendered = renderWhatsApp(otp({ channel: 'whatsapp', locale: 'pt-BR', templates }), 'HXdefault');
    expect(rendered.contentSid).toBe('HXpt');
    expect(rendered.text).toContain('*482913*'); // no WhatsApp text anywhere: the built-in pt-BR one
    expect(rendered.text).toContain('seu código');
    expect(JSON.parse(rendered.contentVariables ?? '')).toEqual({ 1: '482913', 2: '10' });
    expect(renderWhatsApp(otp({ locale: 'de', templates }), 'HXdefault').contentSid).toBe('HXdefault');
  });

  it('give the derived HTML email the lang and dir of the locale', () => {
    const html = renderEmail(
      otp({
        channel: 'email',
        locale: 'ar',
        templates: { by_locale: { ar: { otp_email: { subject: 's', text: 'رمز {{code}}' } } } },
      }),
    ).html;
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('رمز 482913');
  });
});

describe('built-in fallbacks', () => {
  it('serves a message whose locale is not built in from its language, else English', () => {
    expect(renderSms(otp({ locale: 'pt-PT' })).text).toBe(renderSms(otp({ locale: 'pt' })).text);
    expect(renderSms(otp({ locale: 'zh' })).text).toBe(renderSms(otp({ locale: 'zh-CN' })).text);
    expect(renderSms(otp({ locale: 'xx' })).text).toBe(renderSms(otp({ locale: 'en' })).text);
  });

  it('keeps the code out of an UnknownLocale error', () => {
    expect(new UnknownLocale('x'.repeat(100)).message.length).toBeLessThan(200);
  });

  it('judges the direction of a locale that is not built in by its script', () => {
    expect(isRtl('ps')).toBe(true);
    expect(isRtl('yi')).toBe(true);
    expect(isRtl('ar-EG')).toBe(true);
    expect(isRtl('sr')).toBe(false);
    expect(isRtl('not a tag')).toBe(false);
  });
});
