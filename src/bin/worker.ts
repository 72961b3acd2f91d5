/**
 * Worker-only entry point: runs session workflows and delivery activities against the configured
 * cluster (TEMPORAL_ADDRESS or a TEMPORAL_CONFIG_FILE profile). On SIGTERM it stops polling and
 * lets in-flight deliveries finish for up to WORKER_SHUTDOWN_GRACE, then exits 0.
 */
import { createSessionActivities } from '../../activities';
import { requireSharedStore, startAbuseControls } from '../limits';
import { activityFraudObserver } from '../../activities/fraud-observer';
import { payloadDataConverter } from '../codec';
import { codeKeys } from '../../activities/codes';
import { ConfigError, loadConfig } from '../config/config';
import { createLogger } from '../config/logger';
import { startTracing } from '../telemetry/tracing';
import { runEntryPoint } from '../config/process';
import { loadWorkerTenants } from '../config/tenants';
import { resolvePayloadKeys, resolveSecret } from '../config/secrets';
import { buildSenders, closeSenders } from '../../activities/senders';
import { clusterTarget, connectWorker } from '../temporal/connection';
import { installRuntime } from '../temporal/runtime';
import { buildIdOf, createSessionWorker } from '../temporal/worker';
import { loadSessionWorkflowCode } from '../temporal/workflow-bundle';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  installRuntime(config);
  const temporal = clusterTarget(config);
  if (!temporal) {
    throw new ConfigError([
      'TEMPORAL_ADDRESS: is required to run the worker alone (or a TEMPORAL_CONFIG_FILE profile with an address); `make run` starts everything',
    ]);
  }
  requireSharedStore(config, 'worker');
  const senders = buildSenders(config, { devOutbox: false });

  if (!config.redisUrl) {
    logger.warn(
      'OTP_ALLOW_PROCESS_LOCAL_STORE: REDIS_URL is not set, so rate limits and credits live in this process only and do not hold across the API and workers',
    );
  }
  // Webhook secrets and test recipients' codes stay out of history: the worker reads them from the
  // tenants file it shares with the API.
  const tenantSecrets = loadWorkerTenants(config.tenantsFile);
  if (!tenantSecrets) {
    logger.warn(
      { tenantsFile: config.tenantsFile },
      'no tenants file: webhooks of the sessions this worker runs cannot be signed, and are retried until it is there',
    );
  }
  const codeSecret = resolveSecret(config, 'OTP_CODE_SECRET', { generate: false });
  const payloadKeys = resolvePayloadKeys(config, { generate: false });
  // Resends are admitted and verifications counted here: the API's store (REDIS_URL) must be shared.
  const abuse = await startAbuseControls(config, codeSecret, activityFraudObserver);
  const connection = await connectWorker(temporal);
  // OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set (SPEC §8).
  const tracing = startTracing('durable-otp-worker');
  // The bundle with the workflow tracing interceptors only when there is a trace to feed.
  const workflows = await loadSessionWorkflowCode(undefined, { tracing: tracing !== undefined });
  const worker = await createSessionWorker({
    tracing,
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflows,
    buildId: config.workerBuildId,
    deploymentName: config.workerDeploymentName,
    shutdownGraceMs: config.workerShutdownGraceMs,
    tuning: { maxCachedWorkflows: config.workerMaxCachedWorkflows },
    dataConverter: payloadDataConverter(payloadKeys),
    activities: createSessionActivities({
      keys: codeKeys(codeSecret),
      bcryptRounds: config.bcryptRounds,
      senders,
      admission: abuse.admission,
      publicBaseUrl: config.publicBaseUrl,
      ...tenantSecrets,
    }),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal, graceMs: config.workerShutdownGraceMs }, 'stopping: finishing tasks in flight');
      worker.shutdown();
    });
  }
  logger.info(
    {
      temporal: temporal.address,
      taskQueue: config.temporal.taskQueue,
      deployment: config.workerDeploymentName,
      buildId: buildIdOf(worker),
      workflows: workflows.source,
      channels: Object.keys(senders),
    },
    'worker polling',
  );
  await worker.run();
  await closeSenders(senders);
  await abuse.close();
  await connection.close();
  await tracing?.shutdown();
  logger.info('worker stopped');
}

runEntryPoint(main);
