/**
 * Abuse controls over HTTP (SPEC §5): cross-session rate limits, the failed-guess cap
 * that resends and new sessions cannot reset, and credits — against the real API, a real worker
 * and dev server, and a real redis-server for the limits shared by two API replicas.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAbuseControls, type AbuseControls } from '../src/limits';
import { withDemoKey } from '../src/demo';
import type { AbuseAdmission } from '../src/limits/guards';
import type { RunningApi } from '../src/http/start';
import type { Config } from '../src/config/config';
import { loadTenants, type TenantsFile } from '../src/config/tenants';
import { eventually, fetchJson, startApiEnv, type ApiTestEnv, forwardingAdmission } from './support/api-env';
import { TEST_CODE_SECRET } from './support/session-env';
import { startRedisServer, type RedisServer } from './support/redis';
import { UNOBSERVED } from '../src/fraud/defence';

type Json = Record<string, unknown>;
const SEND = '/api/v1/otp/send';
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const KEY = {
  limited: 'sk_test_limited_0123456789abcdef0123456789abcdef',
  paying: 'sk_live_paying_0123456789abcdef0123456789abcdef',
  burst: 'sk_live_burst_0123456789abcdef0123456789abcdef0',
  bulk: 'sk_live_bulk_0123456789abcdef0123456789abcdef01',
  payingTest: 'sk_test_paying_0123456789abcdef0123456789abcdef',
  mixedLive: 'sk_live_mixed_0123456789abcdef0123456789abcdef0',
  mixedTest: 'sk_test_mixed_0123456789abcdef0123456789abcdef0',
  demoLive: 'sk_live_demo_0123456789abcdef0123456789abcdef01',
};
const TENANTS: TenantsFile = {
  tenants: [
    {
      id: 'limited',
      name: 'Limited',
      api_keys: [{ id: 'k', mode: 'test', sha256: sha256(KEY.limited) }],
      defaults: { resend_cooldown_seconds: 0, max_attempts: 5 },
      limits: {
        recipient_sends: { max: 3, window_minutes: 10 },
        ip_sends: { max: 8, window_minutes: 60 },
        recipient_failures: { max: 4, block_hours: 24 },
      },
    },
    {
      id: 'paying',
      name: 'Paying',
      api_keys: [
        { id: 'live', mode: 'live', sha256: sha256(KEY.paying) },
        { id: 'test', mode: 'test', sha256: sha256(KEY.payingTest) },
      ],
      defaults: { resend_cooldown_seconds: 0 },
      credits: 3,
    },
    {
      id: 'burst',
      name: 'Burst',
      api_keys: [{ id: 'live', mode: 'live', sha256: sha256(KEY.burst) }],
      limits: { recipient_sends: { max: 3, window_minutes: 10 } },
      credits: 100,
    },
    {
      id: 'bulk',
      name: 'Bulk',
      api_keys: [{ id: 'live', mode: 'live', sha256: sha256(KEY.bulk) }],
      limits: { ip_sends: { max: 10_000, window_minutes: 60 } },
      credits: 50,
    },
    {
      id: 'mixed',
      name: 'Mixed',
      api_keys: [
        { id: 'live', mode: 'live', sha256: sha256(KEY.mixedLive) },
        { id: 'test', mode: 'test', sha256: sha256(KEY.mixedTest) },
      ],
      defaults: { resend_cooldown_seconds: 0 },
      limits: {
        recipient_sends: { max: 3, window_minutes: 10 },
        ip_sends: { max: 6, window_minutes: 60 },
      },
    },
    {
      id: 'demo',
      name: 'Demo',
      api_keys: [{ id: 'live', mode: 'live', sha256: sha256(KEY.demoLive) }],
      limits: {
        recipient_sends: { max: 3, window_minutes: 10 },
        ip_sends: { max: 3, window_minutes: 60 },
      },
    },
  ],
};

let t: ApiTestEnv;
let redis: RedisServer;
const started: { api: RunningApi; abuse: AbuseControls }[] = [];

/**
 * The worker admits resends and records verifications in the store of the newest replica, as
 * the embedded default's worker shares its API's store.
 */
