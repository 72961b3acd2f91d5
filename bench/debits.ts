/**
 * The stores' microbenchmarks, one tenant each, a fixed number of operations in flight, in this
 * process, for a bounded time, against Redis and the local store:
 * - debits (SPEC §7: one tenant sustains ≥ 500 debits/s, no per-tenant serialisation point): the
 *   pair a live message costs — `reserve` (the API's hold at admission) then `capture` (the
 *   delivery activity's debit) of a fresh key;
 * - fraud checks (SPEC §11: one round trip per live phone send): `admit` of a fresh number, spread
 *   over ranges and countries so that no cap or block interferes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalCreditStore } from '../src/credits/local-store';
import { openRedisCreditStore } from '../src/credits/redis-store';
import type { CreditStore } from '../src/credits/store';
import { openLocalFraudStore } from '../src/fraud/local-store';
import { resolveFraudPolicy } from '../src/fraud/policy';
import { openRedisFraudStore } from '../src/fraud/redis-store';
import type { FraudStore } from '../src/fraud/store';
import { runClosedLoop, timed, type LoadResult } from './load';
import { ProcessSampler, type ProcessFigures } from './proc-stats';

const START_BALANCE = 1_000_000_000_000;

export interface DebitResult extends LoadResult {
  store: 'redis' | 'local';
  /** Without errors: the balance fell by exactly the debits counted. */
  balanceExact: boolean | null;
  processes: Record<string, ProcessFigures>;
}

async function measure(
  name: DebitResult['store'],
  store: CreditStore,
  inFlight: number,
  seconds: number,
  pids: Record<string, number | undefined>,
): Promise<DebitResult> {
  const tenant = { id: `bench-debits-${randomBytes(4).toString('hex')}`, credits: START_BALANCE };
  const run = randomBytes(4).toString('hex');
  // Connected and the tenant seeded before the clock starts.
  await store.balance(tenant);
  const sampler = new ProcessSampler(pids);
  const result = await runClosedLoop(
    async (index) => {
      const charge = { key: `ses_${run}_${index}:email:1`, amount: 1 };
      const [, reserve] = await timed(() => store.reserve(tenant, [charge]));
      const [paid, capture] = await timed(() => store.capture(tenant, charge));
      if (!paid) throw new Error('capture refused');
      return { reserve, capture };
    },
    inFlight,
    seconds,
  );
  const processes = sampler.stop();
  const balance = await store.balance(tenant);
  const balanceExact = result.errors === 0 ? balance === START_BALANCE - result.flows : null;
  return { ...result, store: name, balanceExact, processes };
}

interface Closable {
  close(): Promise<void>;
}

/** `measure` on the Redis store (when `redis` is given), then on the local store in a temporary directory. */
async function perStore<Store extends Closable, Result>(
  redis: { url: string; pid: number } | undefined,
  open: { redis(url: string): Store; local(dir: string): Store },
  measure: (name: 'redis' | 'local', store: Store, pids: Record<string, number>) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = [];
  if (redis) {
    const store = open.redis(redis.url);
    try {
      results.push(await measure('redis', store, { bench: process.pid, redis: redis.pid }));
    } finally {
      await store.close();
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-otp-stores-'));
  const store = open.local(dir);
  try {
    results.push(await measure('local', store, { bench: process.pid }));
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export interface StoreBenchOptions {
  redis?: { url: string; pid: number };
  inFlight: number;
  seconds: number;
}

export function measureDebits(options: StoreBenchOptions): Promise<DebitResult[]> {
  return perStore(
    options.redis,
    {
      redis: (url) => openRedisCreditStore({ url }),
      local: (dir) => openLocalCreditStore({ file: path.join(dir, 'credits.jsonl') }),
    },
    (name, store, pids) => measure(name, store, options.inFlight, options.seconds, pids),
  );
}

export interface FraudCheckResult extends LoadResult {
  store: 'redis' | 'local';
  /** Without errors: every check admitted (no cap, no block reached). */
  allAdmitted: boolean | null;
  processes: Record<string, ProcessFigures>;
}

/** Defaults, with thresholds out of reach: the checks measured are the ones every live send pays. */
const FRAUD_POLICY = resolveFraudPolicy({
  range_sends_per_hour: 1_000_000,
  detector: { min_sends: { range: 1_000_000, country: 1_000_000 } },
});

export function measureFraudChecks(options: StoreBenchOptions): Promise<FraudCheckResult[]> {
  return perStore<FraudStore, FraudCheckResult>(
    options.redis,
    {
      redis: (url) => openRedisFraudStore({ url }),
      local: (dir) => openLocalFraudStore({ file: path.join(dir, 'fraud.jsonl') }),
    },
    async (name, store, pids) => {
      const tenant = `bench-fraud-${randomBytes(4).toString('hex')}`;
      let refused = 0;
      const sampler = new ProcessSampler(pids);
      const result = await runClosedLoop(
        async (index) => {
          // +1 202 555 xxxx: US numbers, a new range every 10,000 checks.
          const e164 = `+1202${String(5550000 + index).padStart(7, '0')}`;
          const [verdict, admit] = await timed(() =>
            store.admit(tenant, FRAUD_POLICY, [{ channel: 'sms', e164, country: 'US' }], Date.now()),
          );
          if (!verdict.admitted) refused++;
          return { admit };
        },
        options.inFlight,
        options.seconds,
      );
      const processes = sampler.stop();
      return { ...result, store: name, allAdmitted: result.errors === 0 ? refused === 0 : null, processes };
    },
  );
}
