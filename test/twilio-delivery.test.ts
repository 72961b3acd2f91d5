import { createServer, type AddressInfo } from 'node:net';
import type { OtpMessage } from '../activities/delivery';
import { BUILT_IN_LOCALES } from '../activities/locales';
import {
  createTwilioSender,
  PERMANENT_TWILIO_ERROR_CODES,
  TWILIO_SAY_LANGUAGES,
  type TwilioSenderOptions,
} from '../activities/twilio';
import { startTwilioFake, type TwilioFake } from './support/twilio-fake';
import { deliveryError, otpMessage, TEST_CODE as CODE } from './support/delivery';

const ACCOUNT_SID = 'AC00000000000000000000000000000001';
const PHONE = '+14155550100';

const otp = (overrides: Partial<OtpMessage> = {}) => otpMessage({ channel: 'sms', to: PHONE }, overrides);

describe('Twilio delivery', () => {
  let fake: TwilioFake;
  let base: TwilioSenderOptions;

  beforeAll(async () => {
    fake = await startTwilioFake();
    base = { accountSid: ACCOUNT_SID, authToken: 'test-token', apiBaseUrl: fake.baseUrl, timeoutMs: 2000 };
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.requests.splice(0));

  it('sends the SMS to the rewritten base URL, from the configured number', async () => {
    const sender = createTwilioSender('sms', { ...base, smsFrom: '+15005550006' });

    const receipt = await sender.send(otp());

    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.requests).toEqual([
      {
        kind: 'message',
        accountSid: ACCOUNT_SID,
        to: PHONE,
        from: '+15005550006',
        body: `${CODE} is your Acme verification code. It expires in 10 minutes. Do not share it.`,
      },
    ]);
  });

  it('sends the SMS through a messaging service, with the tenant template', async () => {
    const sender = createTwilioSender('sms', {
      ...base,
      messagingServiceSid: 'MG0000000000000000000000000000000a',
    });

    await sender.send(otp({ templates: { otp_sms: { text: '{{app_name}}: {{ code }}' } } }));

    expect(fake.requests).toEqual([
      {
        kind: 'message',
        accountSid: ACCOUNT_SID,
        to: PHONE,
        messagingServiceSid: 'MG0000000000000000000000000000000a',
        body: `Acme: ${CODE}`,
      },
    ]);
  });

  it('sends WhatsApp text with whatsapp: addresses when no Content template is configured', async () => {
    const sender = createTwilioSender('whatsapp', { ...base, whatsappFrom: '+15005550007' });

    await sender.send(otp({ channel: 'whatsapp' }));

    const [request] = fake.requests;
    expect(request).toMatchObject({ to: `whatsapp:${PHONE}`, from: 'whatsapp:+15005550007' });
    expect(request.body).toContain(CODE);
    expect(request.contentSid).toBeUndefined();
  });

  it('sends a WhatsApp Content template with code and expiry as variables 1 and 2', async () => {
    const sender = createTwilioSender('whatsapp', {
      ...base,
      whatsappFrom: 'whatsapp:+15005550007',
      whatsappContentSid: 'HX00000000000000000000000000000001',
    });

    await sender.send(otp({ channel: 'whatsapp' }));
    await sender.send(
      otp({
        channel: 'whatsapp',
        templates: { otp_whatsapp: { content_sid: 'HX0000000000000000000000000000000t' } },
      }),
    );

    const [configured, tenant] = fake.requests;
    expect(configured).toMatchObject({
      to: `whatsapp:${PHONE}`,
      from: 'whatsapp:+15005550007',
      contentSid: 'HX00000000000000000000000000000001',
    });
    expect(configured.body).toBeUndefined();
    expect(JSON.parse(configured.contentVariables ?? '')).toEqual({ 1: CODE, 2: '10' });
    expect(tenant.contentSid).toBe('HX0000000000000000000000000000000t');
  });

  it('surfaces a 500 as transient; the retry (Temporal’s job) then succeeds', async () => {
    const sender = createTwilioSender('sms', { ...base, smsFrom: '+15005550006' });
    fake.failNext(1, 500);

    const err = await deliveryError(sender.send(otp()));
    expect(err).toMatchObject({ permanent: false, providerCode: 20500 });

    await expect(sender.send(otp())).resolves.toEqual({ providerMessageId: expect.stringMatching(/^SM/) });
    expect(fake.requests).toHaveLength(2);
  });

  it('reports a 401 / 20003 as a credentials failure, not a permanent one', async () => {
    const sender = createTwilioSender('sms', { ...base, smsFrom: '+15005550006' });
    fake.rejectRecipient('+15005550003', 20003, 401);
    const err = await deliveryError(sender.send(otp({ to: '+15005550003' })));
    expect(err).toMatchObject({ permanent: false, credentials: true, providerCode: 20003 });
  });

  it('treats 429 as transient', async () => {
    const sender = createTwilioSender('sms', { ...base, smsFrom: '+15005550006' });
    fake.failNext(1, 429);
    expect((await deliveryError(sender.send(otp()))).permanent).toBe(false);
  });

  it('treats an invalid number (21211) as permanent', async () => {
    const sender = createTwilioSender('sms', { ...base, smsFrom: '+15005550006' });
    fake.rejectRecipient('+15005550001', 21211);

    const err = await deliveryError(sender.send(otp({ to: '+15005550001' })));

    expect(err).toMatchObject({ permanent: true, providerCode: 21211 });
    expect(err.message).toBe('Twilio refused the message (HTTP 400, error 21211)');
  });

  it('keeps the code out of its error even when the provider echoes the message', async () => {
    const sender = createTwilioSender('sms', { ...base, smsFrom: '+15005550006' });
    fake.rejectRecipient('+15005550002', 21610);
    const err = await deliveryError(sender.send(otp({ to: '+15005550002' })));
    // The fake's error text carries the message, code included; the sender builds its own.
    expect(fake.requests.at(-1)?.body).toContain(CODE);
    const everything = JSON.stringify({
      ...err,
      message: err.message,
      stack: err.stack,
      cause: String(err.cause),
    });
    expect(everything).not.toContain(CODE);
  });

  it('treats every listed code as permanent, whatever the status', async () => {
    const sender = createTwilioSender('whatsapp', { ...base, whatsappFrom: '+15005550007' });
    // Twilio's documented recipient errors, listed here rather than read from the product.
    const documented = [21211, 21214, 21215, 21216, 21217, 21408, 21610, 21612, 21614, 63003];
    expect([...PERMANENT_TWILIO_ERROR_CODES].sort()).toEqual(documented.sort());
    for (const code of documented) {
      const to = `+1415555${code}`;
      fake.rejectRecipient(`whatsapp:${to}`, code, 503);
      const err = await deliveryError(sender.send(otp({ channel: 'whatsapp', to })));
      expect(err).toMatchObject({ permanent: true, providerCode: code });
    }
  });

  it('keeps a path prefix of the base URL', async () => {
    const sender = createTwilioSender('sms', {
      ...base,
      apiBaseUrl: `${fake.baseUrl}/proxy/`,
      smsFrom: '+1500',
    });
    // The fake serves no /proxy prefix, so the 404 proves the prefix was kept.
    expect(await deliveryError(sender.send(otp()))).toMatchObject({ permanent: true, providerCode: 20404 });
  });

  it('reports an unreachable API as transient', async () => {
    // A port that was free a moment ago: nothing listens there any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const sender = createTwilioSender('sms', {
      ...base,
      apiBaseUrl: `http://127.0.0.1:${port}`,
      smsFrom: '+1500',
    });
    const err = await deliveryError(sender.send(otp()));
    expect(err).toMatchObject({ permanent: false, providerCode: 'ECONNREFUSED' });
  });

  it('refuses a configuration without a sender', () => {
    expect(() => createTwilioSender('sms', base)).toThrow(/TWILIO_SMS_FROM/);
    expect(() => createTwilioSender('whatsapp', base)).toThrow(/TWILIO_WHATSAPP_FROM/);
    expect(() => createTwilioSender('voice', base)).toThrow(/TWILIO_VOICE_FROM/);
  });
});

