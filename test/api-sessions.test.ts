/**
 * The session endpoints over HTTP against the real app, a real worker and a dev server: send,
 * verify, resend, detail and cancel, each error code a session can answer, session tokens,
 * tenant isolation and idempotency.
 */
import jwt from 'jsonwebtoken';
import {
  resendResponseSchema,
  sendResponseSchema,
  sessionDetailSchema,
  verifyResponseSchema,
} from '../src/contract/schemas';
import { sessionWorkflowId } from '../src/sessions/sessions';
import {
  KEYS,
  lastEmailedCode,
  startApiEnv,
  TEMPORAL_UI,
  TEST_TOKEN_SECRET,
  type ApiTestEnv,
} from './support/api-env';
import { decodedHistoryText } from './support/history';
import { testDataConverter } from './support/session-env';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: ApiTestEnv;
/** Started first: its one-minute expiry runs out while the other tests run. */
let expiring: Json;

const sendBody = (overrides: Json = {}) => ({
  channels: ['email'],
  recipients: { email: 'person@example.com' },
  ...overrides,
});

async function send(overrides: Json = {}, key = KEYS.acmeTest, headers: Record<string, string> = {}) {
  const response = await t.call<Json>('POST', '/api/v1/otp/send', {
    key,
    body: sendBody(overrides),
    headers,
  });
  expect(response.status).toBe(201);
  sendResponseSchema.parse(response.body);
  return response.body;
}

const verify = (body: Json, key = KEYS.acmeTest) => t.call<Json>('POST', '/api/v1/otp/verify', { key, body });
const resend = (body: Json, key = KEYS.acmeTest) => t.call<Json>('POST', '/api/v1/otp/resend', { key, body });
const detail = (id: string, key = KEYS.acmeTest) =>
  t.call<Json>('GET', `/api/v1/otp/sessions/${id}`, { key });
const cancel = (id: string, key = KEYS.acmeTest) =>
  t.call<Json>('POST', `/api/v1/otp/sessions/${id}/cancel`, { key });

function expectError(response: { status: number; body: Json }, status: number, code: string) {
  expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  expect(typeof response.body.message).toBe('string');
  expect(response.body.statusCode).toBe(status);
}

beforeAll(async () => {
  t = await startApiEnv();
  expiring = await send({ config: { expiry_minutes: 1 } });
}, 60_000);
afterAll(() => t?.close());

describe('send', () => {
  it('starts a sandbox session with a test key: 201 with token, expiry, delivery and the codes', async () => {
    const sent = await send({
      channels: ['email', 'sms'],
      recipients: { email: 'a@example.com', sms: '+14155550100' },
    });
    expect(sent).toMatchObject({
      success: true,
      status: 'pending',
      channels: { email: { delivery: 'sandbox' }, sms: { delivery: 'sandbox' } },
    });
    expect(sent.session_id).toMatch(/^ses_[0-9a-f]{32}$/);
    // Tenant default otp_length 8 (acme) applies; each channel gets its own code.
    expect(sent.sandbox_otps.email).toMatch(/^\d{8}$/);
    expect(sent.sandbox_otps.sms).toMatch(/^\d{8}$/);
    expect(Date.parse(sent.expires_at) - Date.now()).toBeGreaterThan(9 * 60_000);
  });

  it('lets the request override the tenant defaults within the SPEC bounds', async () => {
    const sent = await send({ config: { otp_length: 4, code_type: 'alpha' } });
    expect(sent.sandbox_otps.email).toMatch(/^[A-Z]{4}$/);
  });

  it('with a live key sends for real (no codes in the response) unless sandbox_mode is set', async () => {
    const live = await send({ recipients: { email: 'live@example.com' } }, KEYS.acmeLive);
    expect(live.channels.email.delivery).toBe('sent');
    expect(live.sandbox_otps).toBeUndefined();
    const code = lastEmailedCode(t.smtp, 'live@example.com');
    expect(code).toMatch(/^\d{8}$/);
    const verified = await verify({ token: live.session_token, otps: { email: code } }, KEYS.acmeLive);
    expect(verified.body.status).toBe('verified');

    const sandboxed = await send({ sandbox_mode: true }, KEYS.acmeLive);
    expect(sandboxed.channels.email.delivery).toBe('sandbox');
    expect(sandboxed.sandbox_otps.email).toBeDefined();
  });

  it('returns the same session and token for a repeated Idempotency-Key, and another for another tenant', async () => {
    const headers = { 'Idempotency-Key': `order-${Date.now()}` };
    const [first, second] = await Promise.all([
      send({}, KEYS.acmeTest, headers),
      send({}, KEYS.acmeTest, headers),
    ]);
    expect(second.session_id).toBe(first.session_id);
    expect(second.session_token).toBe(first.session_token);
    const other = await send({}, KEYS.globexTest, headers);
    expect(other.session_id).not.toBe(first.session_id);

    // Once the session has closed, the repeat answers from its result: same session, same token.
    expect((await cancel(first.session_id)).status).toBe(200);
    const afterClose = await send({}, KEYS.acmeTest, headers);
    expect(afterClose).toMatchObject({
      session_id: first.session_id,
      session_token: first.session_token,
      status: 'cancelled',
    });
  });

  it('answers validation_error with every problem and its path', async () => {
    const cases: [Json, string][] = [
      [{ channels: [] }, 'channels'],
      [{ channels: ['email', 'email'] }, 'channels'],
      [{ channels: ['fax'] }, 'channels.0'],
      [{ recipients: { email: 'not-an-email' } }, 'recipients.email'],
      [{ channels: ['sms'], recipients: { sms: '4155550100' } }, 'recipients.sms'],
      [{ channels: ['sms'], recipients: { email: 'a@example.com' } }, 'recipients.sms'],
      [{ config: { otp_length: 9 } }, 'config.otp_length'],
      [{ config: { expiry_minutes: 0 } }, 'config.expiry_minutes'],
      [{ config: { lockout_minutes: 1441 } }, 'config.lockout_minutes'],
      [{ config: { max_resend: 1 } }, 'config'],
      [{ verification: { mode: 'channels', channels: ['sms'] } }, 'verification.channels.0'],
      [{ metadata: { nested: { a: 1 } } }, 'metadata.nested'],
      [{ metadata: { big: 'x'.repeat(5000) } }, 'metadata'],
    ];
    await Promise.all(
      cases.map(async ([overrides, path]) => {
        const response = await t.call<Json>('POST', '/api/v1/otp/send', {
          key: KEYS.acmeTest,
          body: sendBody(overrides),
        });
        expectError(response, 400, 'validation_error');
        expect(response.body.details.map((d: Json) => d.path)).toContain(path);
      }),
    );
  });
});

