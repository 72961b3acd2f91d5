/**
 * A background bcrypt load: one hash and one compare per flow at BENCH_BCRYPT_LOAD_FLOWS flows/s,
 * or as many as the pool does with `all` (OTP_BCRYPT_ROUNDS, on libuv's threadpool as in the
 * session worker), until it is stopped. The floors paced at the product's rate run beside it, so
 * the engine does its part amid the same contention as in the product's flows. Its own CPU is
 * bcrypt's, which the bcrypt bound measures, so the bench does not sample it.
 *
 *   BENCH_BCRYPT_LOAD_FLOWS=10 OTP_BCRYPT_ROUNDS=10 node dist/bench/bcrypt-load.js
 */
import bcrypt from 'bcrypt';
import { BENCH_DIGEST, bcryptThreads } from './bcrypt-bound';
import { runClosedLoop } from './load';
import { numberEnv } from './report';

async function main(): Promise<void> {
  const pace = process.env.BENCH_BCRYPT_LOAD_FLOWS;
  // `all`: every pool thread busy all the time, no pace.
  const flowsPerSecond = pace === 'all' ? undefined : Number(pace);
  const rounds = numberEnv('OTP_BCRYPT_ROUNDS', 10, 4, 15, { integer: true });
  if (flowsPerSecond !== undefined && !(flowsPerSecond > 0))
    throw new Error('BENCH_BCRYPT_LOAD_FLOWS must be a positive number or `all`');
  await runClosedLoop(
    async () => {
      await bcrypt.compare(BENCH_DIGEST, await bcrypt.hash(BENCH_DIGEST, rounds));
      return {};
    },
    bcryptThreads(),
    24 * 3600,
    flowsPerSecond,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