let workerStore: AbuseAdmission | undefined;
const workerAdmission = forwardingAdmission(() => workerStore!);

/** An API replica with the real abuse controls; `redisUrl` shares its limits with other replicas. */
async function replica(overrides: Partial<Config> = {}) {
  const config: Config = { ...t.config, ...overrides };
  const abuse = await startAbuseControls(config, TEST_CODE_SECRET, UNOBSERVED);
  workerStore = abuse.admission;
  const api = await t.startVariant({
    config,
    tenants: loadTenants(tenantsFile),
    guards: abuse.guards,
    credits: abuse.admission.credits,
  });
  started.push({ api, abuse });
  return api;
}

/** The session's recordVerification activities: how many were scheduled, and how many completed. */
/**
 * The failure counts a session handed to bookkeeping workflows (SPEC §10: they may outlive it):
 * how many it started (its startFollowUp activities) and how many of them finished their record.
 */
async function recordVerifications(tenantId: string, sessionId: string) {
  const { client } = t.sessions.env;
  const workflowId = `otp-${tenantId}-${sessionId}`;
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = events.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'startFollowUp',
  ).length;
  let completed = 0;
  for await (const run of client.workflow.list({
    query: `WorkflowType = 'sessionBookkeeping' AND WorkflowId STARTS_WITH '${workflowId}-verification-'`,
  })) {
    if (run.status.name === 'COMPLETED') completed++;
  }
  return { scheduled, completed };
}

/** Resolves once every failure count the session owes has been recorded (its workflows completed). */
async function bookkeepingSettled(tenantId: string, sessionId: string, timeoutMs = 10_000): Promise<void> {
  const pending = async () => {
    const { scheduled, completed } = await recordVerifications(tenantId, sessionId);
    return scheduled - completed;
  };
  expect(await eventually(pending, (n) => n === 0, timeoutMs)).toBe(0);
}

let tenantsFile: string;
let n = 0;
/** A fresh address per test, so tests do not share counters. */
const address = () => `person${++n}-${Date.now()}@example.com`;

function send(api: RunningApi, key: string, email: string, headers: Record<string, string> = {}) {
  return fetchJson<Json>(`${api.url}${SEND}`, {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ channels: ['email'], recipients: { email } }),
  });
}

/** The caller's balance, as GET /balance answers it. */
async function balanceOf(api: RunningApi, key: string): Promise<number | null> {
  const r = await fetchJson<Json>(`${api.url}/api/v1/otp/balance`, { headers: { 'X-API-Key': key } });
  expect(r.status).toBe(200);
  return r.body.credits as number | null;
}

function post(api: RunningApi, key: string, route: string, body: Json) {
  return fetchJson<Json>(`${api.url}/api/v1/otp${route}`, {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'otp-abuse-'));
  tenantsFile = path.join(dir, 'tenants.json');
  writeFileSync(tenantsFile, JSON.stringify(TENANTS));
  [t, redis] = await Promise.all([startApiEnv({ admission: workerAdmission }), startRedisServer()]);
});

afterAll(async () => {
  for (const { abuse } of started) await abuse.close();
  await t?.close();
  await redis?.stop();
});