describe('verify', () => {
  it('verifies progressively: partial, then verified (session_token accepted as an alias)', async () => {
    const sent = await send({
      channels: ['email', 'sms'],
      recipients: { email: 'a@example.com', sms: '+14155550100' },
      metadata: { purpose: 'login', user_id: 'u1' },
    });
    const first = await verify({
      session_token: sent.session_token,
      otps: { email: sent.sandbox_otps.email },
    });
    expect(first.status).toBe(200);
    verifyResponseSchema.parse(first.body);
    expect(first.body).toMatchObject({
      success: true,
      status: 'partial',
      results: { email: 'verified' },
      verified_channels: ['email'],
      pending_channels: ['sms'],
      attempts_remaining: 3,
      session_id: sent.session_id,
      metadata: { purpose: 'login', user_id: 'u1' },
    });
    const second = await verify({ token: sent.session_token, otps: { sms: sent.sandbox_otps.sms } });
    expect(second.body).toMatchObject({
      status: 'verified',
      verified_channels: ['email', 'sms'],
      pending_channels: [],
    });
  });

  it('answers invalid_otp with attempts_remaining and results, then max_attempts_exceeded, then session_locked', async () => {
    const sent = await send({ config: { max_attempts: 2 } });
    const wrong = sent.sandbox_otps.email === '00000000' ? '11111111' : '00000000';
    const first = await verify({ token: sent.session_token, otps: { email: wrong } });
    expectError(first, 400, 'invalid_otp');
    expect(first.body).toMatchObject({ attempts_remaining: 1, results: { email: 'invalid' } });
    const second = await verify({ token: sent.session_token, otps: { email: wrong } });
    expectError(second, 400, 'max_attempts_exceeded');
    expect(second.body.attempts_remaining).toBe(0);
    // Locked: even the right code is refused, and so is a resend (lockout_minutes null: until expiry).
    expectError(
      await verify({ token: sent.session_token, otps: { email: sent.sandbox_otps.email } }),
      400,
      'session_locked',
    );
    expectError(await resend({ token: sent.session_token }), 400, 'session_locked');
    expect((await detail(sent.session_id)).body.status).toBe('locked');
  });

  it('answers already_verified once the session has succeeded (from the closed workflow result)', async () => {
    const sent = await send();
    await verify({ token: sent.session_token, otps: { email: sent.sandbox_otps.email } });
    await t.sessions.env.client.workflow.getHandle(sessionWorkflowId('acme', sent.session_id)).result();
    expectError(
      await verify({ token: sent.session_token, otps: { email: sent.sandbox_otps.email } }),
      400,
      'already_verified',
    );
    expectError(await resend({ token: sent.session_token }), 400, 'already_verified');
  });

  it('answers session_failed when delivery failed on every channel, code_not_active for a failed channel', async () => {
    // The test worker has no SMS sender: live SMS delivery fails for good.
    const failed = await send({ channels: ['sms'], recipients: { sms: '+14155550100' } }, KEYS.acmeLive);
    expect(failed).toMatchObject({ status: 'failed', channels: { sms: { delivery: 'failed' } } });
    expectError(
      await verify({ token: failed.session_token, otps: { sms: '12345678' } }, KEYS.acmeLive),
      400,
      'session_failed',
    );

    const mixed = await send(
      { channels: ['email', 'sms'], recipients: { email: 'mixed@example.com', sms: '+14155550100' } },
      KEYS.acmeLive,
    );
    expect(mixed.channels).toEqual({ email: { delivery: 'sent' }, sms: { delivery: 'failed' } });
    expectError(
      await verify({ token: mixed.session_token, otps: { sms: '12345678' } }, KEYS.acmeLive),
      400,
      'code_not_active',
    );
  });

  it('never lets a plaintext code into workflow history', async () => {
    const sent = await send();
    const wrong = sent.sandbox_otps.email === '22222222' ? '33333333' : '22222222';
    await verify({ token: sent.session_token, otps: { email: wrong } });
    const history = await t.sessions.env.client.workflow
      .getHandle(sessionWorkflowId('acme', sent.session_id))
      .fetchHistory();
    // Decrypted, as an operator holding the payload keys reads it.
    const decoded = await decodedHistoryText(history, testDataConverter.payloadCodecs!);
    expect(decoded).toContain('code_digests');
    expect(decoded).not.toContain(wrong);
  });
});

