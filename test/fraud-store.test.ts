/**
 * The fraud stores (src/fraud), SPEC §11: one suite run against the in-process store with its
 * journal and against a real redis-server, so the Lua twin of the rules cannot drift from
 * rules.ts: detector and blocks, escalation and lifting, range cap, country scope, safe list,
 * exact counts under concurrent admits, and everything surviving a restart. Random operation
 * sequences are then replayed on both stores, which must answer alike. Time is always passed in.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { DEFAULT_FRAUD_POLICY } from '../src/fraud/policy';
import { openLocalFraudStore } from '../src/fraud/local-store';
import { openRedisFraudStore } from '../src/fraud/redis-store';
import { HOUR_MS, MINUTE_MS } from '../src/fraud/rules';
import { FraudStoreUnavailable, type FraudStore, type PhoneTarget } from '../src/fraud/store';
import type { FraudPolicy } from '../workflows/session-types';
import { startRedisServer, type RedisServer } from './support/redis';

let redis: RedisServer;
let dir: string;
/** A fake clock on a minute boundary: the local store compacts against it at open. */
const clock = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
const now = () => clock;
/** The start of the clock's minute: buckets are per minute, so expected figures are exact. */
const minute = () => clock - (clock % MINUTE_MS);
let tenantCount = 0;
/** A fresh tenant per test: counters never leak from one test into another. */
const tenant = () => `t${++tenantCount}-${process.pid}`;

beforeAll(async () => {
  redis = await startRedisServer();
  dir = mkdtempSync(path.join(tmpdir(), 'otp-fraud-'));
});

afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function policy(change: {
  range?: number;
  country?: number;
  cap?: number;
  safe?: string[];
  first?: number;
  conversion?: number;
}): FraudPolicy {
  const d = DEFAULT_FRAUD_POLICY;
  return {
    ...d,
    safe_list: change.safe ?? [],
    range_sends_per_hour: change.cap ?? 1000,
    detector: {
      ...d.detector,
      min_conversion: change.conversion ?? d.detector.min_conversion,
      min_sends: { range: change.range ?? 1000, country: change.country ?? 1000 },
      block_minutes: { first: change.first ?? 5, max: 720 },
    },
  };
}

/** A number of range +1415555 (or another 4-digit-suffix range), in the US. */
const sms = (suffix: number, range = '+1415555', country: string | null = 'US'): PhoneTarget => ({
  channel: 'sms',
  e164: `${range}${String(suffix).padStart(4, '0')}`,
  ...(country !== null && { country }),
});

const journal = () => path.join(dir, 'fraud.jsonl');
const stores: Record<string, () => FraudStore> = {
  local: () => openLocalFraudStore({ file: journal(), now }),
  redis: () => openRedisFraudStore({ url: redis.url }),
};

describe('redis store', () => {
  it('fails closed: an unreachable Redis is FraudStoreUnavailable', async () => {
    const store = openRedisFraudStore({ url: 'redis://127.0.0.1:1' });
    await expect(store.admit('acme', policy({}), [sms(1)], clock)).rejects.toBeInstanceOf(
      FraudStoreUnavailable,
    );
    await expect(store.snapshot('acme', policy({}), clock)).rejects.toBeInstanceOf(FraudStoreUnavailable);
    await store.close();
    // ioredis keeps a timer (disconnectTimeout, 2 s) after closing a client that never connected.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
  });
});