describe('rate limits', () => {
  it('refuses sends to one address beyond recipient_sends with 429 rate_limited, retry_after and Retry-After', async () => {
    const api = await replica();
    const to = address();
    for (let i = 0; i < 3; i++) expect((await send(api, KEY.limited, to)).status).toBe(201);
    const refused = await send(api, KEY.limited, to);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', code: 'rate_limited' });
    expect(refused.body.retry_after).toBeGreaterThan(0);
    expect(refused.body.retry_after).toBeLessThanOrEqual(600);
    expect(refused.headers.get('Retry-After')).toBe(String(refused.body.retry_after));
    // Another address is not affected; the message names no address and no limit.
    expect((await send(api, KEY.limited, address())).status).toBe(201);
    expect(JSON.stringify(refused.body)).not.toContain(to);
  });

  it('counts resends as sends', async () => {
    const api = await replica();
    const to = address();
    const first = await send(api, KEY.limited, to);
    const token = first.body.session_token as string;
    expect((await post(api, KEY.limited, '/resend', { token })).status).toBe(200);
    expect((await post(api, KEY.limited, '/resend', { token })).status).toBe(200);
    const refused = await post(api, KEY.limited, '/resend', { token });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
  });

  /** Sends from `forwardedFor` (undefined: no header) until the first refusal; how many got through. */
  async function sendsUntilRefused(api: RunningApi, forwardedFor?: string): Promise<number> {
    const headers: Record<string, string> =
      forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor };
    for (let accepted = 0; ; accepted++) {
      const r = await send(api, KEY.limited, address(), headers);
      if (r.status !== 201) {
        expect(r.body.code).toBe('rate_limited');
        return accepted;
      }
    }
  }
  const status = async (api: RunningApi, forwardedFor?: string) =>
    (
      await send(
        api,
        KEY.limited,
        address(),
        forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor },
      )
    ).status;

  it('limits sends per client IP; without TRUST_PROXY, X-Forwarded-For is ignored', async () => {
    const api = await replica();
    let accepted = 0;
    for (let i = 0; i < 10; i++) {
      const r = await send(api, KEY.limited, address(), { 'X-Forwarded-For': `203.0.113.${i}` });
      if (r.status === 201) accepted++;
      else expect(r.body.code).toBe('rate_limited');
    }
    expect(accepted).toBe(8);
  });

  it('with TRUST_PROXY the client is the right-most X-Forwarded-For entry; forged left entries change nothing', async () => {
    const api = await replica({ trustProxy: true });
    // The proxy's socket (127.0.0.1) forwards for 198.51.100.1 until its quota is spent.
    expect(await sendsUntilRefused(api, '198.51.100.1')).toBe(8);
    // Entries the client wrote itself stand to the left of what the proxy appended.
    expect(await status(api, '203.0.113.9, 198.51.100.1')).toBe(429);
    expect(await status(api, '203.0.113.9,198.51.100.1')).toBe(429);
    // Another client behind the same proxy has its own quota: the header is what counts.
    expect(await status(api, '198.51.100.2')).toBe(201);
    expect(await status(api, '198.51.100.1, 198.51.100.2')).toBe(201);
    expect(await status(api, '2001:db8::1')).toBe(201);
  });

  it('with TRUST_PROXY a missing or malformed X-Forwarded-For counts as the socket address', async () => {
    const api = await replica({ trustProxy: true });
    expect(await sendsUntilRefused(api)).toBe(8);
    for (const malformed of [
      'not-an-ip',
      '198.51.100.1, not-an-ip',
      '198.51.100.1,',
      '198.51.100.1:443',
      ' ',
    ]) {
      expect({ malformed, status: await status(api, malformed) }).toEqual({ malformed, status: 429 });
    }
    expect(await status(api, '198.51.100.1')).toBe(201);
  });

  it('with TRUST_PROXY_HOPS=2 the client is the second entry from the right', async () => {
    const api = await replica({ trustProxy: true, trustProxyHops: 2 });
    // client, first proxy; the second proxy is the socket.
    expect(await sendsUntilRefused(api, '198.51.100.1, 10.0.0.1')).toBe(8);
    expect(await status(api, '198.51.100.1, 10.0.0.2')).toBe(429);
    expect(await status(api, '203.0.113.9, 198.51.100.1, 10.0.0.1')).toBe(429);
    expect(await status(api, '198.51.100.2, 10.0.0.1')).toBe(201);
    // One entry where two proxies must have written two: not trusted, the socket counts.
    expect(await sendsUntilRefused(api, '198.51.100.3')).toBe(8);
    expect(await status(api)).toBe(429);
  });

  it('50 simultaneous sends to one address across two replicas sharing Redis let exactly 3 through', async () => {
    const [a, b] = [await replica({ redisUrl: redis.url }), await replica({ redisUrl: redis.url })];
    const to = address();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(i % 2 ? a : b, KEY.limited, to, {}).then((r) => r.status)),
    );
    expect(responses.filter((s) => s === 201)).toHaveLength(3);
    expect(responses.filter((s) => s === 429)).toHaveLength(47);
  });

  it('fails closed with 503 when the shared store is unreachable', async () => {
    const down = await startRedisServer();
    const api = await replica({ redisUrl: down.url });
    await down.stop();
    const response = await send(api, KEY.limited, address());
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('service_unavailable');
  });
});

