/**
 * An SMS pumping attack against the fraud defence (SPEC §11), over HTTP on the real stack: the
 * API with the real abuse controls, an in-process session worker sending live SMS through the
 * real Twilio sender to a Twilio fake (TWILIO_API_BASE_URL), the Temporal dev server, and a real
 * redis-server holding limits, credits and the fraud store. The fraud defence runs on a fake clock
 * this test moves, so a block's end is reached without waiting for it.
 *
 * Interleaved, at most 8 requests in flight: an attacker sends live SMS to sequential numbers of
 * two GB ranges from a new client IP each time (TRUST_PROXY) and verifies nothing; legitimate users
 * in thirteen countries (GB among them, in other ranges) send a few each and verify about 70 % of
 * their sessions with the code the Twilio fake received.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { createTwilioSender } from '../activities/twilio';
import { openRedisCreditStore } from '../src/credits/redis-store';
import { HOLD_MS } from '../src/credits/store';
import type { FraudObserver } from '../src/fraud/defence';
import type { FraudBlock } from '../src/fraud/store';
import type { RunningApi } from '../src/http/start';
import { startAbuseControls, type AbuseControls } from '../src/limits';
import type { AbuseAdmission } from '../src/limits/guards';
import type { TenantsFile } from '../src/config/tenants';
import { eventually, fetchJson, startApiEnv, type ApiTestEnv } from './support/api-env';
import { startRedisServer, type RedisServer } from './support/redis';
import { TEST_CODE_SECRET } from './support/session-env';
import { startTwilioFake, type TwilioFake } from './support/twilio-fake';

type Json = Record<string, unknown>;
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

const TENANT = 'pumped';
const KEY = `sk_live_pumped_${randomBytes(16).toString('hex')}`;
const ADMIN_TOKEN = 'fraud-attack-admin-token-that-is-long-enough-0123';
const CREDITS = 5_000;
const SMS_PRICE = 5;
/** SPEC §11 defaults, which the tenant keeps. */
const MIN_SENDS_RANGE = 15;
const FIRST_BLOCK_S = 5 * 60;
const IN_FLIGHT = 8;

/** The attacked ranges (E.164 without the last 4 digits), both GB mobile. */
const RANGES = ['+44740011', '+44740022'] as const;
const ATTACK_PER_RANGE = 60;
/** Inside the first attacked range, never one of the attacker's numbers. */
const SAFE_NUMBER = '+447400115555';

/** One valid mobile number per legitimate range: users vary its last two digits. */
const LEGIT_BASES = [
  '+12015550123', // US
  '+4915123456789', // DE
  '+33612345678', // FR
  '+34612345678', // ES
  '+393123456789', // IT
  '+31612345678', // NL
  '+5511961234567', // BR
  '+918123456789', // IN
  '+61412345678', // AU
  '+819012345678', // JP
  '+46701234567', // SE
  '+522221234567', // MX
  '+447400330000', // GB, not an attacked range
  '+447400440000', // GB
  '+447400550000', // GB
];
const LEGIT_PER_RANGE = 4;

const TENANTS: TenantsFile = {
  tenants: [
    {
      id: TENANT,
      name: 'Pumped',
      api_keys: [{ id: 'live', mode: 'live', sha256: sha256(KEY) }],
      templates: { otp_sms: { text: 'Your Pumped code: {{code}}' } },
      // The per-recipient and per-IP limits are not what this test is about.
      limits: {
        recipient_sends: { max: 1_000, window_minutes: 10 },
        ip_sends: { max: 10_000, window_minutes: 60 },
      },
      credits: CREDITS,
      // The range cap is not what this test is about: the detector is.
      fraud: { safe_list: [SAFE_NUMBER], range_sends_per_hour: 1000 },
    },
  ],
} as TenantsFile;

/** The fraud defence's clock: moved by the test only. */
let now = Date.now();
const clock = () => now;

