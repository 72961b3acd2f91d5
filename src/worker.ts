/** Worker-only entry point: runs session workflows and delivery activities against TEMPORAL_ADDRESS. */
import { NativeConnection } from '@temporalio/worker';
import { createSessionActivities } from '../activities';
import { codeKeys } from '../activities/codes';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { runEntryPoint } from './process';
import { resolveSecret } from './secrets';
import { buildSenders, closeSenders } from './senders';
import { installRuntime } from './temporal/runtime';
import { createSessionWorker } from './temporal/worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  installRuntime();
  if (!config.temporal.address)
    throw new Error('TEMPORAL_ADDRESS is required to run the worker alone (make run starts everything)');
  const senders = buildSenders(config, { devOutbox: false });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createSessionWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    tuning: { maxCachedWorkflows: config.workerMaxCachedWorkflows },
    activities: createSessionActivities({
      keys: codeKeys(resolveSecret(config, 'OTP_CODE_SECRET', { generate: false })),
      bcryptRounds: config.bcryptRounds,
      senders,
    }),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  logger.info({ taskQueue: config.temporal.taskQueue, channels: Object.keys(senders) }, 'worker polling');
  await worker.run();
  await closeSenders(senders);
  await connection.close();
}

runEntryPoint(main);