describe('test keys neither disturb nor observe live counters (SPEC §7)', () => {
  it('sandbox sends and resends to an address count apart from live sends to it, both ways', async () => {
    const api = await replica();
    const to = address();
    // A test key spends the address's quota with a send and two resends…
    const sandbox = await send(api, KEY.mixedTest, to);
    expect(sandbox.status).toBe(201);
    const token = sandbox.body.session_token as string;
    expect((await post(api, KEY.mixedTest, '/resend', { token })).status).toBe(200);
    expect((await post(api, KEY.mixedTest, '/resend', { token })).status).toBe(200);
    expect((await send(api, KEY.mixedTest, to)).status).toBe(429);
    // …and live sends to it are untouched: all three go through.
    for (let i = 0; i < 3; i++) expect((await send(api, KEY.mixedLive, to)).status).toBe(201);
    expect((await send(api, KEY.mixedLive, to)).status).toBe(429);

    // The other way: live traffic to an address cannot be probed with a test key.
    const probed = address();
    for (let i = 0; i < 3; i++) expect((await send(api, KEY.mixedLive, probed)).status).toBe(201);
    expect((await send(api, KEY.mixedLive, probed)).status).toBe(429);
    const probe = await send(api, KEY.mixedTest, probed);
    expect(probe.status).toBe(201);
    expect(probe.headers.get('Retry-After')).toBeNull();
  });

  it('the per-IP limit counts sandbox and live sends apart', async () => {
    // Its own store: the IP (127.0.0.1) is every test's, and the other tests spent some of its quota.
    const api = await replica();
    for (let i = 0; i < 6; i++) expect((await send(api, KEY.mixedTest, address())).status).toBe(201);
    expect((await send(api, KEY.mixedTest, address())).body.code).toBe('rate_limited');
    for (let i = 0; i < 6; i++) expect((await send(api, KEY.mixedLive, address())).status).toBe(201);
    expect((await send(api, KEY.mixedLive, address())).body.code).toBe('rate_limited');
  });
});

