/**
 * SPEC §7 over HTTP against the real app, a real worker and a dev server: key modes (a test key
 * sees and acts only on sandbox sessions), Idempotency-Key scope and reuse, retried updates
 * deduplicated by their Idempotency-Key, metadata.purpose bounds and response caching.
 */
import {
  eventually,
  KEYS,
  lastEmailedCode,
  startApiEnv,
  type ApiResponse,
  type ApiTestEnv,
} from './support/api-env';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: ApiTestEnv;
beforeAll(async () => {
  t = await startApiEnv();
}, 60_000);
afterAll(() => t?.close());

let n = 0;
/** A fresh address per session, so the SMTP sink's last mail to it is that session's code. */
const address = () => `hardening${++n}-${Date.now()}@example.com`;
const sendBody = (overrides: Json = {}): Json => ({
  channels: ['email'],
  recipients: { email: address() },
  config: { resend_cooldown_seconds: 0 },
  ...overrides,
});

const send = (key: string, body: Json = sendBody(), headers: Record<string, string> = {}) =>
  t.call<Json>('POST', '/api/v1/otp/send', { key, body, headers });
const verify = (key: string, body: Json, headers: Record<string, string> = {}) =>
  t.call<Json>('POST', '/api/v1/otp/verify', { key, body, headers });
const resend = (key: string, body: Json, headers: Record<string, string> = {}) =>
  t.call<Json>('POST', '/api/v1/otp/resend', { key, body, headers });
const detail = (key: string, id: string) => t.call<Json>('GET', `/api/v1/otp/sessions/${id}`, { key });
const cancel = (key: string, id: string, headers: Record<string, string> = {}) =>
  t.call<Json>('POST', `/api/v1/otp/sessions/${id}/cancel`, { key, headers });
const list = (key: string, query: string) => t.call<Json>('GET', `/api/v1/otp/sessions?${query}`, { key });

function expectError(response: ApiResponse<Json>, status: number, code: string) {
  expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
}

/** A started live email session and the code the SMTP sink received for it. */
async function liveSession(overrides: Json = {}): Promise<Json> {
  const body = sendBody(overrides);
  const sent = await send(KEYS.acmeLive, body);
  expect(sent.status).toBe(201);
  expect(sent.body.sandbox_otps).toBeUndefined();
  const code = lastEmailedCode(t.smtp, body.recipients.email);
  expect(code).toBeDefined();
  return { ...sent.body, code: code! };
}