describe('Twilio voice calls (SPEC §12)', () => {
  let fake: TwilioFake;
  let sender: ReturnType<typeof createTwilioSender>;
  const call = (overrides: Partial<OtpMessage> = {}) =>
    otpMessage({ channel: 'voice', to: PHONE }, overrides);
  /** The words of the call's `<Say>`, and its language. */
  const said = (twiml: string) => {
    const match = /<Say language="([^"]+)">([^<]*)<\/Say>/.exec(twiml);
    return match ? { language: match[1], text: match[2] } : undefined;
  };

  beforeAll(async () => {
    fake = await startTwilioFake();
    sender = createTwilioSender('voice', {
      accountSid: ACCOUNT_SID,
      authToken: 'test-token',
      apiBaseUrl: fake.baseUrl,
      voiceFrom: '+15005550009',
      timeoutMs: 2000,
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.requests.splice(0));

  it('places a call from TWILIO_VOICE_FROM whose inline TwiML says the code digit by digit, twice, after a pause', async () => {
    const receipt = await sender.send(call({ statusCallback: 'https://otp.example.test/cb?issue=1' }));

    expect(receipt.providerMessageId).toMatch(/^CA[0-9a-f]{32}$/);
    const [request] = fake.requests;
    expect(request).toMatchObject({
      kind: 'call',
      to: PHONE,
      from: '+15005550009',
      statusCallback: 'https://otp.example.test/cb?issue=1',
      statusCallbackEvent: 'completed',
    });
    expect(request!.twiml).toMatch(/^<\?xml[^>]*\?><Response><Pause length="1"\/><Say language="en-US">/);
    const spoken = said(request!.twiml!)!;
    expect(spoken.text).toContain('Acme');
    // 739204 as single digits, twice; never the code as one number.
    expect(spoken.text.match(/7, 3, 9, 2, 0, 4/g)).toHaveLength(2);
    expect(spoken.text).not.toContain(CODE);
  });

  it.each([
    ['de', 'de-DE', /Bestätigungscode/],
    ['pt-BR', 'pt-BR', /verificação/],
    ['ar', 'ar-XA', /[\u0600-\u06ff]/],
    ['zh-CN', 'cmn-CN', /[\u4e00-\u9fff]/],
  ])('speaks %s with Twilio language %s', async (locale, language, wording) => {
    await sender.send(call({ locale }));
    const spoken = said(fake.requests[0]!.twiml!)!;
    expect(spoken.language).toBe(language);
    expect(spoken.text).toMatch(wording);
  });

  it('reads locales Twilio has no voice for (Persian, Urdu, Swahili) in English', async () => {
    for (const locale of ['fa', 'ur', 'sw']) await sender.send(call({ locale }));
    for (const request of fake.requests) {
      expect(said(request.twiml!)).toMatchObject({
        language: 'en-US',
        text: expect.stringMatching(/^Your Acme/),
      });
    }
  });

  it('has a Twilio language or the English reading for every built-in locale', () => {
    const unvoiced = BUILT_IN_LOCALES.filter((locale) => !TWILIO_SAY_LANGUAGES[locale]);
    expect(unvoiced.sort()).toEqual(['fa', 'sw', 'ur']);
  });

  it("says a tenant's text for the locale twice, its {{code}} spelled out digit by digit", async () => {
    const templates = {
      otp_voice: { text: '{{app_name}}: your code is {{code}}.' },
      by_locale: { de: { otp_voice: { text: 'Ihr {{app_name}}-Code lautet {{code}}.' } } },
    };
    await sender.send(call({ templates }));
    await sender.send(call({ templates, locale: 'de' }));
    const [english, german] = fake.requests.map((r) => r.twiml!);
    expect(english).toContain('<Say language="en-US" loop="2">Acme: your code is 7, 3, 9, 2, 0, 4.</Say>');
    expect(german).toContain('<Say language="de-DE" loop="2">Ihr Acme-Code lautet 7, 3, 9, 2, 0, 4.</Say>');
    // The built-in sentence repeats the code itself: said once.
    await sender.send(call({ locale: 'fr' }));
    expect(fake.requests[2]!.twiml).toMatch(/<Say language="fr-FR">[^<]+<\/Say>/);
  });

  it('without a status callback URL asks for no callback', async () => {
    await sender.send(call());
    expect(fake.requests[0]).toMatchObject({ statusCallback: undefined, statusCallbackEvent: undefined });
  });

  it('escapes the app name in the TwiML', async () => {
    await sender.send(call({ appName: 'A&B <Bank>' }));
    expect(fake.requests[0]!.twiml).toContain('A&amp;B &lt;Bank&gt;');
  });

  it('treats a refused number (21217) as permanent and keeps the code out of the error when the provider echoes the TwiML', async () => {
    fake.rejectRecipient('+14155550111', 21217, 400);
    const err = await deliveryError(sender.send(call({ to: '+14155550111' })));
    expect(err).toMatchObject({ permanent: true, providerCode: 21217 });
    expect(err.message).not.toMatch(/7\D{1,3}3\D{1,3}9/);
  });

  it('treats a 503 as transient', async () => {
    fake.failNext(1, 503);
    const err = await deliveryError(sender.send(call()));
    expect(err.permanent).toBe(false);
  });
});
