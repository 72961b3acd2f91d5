/**
 * The debit microbenchmark (SPEC §7: one tenant sustains ≥ 500 debits/s, no per-tenant
 * serialisation point): one tenant, a fixed number of debits in flight, each the pair a live
 * message costs — `reserve` (the API's hold at admission) then `capture` (the delivery activity's
 * debit) of a fresh key — against a credit store, in this process, for a bounded time.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalCreditStore } from '../src/credits/local-store';
import { openRedisCreditStore } from '../src/credits/redis-store';
import type { CreditStore } from '../src/credits/store';
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

/** The Redis store (when `redis` is given), then the local store with its journal in a temporary directory. */
export async function measureDebits(options: {
  redis?: { url: string; pid: number };
  inFlight: number;
  seconds: number;
}): Promise<DebitResult[]> {
  const results: DebitResult[] = [];
  if (options.redis) {
    const redis = openRedisCreditStore({ url: options.redis.url });
    try {
      const pids = { bench: process.pid, redis: options.redis.pid };
      results.push(await measure('redis', redis, options.inFlight, options.seconds, pids));
    } finally {
      await redis.close();
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-otp-debits-'));
  const local = openLocalCreditStore({ file: path.join(dir, 'credits.jsonl') });
  try {
    results.push(await measure('local', local, options.inFlight, options.seconds, { bench: process.pid }));
  } finally {
    await local.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