describe('session tokens', () => {
  let sent: Json;
  beforeAll(async () => {
    sent = await send();
  });
  const claims = () => ({ sub: sent.session_id, aud: 'acme', iss: 'durable-otp' });
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    [
      'forged (another secret)',
      () => jwt.sign(claims(), 'another-secret-that-is-long-enough-000000000', { expiresIn: 600 }),
    ],
    ['expired', () => jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 10 }, TEST_TOKEN_SECRET)],
    [
      'unsigned (alg none)',
      () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims(), exp: 4e9 })}.`,
    ],
    [
      'of an unknown session',
      () => jwt.sign({ ...claims(), sub: `ses_${'0'.repeat(32)}` }, TEST_TOKEN_SECRET, { expiresIn: 600 }),
    ],
    ['not a JWT at all', () => 'not-a-token'],
  ])('answers session_not_found for a token that is %s', async (_name, token) => {
    expectError(await verify({ token: token(), otps: { email: '12345678' } }), 400, 'session_not_found');
    expectError(await resend({ session_token: token() }), 400, 'session_not_found');
  });

  it("answers session_not_found for another tenant's token and session id", async () => {
    expectError(
      await verify({ token: sent.session_token, otps: { email: sent.sandbox_otps.email } }, KEYS.globexTest),
      400,
      'session_not_found',
    );
    expectError(await resend({ token: sent.session_token }, KEYS.globexLive), 400, 'session_not_found');
    expectError(await detail(sent.session_id, KEYS.globexTest), 400, 'session_not_found');
    expectError(await cancel(sent.session_id, KEYS.globexTest), 400, 'session_not_found');
    // The session is untouched by those attempts.
    expect(
      (await verify({ token: sent.session_token, otps: { email: sent.sandbox_otps.email } })).body.status,
    ).toBe('verified');
  });

  it('keeps the same token for the whole session and covers its longest life', async () => {
    const { exp, iat } = jwt.decode(sent.session_token) as { exp: number; iat: number };
    // (max_resends 3 + 1) × expiry 10 min, plus a margin.
    expect(exp - iat).toBeGreaterThanOrEqual(4 * 10 * 60);
    expect(exp - iat).toBeLessThan(4 * 10 * 60 + 15 * 60);
  });
});

describe('resend', () => {
  it('sends fresh codes: the old code stops working, the new one verifies', async () => {
    const sent = await send({ config: { resend_cooldown_seconds: 0, max_resends: 2 } });
    const resent = await resend({ session_token: sent.session_token });
    expect(resent.status).toBe(200);
    resendResponseSchema.parse(resent.body);
    expect(resent.body).toMatchObject({
      success: true,
      message: 'OTP resent successfully',
      resends_remaining: 1,
    });
    expect(resent.body.sandbox_otps.email).toMatch(/^\d{8}$/);
    if (resent.body.sandbox_otps.email !== sent.sandbox_otps.email) {
      expectError(
        await verify({ token: sent.session_token, otps: { email: sent.sandbox_otps.email } }),
        400,
        'invalid_otp',
      );
    }
    const verified = await verify({
      token: sent.session_token,
      otps: { email: resent.body.sandbox_otps.email },
    });
    expect(verified.body.status).toBe('verified');
  });

  it('answers cooldown_active with retry_after and a Retry-After header', async () => {
    const sent = await send({ config: { resend_cooldown_seconds: 120 } });
    const response = await resend({ token: sent.session_token });
    expectError(response, 429, 'cooldown_active');
    expect(response.body.retry_after).toBeGreaterThan(100);
    expect(response.headers.get('Retry-After')).toBe(String(response.body.retry_after));
  });

  it('answers resend_limit_reached after max_resends', async () => {
    const sent = await send({ config: { resend_cooldown_seconds: 0, max_resends: 1 } });
    expect((await resend({ token: sent.session_token })).status).toBe(200);
    expectError(await resend({ token: sent.session_token }), 429, 'resend_limit_reached');
  });

  it('answers validation_error for a channel the session does not have (refused by the workflow)', async () => {
    const sent = await send({ config: { resend_cooldown_seconds: 0 } });
    const response = await resend({ token: sent.session_token, channels: ['sms'] });
    expectError(response, 400, 'validation_error');
    expect(response.body.details).toEqual([{ path: 'channels.sms', message: expect.any(String) }]);
  });
});

describe('detail and cancel', () => {
  it('shows the status query of an open session with its timeline and a Temporal UI link', async () => {
    const sent = await send({ metadata: { purpose: 'signup' } });
    const response = await detail(sent.session_id);
    expect(response.status).toBe(200);
    sessionDetailSchema.parse(response.body);
    expect(response.body).toMatchObject({
      session_id: sent.session_id,
      status: 'pending',
      sandbox: true,
      metadata: { purpose: 'signup' },
      temporal_ui_url: `${TEMPORAL_UI}/namespaces/default/workflows/otp-acme-${sent.session_id}`,
    });
    expect(response.body.events.map((e: Json) => e.type)).toEqual(['created', 'sent']);
    expect(JSON.stringify(response.body)).not.toContain(sent.sandbox_otps.email);
  });

  it('cancels: 200 with the session, then verify and resend answer session_cancelled', async () => {
    const sent = await send();
    const cancelled = await cancel(sent.session_id);
    expect(cancelled.status).toBe(200);
    sessionDetailSchema.parse(cancelled.body);
    expect(cancelled.body.status).toBe('cancelled');
    expectError(
      await verify({ token: sent.session_token, otps: { email: sent.sandbox_otps.email } }),
      400,
      'session_cancelled',
    );
    expectError(await resend({ token: sent.session_token }), 400, 'session_cancelled');
    expectError(await cancel(sent.session_id), 400, 'session_cancelled');
    // Closed: the detail is the workflow's result.
    const closed = await detail(sent.session_id);
    expect(closed.body.status).toBe('cancelled');
    expect(closed.body.events.at(-1).type).toBe('cancelled');
  });

  it('answers session_not_found for an unknown or malformed session id', async () => {
    expectError(await detail(`ses_${'f'.repeat(32)}`), 400, 'session_not_found');
    expectError(await detail('nope'), 400, 'session_not_found');
    expectError(await cancel(`ses_${'f'.repeat(32)}`), 400, 'session_not_found');
  });
});

describe('expiry (a real one-minute expiry: the dev server cannot skip time)', () => {
  it('answers session_expired once the durable timer has expired the session', async () => {
    const wait = Date.parse(expiring.expires_at) - Date.now() + 1500;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await t.sessions.env.client.workflow.getHandle(sessionWorkflowId('acme', expiring.session_id)).result();
    expectError(
      await verify({ token: expiring.session_token, otps: { email: expiring.sandbox_otps.email } }),
      400,
      'session_expired',
    );
    expectError(await resend({ token: expiring.session_token }), 400, 'session_expired');
    const closed = await detail(expiring.session_id);
    expect(closed.body.status).toBe('expired');
    expect(closed.body.events.at(-1).type).toBe('expired');
  }, 90_000);
});

it('never logs a code, a token or an API key', () => {
  const logged = t.logs.join('');
  expect(t.logs.length).toBeGreaterThan(20);
  for (const secret of [...Object.values(KEYS), expiring.session_token, expiring.sandbox_otps.email]) {
    expect(logged).not.toContain(secret);
  }
});