describe.each(Object.keys(stores))('%s store', (kind) => {
  let store: FraudStore;
  beforeAll(() => {
    store = stores[kind]();
  });
  afterAll(() => store.close());

  /** Admits n sends to distinct numbers of one range, each expected to be admitted. */
  async function fill(id: string, p: FraudPolicy, n: number, at: number, range = '+1415555', country = 'US') {
    for (let i = 0; i < n; i++)
      expect(await store.admit(id, p, [sms(i, range, country)], at)).toEqual({ admitted: true });
  }

  it('the detector trips after min_sends unverified sends: refused, and a block started', async () => {
    const id = tenant();
    const p = policy({ range: 5 });
    const t = minute();
    await fill(id, p, 5, t);
    const verdict = await store.admit(id, p, [sms(99)], t + 1000);
    expect(verdict).toEqual({
      admitted: false,
      reason: 'suspected_fraud',
      retry_after: 300,
      channel: 'sms',
      started: {
        channel: 'sms',
        scope: 'range',
        subject: '+1415555',
        until: t + 1000 + 5 * MINUTE_MS,
        count: 1,
      },
    });
    // In force: refused without a new block; another range is untouched.
    expect(await store.admit(id, p, [sms(98)], t + 61_000)).toEqual({
      admitted: false,
      reason: 'suspected_fraud',
      retry_after: 240,
      channel: 'sms',
    });
    expect(await store.admit(id, p, [sms(1, '+1415556')], t + 61_000)).toEqual({ admitted: true });
    const snapshot = await store.snapshot(id, p, t + 61_000);
    expect(snapshot.blocks).toEqual([verdict.admitted ? undefined : verdict.started]);
    // Refused sends were not counted: 5 + 1 admitted.
    expect(snapshot.countries).toEqual([
      { channel: 'sms', scope: 'country', subject: 'US', sends: 6, verified: 0 },
    ]);
  });

  it('verified sessions keep the conversion above the threshold: no block', async () => {
    const id = tenant();
    const p = policy({ range: 5 });
    for (let i = 0; i < 20; i++) {
      const at = clock + i * 1000;
      expect(await store.admit(id, p, [sms(i)], at)).toEqual({ admitted: true });
      // One in four verified: 25 % stays above 20 %.
      if (i % 4 === 0) await store.recordVerified(id, p, [sms(i)], at + 500);
    }
    const snapshot = await store.snapshot(id, p, clock + 30_000);
    expect(snapshot.blocks).toEqual([]);
    expect(snapshot.countries).toEqual([
      { channel: 'sms', scope: 'country', subject: 'US', sends: 20, verified: 5 },
    ]);
  });

  it('a block ends when its time passes; the next one within 24 h is doubled', async () => {
    const id = tenant();
    const p = policy({ range: 5 });
    const t = minute();
    await fill(id, p, 5, t);
    expect(await store.admit(id, p, [sms(99)], t)).toMatchObject({
      started: { count: 1, until: t + 5 * MINUTE_MS },
    });
    // Its time passed: the sends that tripped it were answered by it, and the range is admitted.
    const later = t + 5 * MINUTE_MS + 1;
    expect(await store.admit(id, p, [sms(99)], later)).toEqual({ admitted: true });
    // The attack resumes: after as many unverified sends as the first time, a block twice as long.
    const resumed = later + MINUTE_MS;
    await fill(id, p, 4, resumed);
    expect(await store.admit(id, p, [sms(98)], resumed)).toMatchObject({
      retry_after: 600,
      started: { count: 2, until: resumed + 10 * MINUTE_MS },
    });
    expect((await store.snapshot(id, p, resumed)).blocks).toMatchObject([{ count: 2 }]);
  });

  it('lift ends a block at once; its history still escalates the next one', async () => {
    const id = tenant();
    const p = policy({ range: 5 });
    const t = minute();
    await fill(id, p, 5, t);
    await store.admit(id, p, [sms(99)], t);
    const lifted = t + 1000;
    expect(await store.lift(id, 'sms', 'range', '+1415555', lifted)).toBe(true);
    expect(await store.lift(id, 'sms', 'range', '+1415555', lifted)).toBe(false);
    expect(await store.lift(id, 'sms', 'range', '+9999999', lifted)).toBe(false);
    expect((await store.snapshot(id, p, lifted)).blocks).toEqual([]);
    // The sends that tripped it count no more: the range is admitted again ...
    const next = t + MINUTE_MS;
    expect(await store.admit(id, p, [sms(99)], next)).toEqual({ admitted: true });
    // ... until as many unverified sends trip it again: the block is then doubled.
    await fill(id, p, 4, next);
    expect(await store.admit(id, p, [sms(98)], next)).toMatchObject({ started: { count: 2 } });
  });

  it('a block more than 24 h after the previous one started is a first block again', async () => {
    const id = tenant();
    const p = policy({ range: 5 });
    const t = minute();
    await fill(id, p, 5, t);
    await store.admit(id, p, [sms(99)], t);
    const nextDay = t + 24 * HOUR_MS;
    await fill(id, p, 5, nextDay);
    expect(await store.admit(id, p, [sms(99)], nextDay)).toMatchObject({ started: { count: 1 } });
  });

  it('the range cap refuses with range_cap and the time until the oldest sends leave the hour', async () => {
    const id = tenant();
    const p = policy({ cap: 3 });
    const t = minute();
    await fill(id, p, 2, t);
    await fill(id, p, 1, t + 10 * MINUTE_MS);
    expect(await store.admit(id, p, [sms(7)], t + 20 * MINUTE_MS)).toEqual({
      admitted: false,
      reason: 'range_cap',
      retry_after: 40 * 60,
      channel: 'sms',
    });
    // Another channel's range is counted apart.
    expect(await store.admit(id, p, [{ ...sms(7), channel: 'whatsapp' }], t)).toEqual({ admitted: true });
    expect(await store.admit(id, p, [sms(7)], t + 60 * MINUTE_MS)).toEqual({ admitted: true });
  });

  it("a caller whose clock is behind never erases another's newer buckets", async () => {
    const id = tenant();
    const p = policy({ cap: 3 });
    const t = minute();
    await fill(id, p, 3, t + 5 * MINUTE_MS);
    await fill(id, p, 1, t); // a new bucket: older ones are forgotten, newer ones kept
    expect(await store.admit(id, p, [sms(9)], t + 5 * MINUTE_MS)).toMatchObject({ reason: 'range_cap' });
  });

  it('the country scope trips across ranges; a number of no country is not counted there', async () => {
    const id = tenant();
    const p = policy({ country: 5 });
    const t = minute();
    for (let i = 0; i < 5; i++) await fill(id, p, 1, t, `+141555${i}`);
    expect(await store.admit(id, p, [sms(1, '+1212555')], t)).toMatchObject({
      reason: 'suspected_fraud',
      started: { scope: 'country', subject: 'US', count: 1 },
    });
    expect(await store.admit(id, p, [sms(2, '+1313555')], t)).toMatchObject({ reason: 'suspected_fraud' });
    expect(await store.admit(id, p, [sms(1, '+4420794', 'GB')], t)).toEqual({ admitted: true });
    expect(await store.admit(id, p, [sms(1, '+8001234', null)], t)).toEqual({ admitted: true });
    expect((await store.snapshot(id, p, t)).blocks).toMatchObject([{ scope: 'country', subject: 'US' }]);
  });

  it('a safe-listed number is admitted inside a blocked range, and still counted', async () => {
    const id = tenant();
    const p = policy({ range: 5, cap: 6, safe: ['+14155550042', '+1415556'] });
    const t = minute();
    await fill(id, p, 5, t);
    expect(await store.admit(id, p, [sms(99)], t)).toMatchObject({ admitted: false });
    expect(await store.admit(id, p, [sms(42)], t)).toEqual({ admitted: true });
    expect(await store.admit(id, p, [sms(43)], t)).toMatchObject({ admitted: false });
    // A safe prefix: never capped either.
    for (let i = 0; i < 8; i++)
      expect(await store.admit(id, p, [sms(i, '+1415556')], t)).toEqual({ admitted: true });
    expect((await store.snapshot(id, p, t)).countries).toMatchObject([{ subject: 'US', sends: 14 }]);
  });

  it('a refused target refuses the whole send; nothing is counted for the others', async () => {
    const id = tenant();
    const p = policy({ cap: 1 });
    const t = minute();
    await store.admit(id, p, [{ ...sms(1), channel: 'whatsapp' }], t);
    expect(await store.admit(id, p, [sms(2), { ...sms(2), channel: 'whatsapp' }], t)).toMatchObject({
      reason: 'range_cap',
      channel: 'whatsapp',
    });
    expect(await store.admit(id, p, [sms(3)], t)).toEqual({ admitted: true });
  });

  it('50 simultaneous admits to one range: exactly the cap admitted', async () => {
    const id = tenant();
    const p = policy({ cap: 30 });
    const verdicts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.admit(id, p, [sms(i)], clock)),
    );
    expect(verdicts.filter((v) => v.admitted)).toHaveLength(30);
    expect(verdicts.filter((v) => !v.admitted && v.reason === 'range_cap')).toHaveLength(20);
    expect((await store.snapshot(id, p, clock)).countries).toMatchObject([{ sends: 30 }]);
  });

  it('survives a restart: blocks, escalation history and counters', async () => {
    const id = tenant();
    const p = policy({ range: 5, cap: 7 });
    const t = minute();
    await fill(id, p, 5, t);
    const started = await store.admit(id, p, [sms(99)], t);
    await fill(id, p, 2, t, '+1415556');
    await store.recordVerified(id, p, [sms(0, '+1415556')], t);
    await store.recordVerified(id, p, [sms(1, '+1415556')], t);
    const before = await store.snapshot(id, p, t);

    await store.close();
    store = stores[kind]();

    expect(await store.snapshot(id, p, t)).toEqual(before);
    expect(before.blocks).toEqual([started.admitted ? undefined : started.started]);
    expect(await store.admit(id, p, [sms(98)], t + 1000)).toMatchObject({ reason: 'suspected_fraud' });
    // The other range's 2 sends (both verified) still count towards its cap of 7.
    await fill(id, p, 5, t, '+1415556');
    expect(await store.admit(id, p, [sms(9, '+1415556')], t)).toMatchObject({ reason: 'range_cap' });
    // Its end lets the range through again; an attack resumed within 24 h is blocked twice as long.
    expect(await store.admit(id, p, [sms(99)], t + 5 * MINUTE_MS + 1)).toEqual({ admitted: true });
    const resumed = t + 61 * MINUTE_MS;
    await fill(id, p, 4, resumed);
    expect(await store.admit(id, p, [sms(98)], resumed)).toMatchObject({ started: { count: 2 } });
  });
});

