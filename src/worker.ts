/** Worker-only entry point: runs session workflows and delivery activities against TEMPORAL_ADDRESS. */
import { Context } from '@temporalio/activity';
import { NativeConnection } from '@temporalio/worker';
import { createSessionActivities } from '../activities';
import { startAbuseControls } from './abuse';
import { payloadDataConverter } from './codec';
import { codeKeys } from '../activities/codes';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { runEntryPoint } from './process';
import { resolvePayloadKeys, resolveSecret } from './secrets';
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

  if (!config.redisUrl) {
    logger.warn(
      'REDIS_URL is not set: rate limits and credits live in this process only; API and workers in separate processes must share one Redis',
    );
  }
  const codeSecret = resolveSecret(config, 'OTP_CODE_SECRET', { generate: false });
  const payloadKeys = resolvePayloadKeys(config, { generate: false });
  // Resends are admitted and verifications counted here: the API's store (REDIS_URL) must be shared.
  const abuse = await startAbuseControls(config, () => Context.current().client, codeSecret);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createSessionWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    tuning: { maxCachedWorkflows: config.workerMaxCachedWorkflows },
    dataConverter: payloadDataConverter(payloadKeys),
    activities: createSessionActivities({
      keys: codeKeys(codeSecret),
      bcryptRounds: config.bcryptRounds,
      senders,
      admission: abuse.admission,
    }),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  logger.info({ taskQueue: config.temporal.taskQueue, channels: Object.keys(senders) }, 'worker polling');
  await worker.run();
  await closeSenders(senders);
  await abuse.close();
  await connection.close();
}

runEntryPoint(main);