describe('key modes (SPEC §7)', () => {
  it('a test key finds a live session of its own tenant nowhere: detail, verify, resend, cancel', async () => {
    const live = await liveSession();
    const token = live.session_token;
    expectError(await detail(KEYS.acmeTest, live.session_id), 400, 'session_not_found');
    // The right code, the right tenant: still unknown to a test key, and no attempt is spent.
    expectError(await verify(KEYS.acmeTest, { token, otps: { email: live.code } }), 400, 'session_not_found');
    expectError(await resend(KEYS.acmeTest, { token }), 400, 'session_not_found');
    expectError(await cancel(KEYS.acmeTest, live.session_id), 400, 'session_not_found');

    const untouched = await detail(KEYS.acmeLive, live.session_id);
    expect(untouched.body).toMatchObject({
      status: 'pending',
      attempts: { failed: 0 },
      resends: { used: 0 },
    });
    expect(untouched.body.events.map((e: Json) => e.type)).toEqual(['created', 'sent']);
    const verified = await verify(KEYS.acmeLive, { token, otps: { email: live.code } });
    expect(verified.body.status).toBe('verified');
  });

  it('a closed live session answers a test key as unknown too, not with its final status', async () => {
    const live = await liveSession();
    expect((await cancel(KEYS.acmeLive, live.session_id)).body.status).toBe('cancelled');
    await t.sessions.env.client.workflow.getHandle(`otp-acme-${live.session_id}`).result();
    const token = live.session_token;
    expectError(await detail(KEYS.acmeTest, live.session_id), 400, 'session_not_found');
    expectError(await verify(KEYS.acmeTest, { token, otps: { email: live.code } }), 400, 'session_not_found');
    expectError(await resend(KEYS.acmeTest, { token }), 400, 'session_not_found');
    expectError(await cancel(KEYS.acmeTest, live.session_id), 400, 'session_not_found');
    // The live key still learns why.
    expectError(await verify(KEYS.acmeLive, { token, otps: { email: live.code } }), 400, 'session_cancelled');
  });

  it('a live key acts on the sandbox sessions it opens with sandbox_mode', async () => {
    const sent = await send(KEYS.acmeLive, sendBody({ sandbox_mode: true }));
    expect(sent.status).toBe(201);
    const { session_id, session_token: token, sandbox_otps } = sent.body;
    expect((await detail(KEYS.acmeLive, session_id)).body).toMatchObject({
      sandbox: true,
      status: 'pending',
    });
    const resent = await resend(KEYS.acmeLive, { token });
    expect(resent.status).toBe(200);
    expect(resent.body.sandbox_otps.email).toMatch(/^\d{8}$/);
    const wrong = resent.body.sandbox_otps.email === '00000000' ? '11111111' : '00000000';
    expectError(await verify(KEYS.acmeLive, { token, otps: { email: wrong } }), 400, 'invalid_otp');
    expect((await cancel(KEYS.acmeLive, session_id)).body.status).toBe('cancelled');
    expect(sandbox_otps.email).toBeDefined();
    // ... and the tenant's test key does not: a live key opened it (SPEC §7).
    expectError(await detail(KEYS.acmeTest, session_id), 400, 'session_not_found');
  });

  it('a sandbox session a test key opened never passes for a live one: unknown to live keys on verify, resend, detail, cancel', async () => {
    const body = sendBody({ metadata: { purpose: 'sandbox-forgery', user_id: 'victim' } });
    const sent = await send(KEYS.acmeTest, body);
    expect(sent.status).toBe(201);
    const { session_id, session_token: token, sandbox_otps } = sent.body;
    // The right code, the right tenant, a genuine token: a live key still finds no such session,
    // and the session is untouched by its tries.
    expectError(await verify(KEYS.acmeLive, { token, otps: sandbox_otps }), 400, 'session_not_found');
    expectError(await resend(KEYS.acmeLive, { token }), 400, 'session_not_found');
    expectError(await detail(KEYS.acmeLive, session_id), 400, 'session_not_found');
    expectError(await cancel(KEYS.acmeLive, session_id), 400, 'session_not_found');
    expect((await detail(KEYS.acmeTest, session_id)).body).toMatchObject({
      status: 'pending',
      sandbox: true,
      key_mode: 'test',
      attempts: { failed: 0 },
      resends: { used: 0 },
    });
    // The test key itself is told it is a sandbox, on every answer.
    const resent = await resend(KEYS.acmeTest, { token });
    expect(resent.body).toMatchObject({ success: true, sandbox: true });
    const verified = await verify(KEYS.acmeTest, { token, otps: resent.body.sandbox_otps });
    expect(verified.body).toMatchObject({ status: 'verified', sandbox: true });
    // Closed, it is as unknown to a live key as before.
    await t.sessions.env.client.workflow.getHandle(`otp-acme-${session_id}`).result();
    expectError(
      await verify(KEYS.acmeLive, { token, otps: resent.body.sandbox_otps }),
      400,
      'session_not_found',
    );
    expectError(await detail(KEYS.acmeLive, session_id), 400, 'session_not_found');
  });

  it('verify, resend and detail say sandbox: false for a live session', async () => {
    const body = sendBody();
    const sent = await send(KEYS.acmeLive, body);
    const { session_id, session_token: token } = sent.body;
    expect((await detail(KEYS.acmeLive, session_id)).body).toMatchObject({
      sandbox: false,
      key_mode: 'live',
    });
    const resent = await resend(KEYS.acmeLive, { token });
    expect(resent.body).toMatchObject({ success: true, sandbox: false });
    expect(resent.body.sandbox_otps).toBeUndefined();
    // The resend's mail is the second one to the address.
    await eventually(
      async () => t.smtp.messages.filter((m) => m.envelope.to.includes(body.recipients.email)).length,
      (count) => count === 2,
    );
    const code = lastEmailedCode(t.smtp, body.recipients.email);
    const verified = await verify(KEYS.acmeLive, { token, otps: { email: code } });
    expect(verified.body).toMatchObject({ status: 'verified', sandbox: false });
  });

  it('lists: each key mode sees only the sessions its own mode opened', async () => {
    const since = new Date().toISOString();
    const live = await liveSession({ metadata: { purpose: 'modes-list' } });
    const sandboxOfLiveKey = (await send(KEYS.acmeLive, sendBody({ sandbox_mode: true }))).body;
    const sandboxOfTestKey = (await send(KEYS.acmeTest)).body;
    const ids = (r: ApiResponse<Json>) => r.body.data.map((s: Json) => s.session_id);
    await eventually(
      () => list(KEYS.acmeTest, `created_after=${since}`),
      (r) => r.body.data.length === 1,
    );
    const all = await eventually(
      () => list(KEYS.acmeLive, `created_after=${since}`),
      (r) => r.body.data.length === 2,
    );
    expect(ids(all)).toEqual([sandboxOfLiveKey.session_id, live.session_id]);
    expect(ids(await list(KEYS.acmeTest, `created_after=${since}`))).toEqual([sandboxOfTestKey.session_id]);
    expect(ids(await list(KEYS.acmeLive, `created_after=${since}&sandbox=true`))).toEqual([
      sandboxOfLiveKey.session_id,
    ]);
    expect(ids(await list(KEYS.acmeTest, `created_after=${since}&sandbox=false`))).toEqual([]);
    expect(ids(await list(KEYS.acmeTest, `purpose=modes-list`))).toEqual([]);
    expect(ids(await list(KEYS.acmeLive, `created_after=${since}&sandbox=false`))).toEqual([live.session_id]);
  });

  it('scopes Idempotency-Key per mode: a test key reusing a live send key gets its own sandbox session', async () => {
    const headers = { 'Idempotency-Key': `modes-${Date.now()}` };
    const body = sendBody();
    const first = await send(KEYS.acmeLive, body, headers);
    expect(first.status).toBe(201);
    const fromTestKey = await send(KEYS.acmeTest, body, headers);
    expect(fromTestKey.status).toBe(201);
    expect(fromTestKey.body.session_id).not.toBe(first.body.session_id);
    expect(fromTestKey.body.session_token).not.toBe(first.body.session_token);
    expect(fromTestKey.body.sandbox_otps.email).toBeDefined();
    expect((await detail(KEYS.acmeTest, fromTestKey.body.session_id)).body.sandbox).toBe(true);
    // Both keys repeat into their own session.
    expect((await send(KEYS.acmeTest, body, headers)).body.session_id).toBe(fromTestKey.body.session_id);
    expect((await send(KEYS.acmeLive, body, headers)).body.session_id).toBe(first.body.session_id);
    // The live session saw nothing of the test key.
    expect((await detail(KEYS.acmeLive, first.body.session_id)).body.events.map((e: Json) => e.type)).toEqual(
      ['created', 'sent'],
    );
  });
});

