import { createServer, type AddressInfo } from 'node:net';
import type { OtpMessage } from '../activities/delivery';
import {
  createTwilioSender,
  PERMANENT_TWILIO_ERROR_CODES,
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
    const documented = [21211, 21408, 21610, 21612, 21614, 63003];
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
  });
});