describe('local store journal', () => {
  it('compacts minute buckets that left every window when it opens', async () => {
    const file = path.join(dir, 'compact.jsonl');
    const p = policy({});
    const t = minute();
    let store = openLocalFraudStore({ file, now: () => t });
    for (let i = 0; i < 100; i++) await store.admit('acme', p, [sms(i)], t + i * MINUTE_MS);
    await store.close();
    const lines = () => readFileSync(file, 'utf8').trim().split('\n').length;
    expect(lines()).toBe(200); // range and country, per send
    // Opened three hours later: nothing is left to read.
    store = openLocalFraudStore({ file, now: () => t + 3 * HOUR_MS });
    await store.close();
    expect(readFileSync(file, 'utf8')).toBe('');
    // Opened one minute after the last send: its last hour only, one line per bucket.
    store = openLocalFraudStore({ file: path.join(dir, 'compact2.jsonl'), now: () => t });
    for (let i = 0; i < 100; i++) await store.admit('acme', p, [sms(i)], t + Math.floor(i / 2) * MINUTE_MS);
    await store.close();
    store = openLocalFraudStore({ file: path.join(dir, 'compact2.jsonl'), now: () => t + 50 * MINUTE_MS });
    await store.close();
    expect(readFileSync(path.join(dir, 'compact2.jsonl'), 'utf8').trim().split('\n')).toHaveLength(100);
  });

  it('compacts while open too, once the journal has grown well past the live state', async () => {
    const file = path.join(dir, 'running.jsonl');
    const p = policy({});
    const t = minute();
    const store = openLocalFraudStore({ file, now, compactSlack: 100 });
    // 1,000 sends in 10 minutes: 20 live buckets (range and country per minute), 2,000 lines written.
    for (let i = 0; i < 1000; i++)
      await store.admit('acme', p, [sms(i)], t + Math.floor(i / 100) * MINUTE_MS);
    const lines = readFileSync(file, 'utf8').trim().split('\n').length;
    expect(lines).toBeLessThanOrEqual(20 + 100 + 2);
    expect((await store.snapshot('acme', p, t + 9 * MINUTE_MS)).countries).toMatchObject([{ sends: 1000 }]);
    await store.close();
    const reopened = openLocalFraudStore({ file, now });
    expect((await reopened.snapshot('acme', p, t + 9 * MINUTE_MS)).countries).toMatchObject([
      { sends: 1000 },
    ]);
    await reopened.close();
  });

  it('ignores a last line cut short by a crash', async () => {
    const file = path.join(dir, 'torn.jsonl');
    const p = policy({ cap: 2 });
    let store = openLocalFraudStore({ file, now });
    await store.admit('acme', p, [sms(1)], clock);
    await store.close();
    const { appendFileSync } = await import('node:fs');
    appendFileSync(file, '{"t":"n","tenant":"acme","ke');
    store = openLocalFraudStore({ file, now });
    expect(await store.admit('acme', p, [sms(2)], clock)).toEqual({ admitted: true });
    expect(await store.admit('acme', p, [sms(3)], clock)).toMatchObject({ reason: 'range_cap' });
    await store.close();
  });
});

