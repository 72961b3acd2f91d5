/**
 * For tuning experiments only: the session worker of src/bin/worker.ts with extra Worker options
 * from BENCH_WORKER_TUNING (JSON, e.g. {"maxCachedWorkflows":20000}). `BENCH_WORKER_TUNING=...
 * npm run bench` runs it in place of dist/src/bin/worker.js and says so in its output.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createSessionActivities } from '../activities';
import { codeKeys } from '../activities/codes';
import { payloadDataConverter } from '../src/codec';
import { loadConfig } from '../src/config/config';
import { resolvePayloadKeys, resolveSecret } from '../src/config/secrets';
import { buildSenders } from '../activities/senders';
import { WORKFLOWS_PATH } from '../src/temporal/worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const tuning = JSON.parse(process.env.BENCH_WORKER_TUNING || '{}') as Partial<WorkerOptions>;
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is required');
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    dataConverter: payloadDataConverter(resolvePayloadKeys(config, { generate: false })),
    activities: createSessionActivities({
      keys: codeKeys(resolveSecret(config, 'OTP_CODE_SECRET', { generate: false })),
      bcryptRounds: config.bcryptRounds,
      senders: buildSenders(config, { devOutbox: false }),
    }),
    ...tuning,
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