describe('the /demo routes (SPEC §9)', () => {
  /** The embedded default's app, with the demo of tenant "demo" (at most 4 codes per caller IP), behind a proxy. */
  async function demoApi() {
    const config: Config = { ...t.config, trustProxy: true };
    const abuse = await startAbuseControls(config, TEST_CODE_SECRET, UNOBSERVED);
    workerStore = abuse.admission;
    const withDemo = withDemoKey(loadTenants(tenantsFile), 'demo')!;
    const api = await t.startVariant({
      config,
      tenants: withDemo.tenants,
      guards: abuse.guards,
      credits: abuse.admission.credits,
      demo: { ...withDemo.demo, limit: { max: 4, window_seconds: 600 } },
    });
    started.push({ api, abuse });
    return api;
  }
  const demoSend = (api: RunningApi, client: string, email: string) =>
    fetchJson<Json>(`${api.url}/demo/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': client },
      body: JSON.stringify({ channel: 'email', address: email }),
    });

  it("limit codes per caller IP in a limiter of their own, and never touch the tenant's live counters", async () => {
    const api = await demoApi();
    const shared = address();
    // One caller gets the demo's 4 codes (more than the tenant's per-IP 3: the demo's calls reach
    // the API from loopback, and are not counted there per IP)…
    for (const to of [shared, address(), address(), address()]) {
      const r = await demoSend(api, '198.51.100.7', to);
      expect({ status: r.status, code: r.body.code }).toEqual({ status: 200, code: undefined });
    }
    const refused = await demoSend(api, '198.51.100.7', address());
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    // …which is that caller's alone: another IP has its own.
    expect((await demoSend(api, '198.51.100.8', address())).status).toBe(200);

    // The tenant's live traffic from 127.0.0.1 still has its whole per-IP and per-address quota,
    // also to an address the demo sent to.
    for (let i = 0; i < 3; i++) expect((await send(api, KEY.demoLive, shared)).status).toBe(201);
    expect((await send(api, KEY.demoLive, address())).status).toBe(429);
  });

  it("count per recipient in the tenant's sandbox key space", async () => {
    const api = await demoApi();
    const to = address();
    for (const client of ['198.51.100.9', '198.51.100.10', '198.51.100.11'])
      expect((await demoSend(api, client, to)).status).toBe(200);
    const refused = await demoSend(api, '198.51.100.12', to);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
  });
});

describe('failed-guess cap across sessions', () => {
  it('blocks further sends to an address after recipient_failures wrong codes, whatever the sessions and resends', async () => {
    const api = await replica();
    const to = address();
    let failures = 0;
    // Two sessions (the per-address send limit is 3): 2 wrong codes each reach the cap of 4.
    for (let session = 0; session < 2; session++) {
      const sent = await send(api, KEY.limited, to);
      expect(sent.status).toBe(201);
      const code = (sent.body.sandbox_otps as Json).email as string;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 2; i++) {
        const r = await post(api, KEY.limited, '/verify', {
          token: sent.body.session_token,
          otps: { email: wrong },
        });
        expect(r.body.code).toBe('invalid_otp');
        expect(r.body).not.toHaveProperty('checked_recipients');
        failures++;
      }
    }
    expect(failures).toBe(4);
    // Each wrong code was counted by the activity that compared it, before its verify answered.
    const blocked = await send(api, KEY.limited, to);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('rate_limited');
    expect(blocked.body.retry_after).toBeGreaterThan(23 * 3600);
  });

  it('counts simultaneous wrong codes on one session exactly once each, as their compares record them', async () => {
    const api = await replica();
    const to = address();
    const sent = await send(api, KEY.limited, to);
    expect(sent.status).toBe(201);
    const code = (sent.body.sandbox_otps as Json).email as string;
    const wrong = code === '000000' ? '111111' : '000000';
    // 3 at once, under the cap of 4 and inside the session's 5 attempts.
    const answers = await Promise.all(
      Array.from({ length: 3 }, () =>
        post(api, KEY.limited, '/verify', { token: sent.body.session_token, otps: { email: wrong } }),
      ),
    );
    expect(answers.map((r) => `${r.status} ${r.body.code}`)).toEqual(Array(3).fill('400 invalid_otp'));
    expect(await recordVerifications('limited', sent.body.session_id as string)).toEqual({
      scheduled: 0,
      completed: 0,
    });
    // Exactly 3 counted: a 4th failure, not a 3rd, reaches the cap.
    const next = await send(api, KEY.limited, to);
    expect(next.status).toBe(201);
    const one = await post(api, KEY.limited, '/verify', {
      token: next.body.session_token,
      otps: { email: (next.body.sandbox_otps as Json).email === '000000' ? '111111' : '000000' },
    });
    expect(one.body.code).toBe('invalid_otp');
    expect((await send(api, KEY.limited, to)).status).toBe(429);
  });

  it('a right code resets the consecutive count; the verify response carries no recipient', async () => {
    const api = await replica();
    const to = address();
    // 3 failures, a success, 3 failures: 6 in all, over the cap of 4 unless the success reset the run.
    for (const endsRight of [true, false]) {
      const sent = await send(api, KEY.limited, to);
      expect(sent.status).toBe(201);
      const code = (sent.body.sandbox_otps as Json).email as string;
      const token = sent.body.session_token;
      for (let i = 0; i < 3; i++) {
        const r = await post(api, KEY.limited, '/verify', {
          token,
          otps: { email: code === '000000' ? '111111' : '000000' },
        });
        expect(r.body.code).toBe('invalid_otp');
      }
      if (endsRight) {
        const ok = await post(api, KEY.limited, '/verify', { token, otps: { email: code } });
        expect(ok.status).toBe(200);
        expect(ok.body).not.toHaveProperty('checked_recipients');
      }
      await bookkeepingSettled('limited', sent.body.session_id as string);
      // Every code was recorded by the activity that compared it: the session owes no record.
      expect(await recordVerifications('limited', sent.body.session_id as string)).toEqual({
        scheduled: 0,
        completed: 0,
      });
    }
    expect((await send(api, KEY.limited, to)).status).toBe(201);
  });
});

describe('credits', () => {
  it('debits each live message once, refuses with 402 before sending, never charges sandbox; detail shows cost', async () => {
    const api = await replica();
    const mailsBefore = t.smtp.messages.length;

    const to = address();
    const first = await send(api, KEY.paying, to, { 'Idempotency-Key': 'order-1' });
    expect(first.status).toBe(201);
    // The same Idempotency-Key is the same session: not charged again.
    const repeat = await send(api, KEY.paying, to, { 'Idempotency-Key': 'order-1' });
    expect(repeat.body.session_id).toBe(first.body.session_id);
    expect(await balanceOf(api, KEY.paying)).toBe(2);

    const detail = await fetchJson<Json>(`${api.url}/api/v1/otp/sessions/${first.body.session_id}`, {
      headers: { 'X-API-Key': KEY.paying },
    });
    expect(detail.body.cost).toBe(1);

    // A resend of the live session is one more message.
    expect((await post(api, KEY.paying, '/resend', { token: first.body.session_token })).status).toBe(200);
    expect(await balanceOf(api, KEY.paying)).toBe(1);

    // Two channels cost 1 + 5: more than the balance. Refused before anything is sent.
    const tooDear = await fetchJson<Json>(`${api.url}${SEND}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEY.paying, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        channels: ['email', 'sms'],
        recipients: { email: address(), sms: '+14155550100' },
      }),
    });
    expect(tooDear.status).toBe(402);
    expect(tooDear.body).toMatchObject({
      statusCode: 402,
      code: 'insufficient_balance',
      error: 'Payment Required',
    });
    expect(t.smtp.messages.length - mailsBefore).toBe(2);
    expect(await balanceOf(api, KEY.paying)).toBe(1);

    // Sandbox sessions cost nothing.
    const sandbox = await send(api, KEY.payingTest, address());
    expect(sandbox.status).toBe(201);
    expect(await balanceOf(api, KEY.paying)).toBe(1);
  });

  it('stays exact under concurrent live sends', async () => {
    const api = await replica();
    const balance = (await balanceOf(api, KEY.paying))!;
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => send(api, KEY.paying, address()).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(balance);
    expect(statuses.filter((s) => s === 402)).toHaveLength(6 - balance);
    expect(await balanceOf(api, KEY.paying)).toBe(0);
  });
});