describe('Idempotency-Key reused with another body (SPEC §7)', () => {
  const idempotent = (key: string) => ({ 'Idempotency-Key': `${key}-${Date.now()}-${++n}` });

  it('the same body gets the same session and token; another body 422 idempotency_key_reused', async () => {
    const headers = idempotent('reuse');
    const body = sendBody({ metadata: { purpose: 'login', user_id: 'u1' } });
    const first = await send(KEYS.acmeTest, body, headers);
    expect(first.status).toBe(201);
    // The same request with its fields in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const repeat = await send(KEYS.acmeTest, reordered, headers);
    expect(repeat.status).toBe(201);
    expect(repeat.body).toMatchObject({
      session_id: first.body.session_id,
      session_token: first.body.session_token,
    });

    for (const other of [
      { ...body, recipients: { email: address() } },
      { ...body, metadata: { purpose: 'login', user_id: 'u2' } },
      { ...body, config: { resend_cooldown_seconds: 1 } },
      { ...body, sandbox_mode: true },
    ]) {
      const refused = await send(KEYS.acmeTest, other, headers);
      expectError(refused, 422, 'idempotency_key_reused');
      expect(refused.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
      expect(refused.body).not.toHaveProperty('session_token');
      expect(refused.body).not.toHaveProperty('sandbox_otps');
    }

    // Also once the session has closed (answered from its result).
    expect((await cancel(KEYS.acmeTest, first.body.session_id)).status).toBe(200);
    expectError(await send(KEYS.acmeTest, sendBody(), headers), 422, 'idempotency_key_reused');
    expect((await send(KEYS.acmeTest, body, headers)).body).toMatchObject({
      session_id: first.body.session_id,
      status: 'cancelled',
    });
  });

  it('simultaneous first sends with two bodies: one body wins the session, every other answers 422', async () => {
    const headers = idempotent('race');
    const [a, b] = [sendBody(), sendBody()];
    const responses = await Promise.all(
      [a, b, a, b, a, b].map((body) => send(KEYS.acmeTest, body, headers).then((r) => ({ body, r }))),
    );
    const winner = responses.find(({ r }) => r.status === 201)!.body;
    for (const { body, r } of responses) {
      if (body === winner) expect(r.status).toBe(201);
      else expectError(r, 422, 'idempotency_key_reused');
    }
    const ids = new Set(responses.filter(({ r }) => r.status === 201).map(({ r }) => r.body.session_id));
    expect(ids.size).toBe(1);
    const session = await detail(KEYS.acmeTest, [...ids][0]);
    expect(Object.values(session.body.channels as Json).map((c: Json) => c.recipient)).toEqual([
      winner.recipients.email,
    ]);
  });

  it('a reused key is refused before the rate limits and credits are asked', async () => {
    let admitted = 0;
    const counting = await t.startVariant({
      guards: {
        beforeSend: async () => {
          admitted++;
        },
      },
    });
    const headers = {
      'Content-Type': 'application/json',
      'X-API-Key': KEYS.acmeTest,
      ...idempotent('guards'),
    };
    const post = (body: Json) =>
      fetch(`${counting.url}/api/v1/otp/send`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post(sendBody())).status).toBe(201);
    expect(admitted).toBe(1);
    expect((await post(sendBody())).status).toBe(422);
    expect(admitted).toBe(1);
  });
});