let t: ApiTestEnv;
let redis: RedisServer;
let twilio: TwilioFake;
let abuse: AbuseControls;
let api: RunningApi;
const observed = { blocks: [] as FraudBlock[], refusals: new Map<string, number>() };
const observer: FraudObserver = {
  refused(channel, reason) {
    const key = `${channel}/${reason}`;
    observed.refusals.set(key, (observed.refusals.get(key) ?? 0) + 1);
  },
  blocked: async (_tenant, block) => void observed.blocks.push(block),
};
/** The worker admits resends and records verifications in the API's controls (as src/bin/dev.ts). */
const workerAdmission: AbuseAdmission = {
  admit: (admission) => abuse.admission.admit(admission),
  record: (verification) => abuse.admission.record(verification),
  get credits() {
    return abuse.admission.credits;
  },
};

interface Outcome {
  status: number;
  code?: string;
  reason?: string;
  retry_after?: number;
  token?: string;
}

async function send(to: string, ip: string): Promise<Outcome> {
  const r = await fetchJson<Json>(`${api.url}/api/v1/otp/send`, {
    method: 'POST',
    headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ channels: ['sms'], recipients: { sms: to } }),
  });
  return {
    status: r.status,
    code: r.body.code as string | undefined,
    reason: r.body.reason as string | undefined,
    retry_after: r.body.retry_after as number | undefined,
    token: r.body.session_token as string | undefined,
  };
}

const isSuspectedFraud = (o: Outcome) =>
  o.status === 403 && o.code === 'recipient_blocked' && o.reason === 'suspected_fraud';

/** The code of the last SMS the Twilio fake received for `to`. */
async function smsCode(to: string): Promise<string | undefined> {
  const request = await eventually(
    async () => twilio.requests.filter((r) => r.to === to).at(-1),
    (r) => r !== undefined,
    20_000,
  );
  return request?.body?.match(/Your Pumped code: (\d+)/)?.[1];
}