describe('credits that scale (SPEC §7)', () => {
  it('200 simultaneous live sends against a balance for 50: exactly 50 messages go out, 150 × 402, balance 0', async () => {
    const api = await replica();
    const mailsBefore = t.smtp.messages.length;
    const run = `${Date.now()}`;
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        send(api, KEY.bulk, `bulk${i}-${run}@example.com`).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 402)).toHaveLength(150);
    expect(await balanceOf(api, KEY.bulk)).toBe(0);
    const mailed = t.smtp.messages
      .slice(mailsBefore)
      .filter((m) => m.envelope.to.some((to) => to.endsWith(run + '@example.com')));
    expect(mailed).toHaveLength(50);
  }, 120_000);

  it('a message the provider refuses for good costs nothing: its credits come back', async () => {
    const api = await replica();
    const before = (await balanceOf(api, KEY.burst))!;
    const refused = await send(api, KEY.burst, 'nobody@example.com');
    expect(refused.status).toBe(201);
    expect(
      await eventually(
        () => balanceOf(api, KEY.burst),
        (b) => b === before,
      ),
    ).toBe(before);
  });

  it('an operator tops up or sets a balance with OTP_ADMIN_TOKEN; other tokens are refused', async () => {
    const adminToken = 'admin-token-that-is-long-enough-0123456789abcdef';
    const api = await replica({ adminToken });
    const adjust = (token: string, body: Json, tenant = 'burst') =>
      fetchJson<Json>(`${api.url}/api/v1/admin/tenants/${tenant}/credits`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const before = (await balanceOf(api, KEY.burst))!;
    expect((await adjust(adminToken, { add: 25, reason: 'invoice 42' })).body).toEqual({
      credits: before + 25,
    });
    expect(await balanceOf(api, KEY.burst)).toBe(before + 25);
    expect((await adjust(adminToken, { set: 100 })).body).toEqual({ credits: 100 });
    expect((await adjust('wrong-token', { set: 1 })).status).toBe(401);
    expect((await adjust(adminToken, { set: -1 })).status).toBe(400);
    expect((await adjust(adminToken, { add: -1000 })).status).toBe(400);
    expect((await adjust(adminToken, { set: 1 }, 'limited')).status).toBe(400); // no balance limit
    expect((await adjust(adminToken, { set: 1 }, 'nope')).status).toBe(404);
    expect(await balanceOf(api, KEY.burst)).toBe(100);
    // Without OTP_ADMIN_TOKEN the endpoint does not exist.
    const closed = await replica();
    const r = await fetchJson<Json>(`${closed.url}/api/v1/admin/tenants/burst/credits`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ set: 1 }),
    });
    expect(r.status).toBe(404);
  });

  it('GET /balance answers null for a tenant without a balance limit', async () => {
    expect(await balanceOf(await replica(), KEY.limited)).toBeNull();
  });
});

