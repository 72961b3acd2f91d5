/**
 * SPEC §9 over HTTP against the real stack (dev server, worker, Koa API): Twilio status
 * callbacks accepted only with a valid X-Twilio-Signature over the StatusCallback URL the
 * product gave Twilio, fallback chains started by `send`, and tenants' webhooks signed by the
 * worker with the secret of the tenants file.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createTwilioSender } from '../activities/twilio';
import type { SessionView } from '../workflows/session-types';
import { KEYS, TENANTS, startApiEnv, type ApiTestEnv, eventually, lastEmailedCode } from './support/api-env';
import { postStatusCallback, startTwilioFake, twilioSignature, type TwilioFake } from './support/twilio-fake';

const PUBLIC_BASE_URL = 'https://otp.example.test';
const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-auth-token-of-the-test-account';
const STATUS_PATH = '/api/v1/otp/providers/twilio/status';
const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
/** The test-mode endpoint's own secret: sandbox events are never signed with SECRET. */
const SANDBOX_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
/** A receiver's secret in its endpoint's query string: never shown in a timeline. */
const RECEIVER_QUERY = 'token=receiver-query-secret';

let env: ApiTestEnv;
let fake: TwilioFake;
let hooks: Server;
let hooksUrl: string;
let hooksHost: string;
const delivered: { path: string; headers: Record<string, string>; body: string }[] = [];

beforeAll(async () => {
  fake = await startTwilioFake();
  hooks = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    delivered.push({
      path: req.url ?? '',
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hooksHost = `127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  hooksUrl = `http://${hooksHost}/events?${RECEIVER_QUERY}`;
  const options = {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    smsFrom: '+15005550006',
    whatsappFrom: '+15005550007',
    apiBaseUrl: fake.baseUrl,
  };
  env = await startApiEnv({
    senders: { sms: createTwilioSender('sms', options), whatsapp: createTwilioSender('whatsapp', options) },
    env: { PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN },
    tenants: {
      tenants: TENANTS.tenants.map((tenant) =>
        tenant.id === 'acme'
          ? {
              ...tenant,
              webhooks: [
                { url: hooksUrl, secret: SECRET, events: ['session.verified', 'delivery.delivered'] },
                {
                  url: `http://${hooksHost}/sandbox-events`,
                  secret: SANDBOX_SECRET,
                  events: ['session.verified'],
                  modes: ['test' as const],
                },
              ],
            }
          : tenant,
      ),
    },
  });
}, 120_000);

afterAll(async () => {
  await env?.close();
  await fake?.close();
  hooks?.closeAllConnections();
  await new Promise((resolve) => hooks?.close(resolve));
});

async function sendSms(phone: string) {
  const sent = await env.call<{ session_id: string; session_token: string }>('POST', '/api/v1/otp/send', {
    key: KEYS.acmeLive,
    body: { channels: ['sms'], recipients: { sms: phone } },
  });
  expect(sent.status).toBe(201);
  const request = fake.requests.filter((r) => r.to === phone).at(-1)!;
  return { sessionId: sent.body.session_id, request };
}

const detail = async (sessionId: string) =>
  (await env.call<SessionView>('GET', `/api/v1/otp/sessions/${sessionId}`, { key: KEYS.acmeLive })).body;

/** POSTs a status callback to the API's real address, signed (or not) as Twilio would for `signedUrl`. */
const callback = (signedUrl: string, params: Record<string, string>, signature?: string) =>
  postStatusCallback(env.api.url, signedUrl, params, signature);

const signed = (url: string, params: Record<string, string>, token = AUTH_TOKEN) =>
  callback(url, params, twilioSignature(token, url, params));

describe('delivery receipts (Twilio status callbacks, SPEC §9)', () => {
  test('messages ask Twilio for status callbacks under PUBLIC_BASE_URL, naming the session, channel and issue', async () => {
    const { sessionId, request } = await sendSms('+14155550201');
    const url = new URL(request.statusCallback!);
    expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_BASE_URL}${STATUS_PATH}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      workflow: `otp-acme-${sessionId}`,
      channel: 'sms',
      issue: '1',
    });
  });

  test('forged, unsigned or altered callbacks answer 403 and change nothing', async () => {
    const { sessionId, request } = await sendSms('+14155550202');
    const params = { MessageSid: fake.sidOf(request)!, MessageStatus: 'delivered', AccountSid: ACCOUNT_SID };
    const unsigned = await callback(request.statusCallback!, params);
    const forged = await signed(request.statusCallback!, params, 'not-the-auth-token');
    const altered = await callback(
      request.statusCallback!,
      { ...params, MessageStatus: 'undelivered' },
      twilioSignature(AUTH_TOKEN, request.statusCallback!, params),
    );
    // Signed for another URL (another session's), replayed against this one.
    const otherUrl = request.statusCallback!.replace(/issue=1/, 'issue=2');
    const moved = await callback(
      request.statusCallback!,
      params,
      twilioSignature(AUTH_TOKEN, otherUrl, params),
    );
    for (const response of [unsigned, forged, altered, moved]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'forbidden' });
    }
    const view = await detail(sessionId);
    expect(view.channels.sms!.delivery).toBe('sent');
    expect(view.events.map((e) => e.type)).toEqual(['created', 'sent']);
  });

  test('a signed final status moves the delivery, in the detail and the timeline; steps on the way do not', async () => {
    const { sessionId, request } = await sendSms('+14155550203');
    const base = { MessageSid: fake.sidOf(request)!, AccountSid: ACCOUNT_SID, To: '+14155550203' };
    expect((await signed(request.statusCallback!, { ...base, MessageStatus: 'sent' })).status).toBe(204);
    expect((await signed(request.statusCallback!, { ...base, MessageStatus: 'delivered' })).status).toBe(204);
    const view = await eventually(
      () => detail(sessionId),
      (v) => v.channels.sms!.delivery === 'delivered',
    );
    expect(view.channels.sms!.delivery).toBe('delivered');
    expect(view.events.map((e) => e.type)).toEqual(['created', 'sent', 'delivered']);
    // And the tenant's endpoint heard of it, signed.
    const hook = await eventually(
      async () => delivered.find((d) => d.body.includes(sessionId)),
      (found) => found !== undefined,
    );
    expect(() => new Webhook(SECRET).verify(hook!.body, hook!.headers)).not.toThrow();
    expect(JSON.parse(hook!.body)).toMatchObject({ type: 'delivery.delivered', data: { channel: 'sms' } });
  });

  test('unknown message ids and unknown sessions answer 2xx and change nothing', async () => {
    const { sessionId, request } = await sendSms('+14155550204');
    const params = {
      MessageSid: 'SMffffffffffffffffffffffffffffffff',
      MessageStatus: 'undelivered',
      AccountSid: ACCOUNT_SID,
    };
    expect((await signed(request.statusCallback!, params)).status).toBe(204);
    const elsewhere = request.statusCallback!.replace(/ses_[0-9a-f]{32}/, `ses_${'0'.repeat(32)}`);
    expect((await signed(elsewhere, { ...params, MessageSid: fake.sidOf(request)! })).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const view = await detail(sessionId);
    expect(view.channels.sms!.delivery).toBe('sent');
    expect(view.events.map((e) => e.type)).toEqual(['created', 'sent']);
  });
});