describe('both stores answer alike', () => {
  let local: FraudStore;
  let remote: FraudStore;
  beforeAll(() => {
    local = openLocalFraudStore({ file: path.join(dir, 'twin.jsonl'), now });
    remote = openRedisFraudStore({ url: redis.url });
  });
  afterAll(async () => {
    await local.close();
    await remote.close();
  });

  // Few subjects, low thresholds: the same range trips again and again, so escalation is reached.
  const ranges = ['+1415555', '+1415556', '+4420794'];
  // Mostly admits, so ranges and countries trip, escalate and cap within one sequence.
  const op = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constantFrom('admit' as const, 'admit' as const, 'admit' as const, 'verified' as const),
        targets: fc.uniqueArray(
          fc.record({
            channel: fc.constantFrom('sms' as const, 'whatsapp' as const),
            range: fc.constantFrom(0, 0, 1, 2),
            suffix: fc.nat(9),
            country: fc.boolean(),
          }),
          { minLength: 1, maxLength: 2, selector: (t) => t.channel },
        ),
        // Now and then a day passes: escalation resets, and every window empties.
        advance: fc.oneof(
          { weight: 9, arbitrary: fc.integer({ min: 0, max: 20 * MINUTE_MS }) },
          { weight: 1, arbitrary: fc.constant(25 * HOUR_MS) },
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('lift' as const),
        range: fc.nat(2),
        advance: fc.integer({ min: 0, max: MINUTE_MS }),
      }),
    },
  );

  it('random operation sequences give the same verdicts and snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 10, maxLength: 60 }),
        fc.record({
          range: fc.integer({ min: 1, max: 3 }),
          country: fc.integer({ min: 2, max: 6 }),
          cap: fc.integer({ min: 1, max: 6 }),
          first: fc.constantFrom(0.5, 1, 5),
          // Fractions that conversions hit exactly, so a < against a <= shows.
          conversion: fc.constantFrom(0.2, 0.25, 0.5, 1),
        }),
        fc.subarray(['+14155550001', '+1415556']),
        async (ops, limits, safe) => {
          const id = tenant();
          const p = policy({ ...limits, safe });
          let at = clock;
          for (const step of ops) {
            at += step.advance;
            if (step.kind === 'lift') {
              const subject = ranges[step.range];
              expect(await remote.lift(id, 'sms', 'range', subject, at)).toBe(
                await local.lift(id, 'sms', 'range', subject, at),
              );
              continue;
            }
            const targets = step.targets.map((t) => ({
              channel: t.channel,
              e164: `${ranges[t.range]}000${t.suffix}`,
              ...(t.country && { country: ranges[t.range].startsWith('+44') ? 'GB' : 'US' }),
            }));
            if (step.kind === 'admit')
              expect(await remote.admit(id, p, targets, at)).toEqual(await local.admit(id, p, targets, at));
            else {
              await local.recordVerified(id, p, targets, at);
              await remote.recordVerified(id, p, targets, at);
            }
            const [a, b] = [await local.snapshot(id, p, at), await remote.snapshot(id, p, at)];
            const order = <T extends { channel: string; subject: string; scope: string }>(list: T[]) =>
              [...list].sort((x, y) =>
                `${x.channel}${x.scope}${x.subject}`.localeCompare(`${y.channel}${y.scope}${y.subject}`),
              );
            expect(order(b.blocks)).toEqual(order(a.blocks));
            expect(order(b.countries)).toEqual(order(a.countries));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