describe('refused resends take nothing (SPEC §7)', () => {
  function sendWith(api: RunningApi, to: string, config: Json) {
    return fetchJson<Json>(`${api.url}${SEND}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEY.burst, 'Content-Type': 'application/json' },
      body: JSON.stringify({ channels: ['email'], recipients: { email: to }, config }),
    });
  }
  const tally = (codes: string[]) =>
    codes.reduce<Record<string, number>>((all, c) => ({ ...all, [c]: (all[c] ?? 0) + 1 }), {});
  const resendBurst = (api: RunningApi, token: unknown) =>
    Promise.all(
      Array.from({ length: 10 }, () =>
        post(api, KEY.burst, '/resend', { token }).then((r) =>
          r.status === 200 ? 'ok' : String(r.body.code),
        ),
      ),
    );

  it('10 simultaneous resends inside the cooldown: all cooldown_active, no quota or credit spent', async () => {
    const api = await replica();
    const to = address();
    const sent = await sendWith(api, to, { resend_cooldown_seconds: 600 });
    expect(sent.status).toBe(201);
    const balance = await balanceOf(api, KEY.burst);

    expect(tally(await resendBurst(api, sent.body.session_token))).toEqual({ cooldown_active: 10 });

    expect(await balanceOf(api, KEY.burst)).toBe(balance);
    // The address had 3 sends: the first session took one, the refused resends none.
    for (let i = 0; i < 2; i++) expect((await sendWith(api, to, {})).status).toBe(201);
    expect((await sendWith(api, to, {})).body.code).toBe('rate_limited');
  });

  it('10 simultaneous resends with one resend allowed: exactly one is admitted, paid and counted', async () => {
    const api = await replica();
    const to = address();
    const sent = await sendWith(api, to, { resend_cooldown_seconds: 0, max_resends: 1 });
    const balance = (await balanceOf(api, KEY.burst))!;

    expect(tally(await resendBurst(api, sent.body.session_token))).toEqual({
      ok: 1,
      resend_limit_reached: 9,
    });

    expect(await balanceOf(api, KEY.burst)).toBe(balance - 1);
    expect((await sendWith(api, to, {})).status).toBe(201);
    expect((await sendWith(api, to, {})).body.code).toBe('rate_limited');
  });
});

describe('verify while the limits store is down (SPEC §7)', () => {
  it("answers the session's own result, and counts the failures once the store is back", async () => {
    const store = await startRedisServer();
    const port = Number(new URL(store.url).port);
    const api = await replica({ redisUrl: store.url });
    const to = address();
    const sent = await send(api, KEY.limited, to);
    expect(sent.status).toBe(201);
    const code = (sent.body.sandbox_otps as Json).email as string;
    const wrong = code === '000000' ? '111111' : '000000';

    await store.stop();
    // recipient_failures max is 4 for this tenant; max_attempts is 5, so the session stays open.
    for (let i = 0; i < 4; i++) {
      const r = await post(api, KEY.limited, '/verify', {
        token: sent.body.session_token,
        otps: { email: wrong },
      });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('invalid_otp');
    }
    // checkCodes could not count them, so the session hands a record of each to a workflow.
    expect(await recordVerifications('limited', sent.body.session_id as string)).toEqual({
      scheduled: 4,
      completed: 0,
    });
    // Sends fail closed while the store is down.
    expect((await send(api, KEY.limited, to)).status).toBe(503);

    const back = await startRedisServer({ port });
    try {
      // The records are retried until the store answers: the 4 failures block the address.
      await bookkeepingSettled('limited', sent.body.session_id as string, 40_000);
      const blocked = await send(api, KEY.limited, to);
      expect(blocked.body.code).toBe('rate_limited');
      expect(blocked.body.retry_after).toBeGreaterThan(23 * 3600);
    } finally {
      await back.stop();
    }
  }, 60_000);

  it('verifies a right code, and resets the count once the store is back', async () => {
    const store = await startRedisServer();
    const port = Number(new URL(store.url).port);
    const api = await replica({ redisUrl: store.url });
    const to = address();
    const wrongCodes = async (times: number) => {
      const sent = await send(api, KEY.limited, to);
      expect(sent.status).toBe(201);
      const code = (sent.body.sandbox_otps as Json).email as string;
      for (let i = 0; i < times; i++) {
        const r = await post(api, KEY.limited, '/verify', {
          token: sent.body.session_token,
          otps: { email: code === '000000' ? '111111' : '000000' },
        });
        expect(r.body.code).toBe('invalid_otp');
      }
      await bookkeepingSettled('limited', sent.body.session_id as string);
      return { token: sent.body.session_token, id: sent.body.session_id as string, code };
    };
    // 3 failures counted (the cap is 4); then the right code while the store is down.
    const session = await wrongCodes(3);
    await store.stop();
    const back = await (async () => {
      const ok = await post(api, KEY.limited, '/verify', {
        token: session.token,
        otps: { email: session.code },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('verified');
      // checkCodes could not record the match, so the session hands a record to a workflow.
      expect(await recordVerifications('limited', session.id)).toEqual({
        scheduled: 1,
        completed: 0,
      });
      return startRedisServer({ port });
    })();
    try {
      await bookkeepingSettled('limited', session.id, 40_000);
      // 3 more failures: 6 in all, over the cap unless the success reset the run.
      await wrongCodes(3);
      expect((await send(api, KEY.limited, to)).status).toBe(201);
    } finally {
      await back.stop();
    }
  }, 60_000);
});
