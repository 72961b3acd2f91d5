/**
 * Locales over HTTP against the real API, worker and dev server (SPEC §12): the send's locale, the
 * tenant's default, the phone number's country's language, `en`; the messages written in it (a
 * tenant's per-locale template first); the detail and the timeline naming it; an unknown locale a
 * validation_error; bad locale settings and templates stopping start-up, named.
 */
import { createHash } from 'node:crypto';
import type { ChannelSender, OtpMessage } from '../activities/delivery';
import { renderSms } from '../activities/templates';
import { parseTenants, type TenantsFile } from '../src/config/tenants';
import { startApiEnv, TENANTS, type ApiTestEnv } from './support/api-env';

jest.setTimeout(120_000);

const KEY = 'sk_live_loc_0123456789abcdef0123456789abcdef';
const DE_KEY = 'sk_live_locde_0123456789abcdef0123456789abcd';
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const tenants: TenantsFile = {
  tenants: [
    ...TENANTS.tenants,
    {
      id: 'loc',
      name: 'Acme',
      api_keys: [{ id: 'loc-live', mode: 'live', sha256: sha256(KEY) }],
      templates: {
        by_locale: { 'pt-BR': { otp_sms: { text: 'Acme: seu código é {{code}} (BR)' } } },
      },
    },
    {
      id: 'locde',
      name: 'Acme',
      api_keys: [{ id: 'locde-live', mode: 'live', sha256: sha256(DE_KEY) }],
      default_locale: 'de',
    },
  ],
};

/** What the SMS sender was asked to send, rendered as Twilio would be given it. */
const texts: { to: string; text: string; locale: string }[] = [];
const sms: ChannelSender = {
  async send(message: OtpMessage) {
    texts.push({ to: message.to, text: renderSms(message).text, locale: message.locale });
    return { providerMessageId: `SM${texts.length}` };
  },
};

let t: ApiTestEnv;
beforeAll(async () => {
  t = await startApiEnv({ senders: { sms }, tenants });
});
afterAll(() => t?.close());

type Json = Record<string, unknown>;
async function send(key: string, body: Json): Promise<{ status: number; body: Json; detail?: Json }> {
  const r = await t.call<Json>('POST', '/api/v1/otp/send', { key, body });
  if (r.status !== 201) return r;
  const detail = await t.call<Json>('GET', `/api/v1/otp/sessions/${String(r.body.session_id)}`, { key });
  return { ...r, detail: detail.body };
}
const lastText = (to: string) => texts.filter((m) => m.to === to).at(-1);

it('writes in the requested locale, else the phone number country’s language, else en', async () => {
  const requested = await send(KEY, { channels: ['sms'], recipients: { sms: '+14155550161' }, locale: 'fr' });
  expect(requested.detail).toMatchObject({ locale: 'fr' });
  const events = requested.detail!.events as Json[];
  expect(events.find((e) => e.type === 'sent')).toMatchObject({ locale: 'fr' });
  expect(lastText('+14155550161')).toMatchObject({ locale: 'fr', text: expect.stringMatching(/code/i) });

  // A Brazilian number, no locale: Portuguese (Brazil), and the tenant's own template for it.
  const brazil = await send(KEY, { channels: ['sms'], recipients: { sms: '+5511987654321' } });
  expect(brazil.detail).toMatchObject({ locale: 'pt-BR' });
  expect(lastText('+5511987654321')?.text).toMatch(/^Acme: seu código é \d{6} \(BR\)$/);

  // A Portuguese number: pt, the built-in wording (the tenant's template is for pt-BR only).
  const portugal = await send(KEY, { channels: ['sms'], recipients: { sms: '+351912345678' } });
  expect(portugal.detail).toMatchObject({ locale: 'pt' });
  expect(lastText('+351912345678')?.text).not.toMatch(/\(BR\)/);

  // Email only, no locale: en.
  const email = await send(KEY, { channels: ['email'], recipients: { email: 'loc@example.com' } });
  expect(email.detail).toMatchObject({ locale: 'en' });
});

it("uses the tenant's default_locale over the phone number's country, and a region of a served language", async () => {
  expect(
    (await send(DE_KEY, { channels: ['sms'], recipients: { sms: '+5511987654322' } })).detail,
  ).toMatchObject({
    locale: 'de',
  });
  expect(
    (await send(DE_KEY, { channels: ['sms'], recipients: { sms: '+5511987654323' }, locale: 'es-MX' }))
      .detail,
  ).toMatchObject({ locale: 'es' });
});

it('answers validation_error for a locale it does not write in', async () => {
  for (const locale of ['xx', 'english', 'ca']) {
    const r = await send(KEY, { channels: ['sms'], recipients: { sms: '+14155550162' }, locale });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      code: 'validation_error',
      details: [expect.objectContaining({ path: 'locale' })],
    });
  }
});

it('stops start-up on an unknown default_locale, a by_locale key it does not serve, or a template without {{code}}', () => {
  const tenant = (extra: object) => ({
    tenants: [
      { id: 'p', name: 'P', api_keys: [{ id: 'k', mode: 'live', sha256: '0'.repeat(64) }], ...extra },
    ],
  });
  expect(() => parseTenants(tenant({ default_locale: 'klingon' }))).toThrow(/tenants\.0\.default_locale/);
  expect(() =>
    parseTenants(tenant({ templates: { by_locale: { xx: { otp_sms: { text: '{{code}}' } } } } })),
  ).toThrow(/tenants\.0\.templates\.by_locale/);
  expect(() => parseTenants(tenant({ templates: { otp_sms: { text: 'Your code' } } }))).toThrow(
    /tenants\.0\.templates\.otp_sms\.text: must contain \{\{code\}\}/,
  );
  expect(() =>
    parseTenants(tenant({ templates: { by_locale: { de: { otp_voice: { text: 'Ihr Code' } } } } })),
  ).toThrow(/tenants\.0\.templates\.by_locale\.de\.otp_voice\.text: must contain \{\{code\}\}/);
  expect(() =>
    parseTenants(
      tenant({ templates: { by_locale: { fr: { otp_email: { subject: 'Code', text: 'Votre code' } } } } }),
    ),
  ).toThrow(/tenants\.0\.templates\.by_locale\.fr\.otp_email\.text/);
});