describe('fallback chains over HTTP (SPEC §9)', () => {
  test('send with fallback: the SMS is refused for good, the email gets its own code, which verifies', async () => {
    fake.rejectRecipient('+14155550299', 21211, 400);
    const sent = await env.call<{
      session_id: string;
      session_token: string;
      channels: Record<string, unknown>;
    }>('POST', '/api/v1/otp/send', {
      key: KEYS.acmeLive,
      body: {
        fallback: { channels: ['sms', 'email'], after_seconds: 30 },
        recipients: { sms: '+14155550299', email: 'fallback@example.com' },
      },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.channels).toEqual({ sms: { delivery: 'failed' }, email: { delivery: 'waiting' } });
    const code = await eventually(
      async () => lastEmailedCode(env.smtp, 'fallback@example.com'),
      (found) => found !== undefined,
    );
    const verified = await env.call('POST', '/api/v1/otp/verify', {
      key: KEYS.acmeLive,
      body: { token: sent.body.session_token, otps: { email: code } },
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified' });
    const view = await detail(sent.body.session_id);
    expect(view.events.map((e) => e.type).slice(0, 4)).toEqual([
      'created',
      'delivery_failed',
      'fallback',
      'sent',
    ]);
    expect(view.verification).toEqual({ mode: 'any' });
  });

  test('20 simultaneous duplicate receipts (Twilio retries its callbacks) move the chain on once', async () => {
    const sent = await env.call<{ session_id: string; session_token: string }>('POST', '/api/v1/otp/send', {
      key: KEYS.acmeLive,
      body: {
        fallback: { channels: ['sms', 'whatsapp', 'email'], after_seconds: 600 },
        recipients: { sms: '+14155550297', whatsapp: '+14155550296', email: 'burst@example.com' },
      },
    });
    expect(sent.status).toBe(201);
    const request = fake.requests.filter((r) => r.to === '+14155550297').at(-1)!;
    const params = {
      MessageSid: fake.sidOf(request)!,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
      AccountSid: ACCOUNT_SID,
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => signed(request.statusCallback!, params)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(204));
    const view = await eventually(
      () => detail(sent.body.session_id),
      (v) => v.channels.whatsapp!.delivery === 'sent',
    );
    // As if serial: one receipt applied, one step (WhatsApp, not email too), one message.
    expect(view.events.map((e) => e.type)).toEqual(['created', 'sent', 'undelivered', 'fallback', 'sent']);
    expect(view.channels.email!.delivery).toBe('waiting');
    const whatsapp = fake.requests.filter((r) => r.to === 'whatsapp:+14155550296');
    expect(whatsapp).toHaveLength(1);
    const code = /\d{6,8}/.exec(whatsapp[0]!.body!)![0];
    const verified = await env.call('POST', '/api/v1/otp/verify', {
      key: KEYS.acmeLive,
      body: { token: sent.body.session_token, otps: { whatsapp: code } },
    });
    expect(verified.body).toMatchObject({ status: 'verified' });
  });

  test.each([
    [{ channels: ['sms'], fallback: { channels: ['sms', 'email'], after_seconds: 30 } }, 'channels'],
    [{}, 'channels'],
    [{ fallback: { channels: ['sms'], after_seconds: 30 } }, 'fallback.channels'],
    [{ fallback: { channels: ['sms', 'email'], after_seconds: 1 } }, 'fallback.after_seconds'],
    [
      {
        fallback: { channels: ['sms', 'email'], after_seconds: 30 },
        verification: { mode: 'channels', channels: ['sms'] },
      },
      'verification',
    ],
  ])('a bad chain is refused with validation_error: %j', async (body, pathName) => {
    const response = await env.call<{ code: string; details: { path: string }[] }>(
      'POST',
      '/api/v1/otp/send',
      {
        key: KEYS.acmeLive,
        body: { recipients: { sms: '+14155550298', email: 'x@example.com' }, ...body },
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_error');
    expect(response.body.details.map((d) => d.path)).toContain(pathName);
  });
});

describe('webhooks and key modes (SPEC §7)', () => {
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const hooksFor = (sessionId: string) => delivered.filter((d) => d.body.includes(sessionId));

  async function sendAndVerify(key: string, body: Json) {
    const sent = await env.call<Json>('POST', '/api/v1/otp/send', { key, body });
    expect(sent.status).toBe(201);
    const code = sent.body.sandbox_otps?.email ?? lastEmailedCode(env.smtp, body.recipients.email);
    const verified = await env.call<Json>('POST', '/api/v1/otp/verify', {
      key,
      body: { token: sent.body.session_token, otps: { email: code } },
    });
    expect(verified.body).toMatchObject({ status: 'verified' });
    return { sessionId: sent.body.session_id as string, verified: verified.body };
  }

  test.each([
    ['a test key', KEYS.acmeTest, {}],
    ['a live key with sandbox_mode', KEYS.acmeLive, { sandbox_mode: true }],
  ])(
    'a sandbox session opened by %s: session.verified reaches only the test-mode endpoint, under its own secret, saying sandbox',
    async (_who, key, extra) => {
      const { sessionId, verified } = await sendAndVerify(key, {
        channels: ['email'],
        recipients: { email: `sandbox-hook-${Date.now()}@example.com` },
        ...extra,
      });
      expect(verified.sandbox).toBe(true);
      const [hook] = (await eventually(
        async () => hooksFor(sessionId),
        (found) => found.length > 0,
      ))!;
      expect(hook!.path).toBe('/sandbox-events');
      expect(() => new Webhook(SANDBOX_SECRET).verify(hook!.body, hook!.headers)).not.toThrow();
      expect(() => new Webhook(SECRET).verify(hook!.body, hook!.headers)).toThrow();
      expect(JSON.parse(hook!.body)).toMatchObject({ type: 'session.verified', data: { sandbox: true } });
      // The session has ended once its outcome is recorded; nothing went to the live endpoint.
      await env.sessions.env.client.workflow.getHandle(`otp-acme-${sessionId}`).result();
      expect(hooksFor(sessionId).map((d) => d.path)).toEqual(['/sandbox-events']);
    },
  );

  test("a live session's events reach only live endpoints; its timeline names the endpoint's host, never its path or query", async () => {
    const { sessionId, verified } = await sendAndVerify(KEYS.acmeLive, {
      channels: ['email'],
      recipients: { email: `live-hook-${Date.now()}@example.com` },
    });
    expect(verified.sandbox).toBe(false);
    const view = await env.sessions.env.client.workflow.getHandle(`otp-acme-${sessionId}`).result();
    expect(hooksFor(sessionId).map((d) => d.path)).toEqual([`/events?${RECEIVER_QUERY}`]);
    const [hook] = hooksFor(sessionId);
    expect(() => new Webhook(SECRET).verify(hook!.body, hook!.headers)).not.toThrow();
    expect(JSON.parse(hook!.body)).toMatchObject({ type: 'session.verified', data: { sandbox: false } });
    const shown = (await env.call<Json>('GET', `/api/v1/otp/sessions/${sessionId}`, { key: KEYS.acmeLive }))
      .body;
    const sentEvent = shown.events.find((e: Json) => e.type === 'webhook_sent');
    expect(sentEvent.webhook).toEqual({
      id: expect.any(String),
      event: 'session.verified',
      host: hooksHost,
      attempts: 1,
    });
    expect((view as SessionView).events.find((e) => e.type === 'webhook_sent')!.webhook!.host).toBe(
      hooksHost,
    );
    for (const secret of ['receiver-query-secret', '/events'])
      expect(JSON.stringify(shown)).not.toContain(secret);
  });
});