function admin(method: string, route: string) {
  return fetchJson<Json>(`${api.url}/api/v1/admin/tenants/${TENANT}${route}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
}

async function balance(): Promise<number> {
  const r = await fetchJson<Json>(`${api.url}/api/v1/otp/balance`, { headers: { 'X-API-Key': KEY } });
  expect(r.status).toBe(200);
  return r.body.credits as number;
}

/** Runs the jobs in order with at most `width` in flight. */
async function pool(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** A small deterministic PRNG (mulberry32), so the interleaving is the same every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Merges queues at random, each queue keeping its own order (the attacker's numbers stay sequential). */
function interleave<T>(queues: T[][], random: () => number): T[] {
  const rest = queues.map((q) => [...q]).filter((q) => q.length > 0);
  const out: T[] = [];
  while (rest.length > 0) {
    const i = Math.floor(random() * rest.length);
    out.push(rest[i].shift()!);
    if (rest[i].length === 0) rest.splice(i, 1);
  }
  return out;
}

const attackNumber = (range: string, i: number) => `${range}${String(i).padStart(4, '0')}`;
let ipCount = 0;
/** A client IP never used before (TEST-NET and benchmarking blocks). */
const freshIp = () => {
  const n = ++ipCount;
  return `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`;
};

function phoneFacts(e164: string) {
  const parsed = parsePhoneNumberFromString(e164);
  return { valid: parsed?.isValid() ?? false, type: parsed?.getType(), country: parsed?.country };
}

// Figures gathered along the way, printed as one table at the end.
interface AttackSend extends Outcome {
  range: string;
  index: number;
}
const attack: AttackSend[] = [];
const legit: (Outcome & { to: string; verified: boolean })[] = [];
const figures: Record<string, string | number> = {};
/** GET /balance once the attack's admitted messages were delivered, and the balance without holds. */
let afterAttack: { visible: number; paidForGood: number } | undefined;
const started = Date.now();

beforeAll(async () => {
  [redis, twilio] = await Promise.all([startRedisServer(), startTwilioFake()]);
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const sms = createTwilioSender('sms', {
    accountSid,
    authToken: randomBytes(16).toString('hex'),
    smsFrom: '+15005550006',
    apiBaseUrl: twilio.baseUrl,
  });
  t = await startApiEnv({
    admission: workerAdmission,
    senders: { sms },
    tenants: TENANTS,
    env: { REDIS_URL: redis.url, TRUST_PROXY: 'true', OTP_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  abuse = await startAbuseControls(t.config, TEST_CODE_SECRET, observer, clock);
  api = await t.startVariant({
    config: t.config,
    guards: abuse.guards,
    credits: abuse.admission.credits,
    fraud: abuse.fraud,
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await abuse?.close();
  await twilio?.close();
  await redis?.stop();
});

describe('an SMS pumping attack against live SMS, mixed with legitimate traffic', () => {
  it('the numbers are what they claim: the attacked ranges and every legitimate one are valid mobile numbers', () => {
    const mobile = expect.stringMatching(/^(MOBILE|FIXED_LINE_OR_MOBILE)$/);
    for (const range of RANGES)
      for (let i = 0; i < ATTACK_PER_RANGE + 20; i++)
        expect(phoneFacts(attackNumber(range, i))).toEqual({
          valid: true,
          type: mobile,
          country: 'GB',
        });
    expect(phoneFacts(SAFE_NUMBER)).toMatchObject({ valid: true, country: 'GB' });
    const countries = new Set<string>();
    for (const base of LEGIT_BASES)
      for (let u = 0; u < LEGIT_PER_RANGE; u++) {
        const facts = phoneFacts(legitNumber(base, u));
        expect(facts).toMatchObject({ valid: true, type: mobile });
        countries.add(facts.country!);
      }
    expect(countries.size).toBeGreaterThanOrEqual(10);
  });

  it('blocks the attacked ranges after the detector threshold, and refuses no legitimate send', async () => {
    const balanceBefore = await balance();
    const attackQueues = RANGES.map((range) =>
      Array.from({ length: ATTACK_PER_RANGE }, (_, index) => async () => {
        const outcome = await send(attackNumber(range, index), freshIp());
        attack.push({ ...outcome, range, index });
      }),
    );
    const legitQueues = LEGIT_BASES.map((base, b) =>
      Array.from({ length: LEGIT_PER_RANGE }, (_, u) => async () => {
        const to = legitNumber(base, u);
        const outcome = await send(to, `192.0.2.${b * LEGIT_PER_RANGE + u + 1}`);
        // About 70 % of sessions are verified, with the code the SMS carried.
        const verifies = (b * LEGIT_PER_RANGE + u) % 10 < 7;
        let verified = false;
        if (outcome.status === 201 && verifies) {
          const code = await smsCode(to);
          const r = await fetchJson<Json>(`${api.url}/api/v1/otp/verify`, {
            method: 'POST',
            headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json' },
            body: JSON.stringify({ token: outcome.token, otps: { sms: code } }),
          });
          verified = r.status === 200 && r.body.status === 'verified';
          expect({ to, status: r.status, body: r.body.status }).toEqual({
            to,
            status: 200,
            body: 'verified',
          });
        }
        legit.push({ ...outcome, to, verified });
      }),
    );
    const attackStarted = Date.now();
    await pool(interleave([...attackQueues, ...legitQueues], prng(20261207)), IN_FLIGHT);
    figures['mixed traffic, wall time (s)'] = ((Date.now() - attackStarted) / 1000).toFixed(1);

    // Every attacker send was admitted or refused as suspected fraud: neither the per-IP limit
    // nor the range cap is what stopped it.
    const odd = attack.filter((o) => o.status !== 201 && !isSuspectedFraud(o));
    expect(odd).toEqual([]);
    for (const range of RANGES) {
      const sends = attack.filter((o) => o.range === range);
      const admitted = sends.filter((o) => o.status === 201).length;
      const afterThreshold = sends.filter((o) => o.index >= MIN_SENDS_RANGE);
      const refusedAfter = afterThreshold.filter(isSuspectedFraud).length;
      figures[`attack ${range}xxxx: sends / admitted / refused`] =
        `${sends.length} / ${admitted} / ${sends.length - admitted}`;
      figures[`attack ${range}xxxx: refused after the first ${MIN_SENDS_RANGE}`] =
        `${refusedAfter}/${afterThreshold.length} (${pct(refusedAfter, afterThreshold.length)})`;
      expect(refusedAfter / afterThreshold.length).toBeGreaterThanOrEqual(0.9);
      // The detector trips at min_sends unverified sends in the window: no more are admitted.
      expect(admitted).toBeLessThanOrEqual(MIN_SENDS_RANGE);
      // The block just started: its retry_after is the first block's 5 min (the clock stood still).
      const retryAfters = sends.filter(isSuspectedFraud).map((o) => o.retry_after!);
      expect(Math.max(...retryAfters)).toBe(FIRST_BLOCK_S);
      expect(Math.min(...retryAfters)).toBe(FIRST_BLOCK_S);
    }
    expect(observed.blocks).toHaveLength(RANGES.length);
    expect(observed.blocks).toEqual(
      expect.arrayContaining(
        RANGES.map((subject) =>
          expect.objectContaining({
            channel: 'sms',
            scope: 'range',
            subject,
            count: 1,
            until: now + FIRST_BLOCK_S * 1000,
          }),
        ),
      ),
    );

    const legitRefused = legit.filter((o) => o.status !== 201);
    const verified = legit.filter((o) => o.verified).length;
    figures['legit: sends / refused'] =
      `${legit.length} / ${legitRefused.length} (${pct(legitRefused.length, legit.length)})`;
    figures['legit: verified'] = `${verified} (${pct(verified, legit.length)})`;
    figures['legit: countries'] = new Set(legit.map((o) => phoneFacts(o.to).country)).size;
    expect(legit).toHaveLength(LEGIT_BASES.length * LEGIT_PER_RANGE);
    expect(legitRefused.length / legit.length).toBeLessThanOrEqual(0.01);

    // Credits: once every admitted message is delivered (and so paid), what the attack cost is
    // what it paid for good: a refused send's hold goes back (src/credits), a debit stays.
    const attackAdmitted = attack.filter((o) => o.status === 201).length;
    const legitAdmitted = legit.length - legitRefused.length;
    await eventually(
      async () => twilio.requests.length,
      (n) => n >= attackAdmitted + legitAdmitted,
      30_000,
    );
    expect(twilio.requests).toHaveLength(attackAdmitted + legitAdmitted);
    const visible = await balance();
    const later = openRedisCreditStore({ url: redis.url, now: () => Date.now() + HOLD_MS + 60_000 });
    let paidForGood: number;
    try {
      paidForGood = (await later.balance({ id: TENANT, credits: CREDITS }))!;
    } finally {
      await later.close();
    }
    const spent = balanceBefore - paidForGood;
    const attackSpent = spent - legitAdmitted * SMS_PRICE;
    const bound = MIN_SENDS_RANGE * RANGES.length * SMS_PRICE;
    figures['credits: start / visible after (holds of refused sends) / paid for good'] =
      `${balanceBefore} / ${visible} / ${paidForGood}`;
    figures['credits: legit spend / attack spend / bound'] =
      `${legitAdmitted * SMS_PRICE} / ${attackSpent} / ${bound}`;
    expect(attackSpent).toBe(attackAdmitted * SMS_PRICE);
    expect(attackSpent).toBeLessThanOrEqual(bound);
    afterAttack = { visible, paidForGood };
  }, 120_000);

  it('holds no credits for refused sends: the balance right after the attack is down by what was sent only', () => {
    // SPEC §7: a send refused for any reason consumes no credits. A hold left behind by a refused
    // send lowers the balance for HOLD_MS (15 min): an attacker hammering a blocked range could
    // drain what the tenant's legitimate users can spend.
    expect(afterAttack).toBeDefined();
    expect(afterAttack!.visible).toBe(afterAttack!.paidForGood);
  });

  it('sends to a safe-listed number inside a blocked range', async () => {
    const before = twilio.requests.length;
    const r = await send(SAFE_NUMBER, freshIp());
    figures['safe-listed number in a blocked range'] = r.status;
    expect(r.status).toBe(201);
    await eventually(
      async () => twilio.requests.slice(before).some((m) => m.to === SAFE_NUMBER),
      Boolean,
      20_000,
    );
    expect(twilio.requests.slice(before).filter((m) => m.to === SAFE_NUMBER)).toHaveLength(1);
  });

  it('lists the blocks to the operator by key, with the window figures of the attacked country', async () => {
    const r = await admin('GET', '/fraud');
    expect(r.status).toBe(200);
    expect(r.body.blocks).toEqual(
      expect.arrayContaining(
        RANGES.map((range) =>
          expect.objectContaining({
            channel: 'sms',
            scope: 'range',
            subject: range,
            key: `sms:${range}`,
            blocks_in_24h: 1,
          }),
        ),
      ),
    );
    expect(r.body.blocks).toHaveLength(RANGES.length);
    expect(r.body.countries).toEqual(
      expect.arrayContaining([expect.objectContaining({ channel: 'sms', country: 'GB' })]),
    );
  });

  it('lifts a block over the admin API: a send to the range then passes', async () => {
    const [, lifted] = RANGES;
    const unauthorized = await fetchJson(
      `${api.url}/api/v1/admin/tenants/${TENANT}/fraud/blocks/range/${encodeURIComponent(`sms:${lifted}`)}`,
      { method: 'DELETE' },
    );
    expect(unauthorized.status).toBe(401);
    const r = await admin('DELETE', `/fraud/blocks/range/${encodeURIComponent(`sms:${lifted}`)}`);
    expect(r.status).toBe(204);
    const listed = await admin('GET', '/fraud');
    expect((listed.body.blocks as Json[]).map((b) => b.key)).toEqual([`sms:${RANGES[0]}`]);
    const after = await send(attackNumber(lifted, 100), freshIp());
    figures['send to the lifted range'] = outcomeText(after);
    expect(after.status).toBe(201);
  });

  it('ends the block when its time has passed: a send to the range passes again', async () => {
    const [range] = RANGES;
    const block = observed.blocks.find((b) => b.subject === range)!;
    // Still in force a second before its end.
    now = block.until - 1000;
    const before = await send(attackNumber(range, 200), freshIp());
    expect(before).toMatchObject({ status: 403, reason: 'suspected_fraud', retry_after: 1 });
    now = block.until + 1000;
    const after = await send(attackNumber(range, 201), freshIp());
    figures['send to the range after 5 min (fake clock)'] = outcomeText(after);
    expect(after.status).toBe(201);
  });

  it('blocks the range again when the attack resumes, for twice as long (escalation within 24 h)', async () => {
    const [range] = RANGES;
    const resumed: Outcome[] = [];
    for (let i = 0; i <= MIN_SENDS_RANGE; i++) {
      const o = await send(attackNumber(range, ATTACK_PER_RANGE + i), freshIp());
      resumed.push(o);
      if (o.status !== 201) break;
    }
    const refusal = resumed.at(-1)!;
    const admitted = resumed.filter((o) => o.status === 201).length;
    figures['resumed attack: admitted before the block'] = admitted;
    figures['resumed attack: retry_after (s)'] = refusal.retry_after ?? '-';
    expect(refusal).toMatchObject({ status: 403, code: 'recipient_blocked', reason: 'suspected_fraud' });
    expect(refusal.retry_after).toBeGreaterThanOrEqual(2 * FIRST_BLOCK_S - 5);
    expect(refusal.retry_after).toBeLessThanOrEqual(2 * FIRST_BLOCK_S);
    expect(admitted).toBeLessThanOrEqual(MIN_SENDS_RANGE);
    const listed = await admin('GET', '/fraud');
    expect(listed.body.blocks).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: `sms:${range}`, blocks_in_24h: 2 })]),
    );
  });

  it('writes no phone number and no range to the API log', () => {
    const numbers = [
      ...RANGES,
      SAFE_NUMBER,
      ...LEGIT_BASES.flatMap((base) =>
        Array.from({ length: LEGIT_PER_RANGE }, (_, u) => legitNumber(base, u)),
      ),
    ].map((n) => n.slice(1)); // without '+': nor in any other spelling
    expect(t.logs.length).toBeGreaterThan(0);
    const leaking = t.logs.filter((line) => numbers.some((n) => line.includes(n)));
    figures['API log lines / naming a number or range'] = `${t.logs.length} / ${leaking.length}`;
    expect(leaking).toEqual([]);
  });
});

afterAll(() => {
  figures['observed blocks'] = observed.blocks.map((b) => `${b.scope}#${b.count}`).join(', ');
  figures['refusals seen by the observer'] = [...observed.refusals]
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
  figures['run time (s)'] = ((Date.now() - started) / 1000).toFixed(1);
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  console.log(
    [
      'fraud attack (SPEC §11)',
      ...Object.entries(figures).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    ].join('\n'),
  );
});

function legitNumber(base: string, user: number): string {
  return `${base.slice(0, -2)}${String(10 + user * 7).padStart(2, '0')}`;
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`;
}

function outcomeText(o: Outcome): string {
  return o.status === 201 ? '201' : `${o.status} ${o.code}/${o.reason ?? ''} retry_after ${o.retry_after}`;
}