describe('metadata.purpose (SPEC §7 sizes)', () => {
  const withPurpose = (purpose: unknown) => sendBody({ metadata: { purpose, user_id: 'u1' } });

  it('accepts 100 characters of the list filter alphabet, and the list filter finds it', async () => {
    const purpose = `${Date.now()} _.:@/+-`.padEnd(100, 'x');
    const sent = await send(KEYS.acmeTest, withPurpose(purpose));
    expect(sent.status).toBe(201);
    const found = await eventually(
      () => list(KEYS.acmeTest, `purpose=${encodeURIComponent(purpose)}`),
      (r) => r.body.data?.length === 1,
    );
    expect(found.body.data).toEqual([expect.objectContaining({ session_id: sent.body.session_id, purpose })]);
  });

  it.each([
    ['101 characters', 'x'.repeat(101)],
    ['empty', ''],
    ['a quote', "login' OR '1'='1"],
    ['a non-ASCII letter', 'connexion-é'],
    ['a newline', 'login\nx'],
    ['a number', 42],
    ['null', null],
  ])('refuses a purpose that is %s with validation_error at metadata.purpose', async (_name, purpose) => {
    const refused = await send(KEYS.acmeTest, withPurpose(purpose));
    expectError(refused, 400, 'validation_error');
    expect(refused.body.details).toEqual([{ path: 'metadata.purpose', message: expect.any(String) }]);
  });

  it('leaves other metadata free, and a send without purpose as before', async () => {
    expect((await send(KEYS.acmeTest, sendBody({ metadata: { note: "anything: 'é'\n" } }))).status).toBe(201);
    expect((await send(KEYS.acmeTest, sendBody())).status).toBe(201);
  });
});

describe('caching (SPEC §7)', () => {
  it('sends Cache-Control: no-store with send and resend (token, sandbox codes) and every other API answer', async () => {
    const sent = await send(KEYS.acmeTest);
    expect(sent.body.session_token).toBeDefined();
    const token = sent.body.session_token;
    const resent = await resend(KEYS.acmeTest, { token });
    expect(resent.body.sandbox_otps.email).toBeDefined();
    const answers = [
      sent,
      resent,
      await verify(KEYS.acmeTest, { token, otps: { email: resent.body.sandbox_otps.email } }),
      await detail(KEYS.acmeTest, sent.body.session_id),
      await list(KEYS.acmeTest, 'limit=1'),
      await send(KEYS.acmeTest, {}),
      await send('sk_test_unknown', sendBody()),
      await t.call<Json>('GET', '/api/v1/otp/nope', { key: KEYS.acmeTest }),
    ];
    expect(answers.map((r) => [r.status, r.headers.get('Cache-Control')])).toEqual(
      answers.map((r) => [r.status, 'no-store']),
    );
  });
});

describe('retried verify, resend and cancel with one Idempotency-Key', () => {
  const once = (label: string) => ({ 'Idempotency-Key': `${label}-${Date.now()}-${++n}` });
  const sandbox = async (overrides: Json = {}) => {
    const sent = await send(KEYS.acmeTest, sendBody(overrides));
    expect(sent.status).toBe(201);
    const code: string = sent.body.sandbox_otps.email;
    return { ...sent.body, wrong: code === '00000000' ? '11111111' : '00000000' } as Json;
  };

  it('a wrong code sent twice with one key spends one attempt and answers the same invalid_otp', async () => {
    const s = await sandbox();
    const headers = once('verify');
    const body = { token: s.session_token, otps: { email: s.wrong } };
    const first = await verify(KEYS.acmeTest, body, headers);
    const retry = await verify(KEYS.acmeTest, body, headers);
    expectError(first, 400, 'invalid_otp');
    expect(retry.body).toEqual(first.body);
    expect(first.body.attempts_remaining).toBe(2);
    expect((await detail(KEYS.acmeTest, s.session_id)).body.attempts).toMatchObject({ failed: 1 });
    // Another key (or none) is another request.
    expectError(await verify(KEYS.acmeTest, body, once('verify')), 400, 'invalid_otp');
    expect((await detail(KEYS.acmeTest, s.session_id)).body.attempts).toMatchObject({ failed: 2 });
  });

  it('simultaneous retries of one verify spend one attempt', async () => {
    const s = await sandbox();
    const headers = once('verify-race');
    const body = { token: s.session_token, otps: { email: s.wrong } };
    const answers = await Promise.all([1, 2, 3, 4].map(() => verify(KEYS.acmeTest, body, headers)));
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect((await detail(KEYS.acmeTest, s.session_id)).body.attempts).toMatchObject({ failed: 1 });
  });

  it('a resend sent twice with one key resends once and answers the same codes', async () => {
    const s = await sandbox();
    const headers = once('resend');
    const first = await resend(KEYS.acmeTest, { token: s.session_token }, headers);
    const retry = await resend(KEYS.acmeTest, { token: s.session_token }, headers);
    expect(first.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect((await detail(KEYS.acmeTest, s.session_id)).body.resends).toMatchObject({ used: 1 });
    const other = await resend(KEYS.acmeTest, { token: s.session_token }, once('resend'));
    expect(other.status).toBe(200);
    expect((await detail(KEYS.acmeTest, s.session_id)).body.resends).toMatchObject({ used: 2 });
  });

  it('one key on two sessions names two requests; from a live key it reaches no test key’s session', async () => {
    const [a, b] = [await sandbox(), await sandbox()];
    const headers = once('shared');
    expectError(
      await verify(KEYS.acmeTest, { token: a.session_token, otps: { email: a.wrong } }, headers),
      400,
      'invalid_otp',
    );
    expectError(
      await verify(KEYS.acmeTest, { token: b.session_token, otps: { email: b.wrong } }, headers),
      400,
      'invalid_otp',
    );
    // A live key reaches no session a test key opened, whatever the key (SPEC §7).
    expectError(
      await verify(KEYS.acmeLive, { token: b.session_token, otps: { email: b.wrong } }, headers),
      400,
      'session_not_found',
    );
    expect((await detail(KEYS.acmeTest, a.session_id)).body.attempts).toMatchObject({ failed: 1 });
    expect((await detail(KEYS.acmeTest, b.session_id)).body.attempts).toMatchObject({ failed: 1 });
  });

  it('a successful verify or a cancel retried after the session closed answers the first outcome', async () => {
    const s = await sandbox();
    const headers = once('verify-ok');
    const body = { token: s.session_token, otps: { email: s.sandbox_otps.email } };
    const first = await verify(KEYS.acmeTest, body, headers);
    expect(first.body.status).toBe('verified');
    await t.sessions.env.client.workflow.getHandle(`otp-acme-${s.session_id}`).result();
    const retry = await verify(KEYS.acmeTest, body, headers);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 200, body: first.body });

    const c = await sandbox();
    const cancelKey = once('cancel');
    const cancelled = await cancel(KEYS.acmeTest, c.session_id, cancelKey);
    expect(cancelled.body.status).toBe('cancelled');
    await t.sessions.env.client.workflow.getHandle(`otp-acme-${c.session_id}`).result();
    const again = await cancel(KEYS.acmeTest, c.session_id, cancelKey);
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: cancelled.body });
  });

  it('refuses an unusable Idempotency-Key on verify, resend and cancel', async () => {
    const s = await sandbox();
    const headers = { 'Idempotency-Key': 'x'.repeat(256) };
    for (const response of [
      await verify(KEYS.acmeTest, { token: s.session_token, otps: { email: s.wrong } }, headers),
      await resend(KEYS.acmeTest, { token: s.session_token }, headers),
      await cancel(KEYS.acmeTest, s.session_id, headers),
    ]) {
      expectError(response, 400, 'validation_error');
      expect(response.body.details).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
    }
    expect((await detail(KEYS.acmeTest, s.session_id)).body).toMatchObject({
      status: 'pending',
      attempts: { failed: 0 },
      resends: { used: 0 },
    });
  });
});
