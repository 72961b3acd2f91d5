/**
 * The embedded default (`make run`): a local Temporal dev server persisting to $DATA_DIR with its
 * Web UI, the worker and the API in one process tree, over plain loopback gRPC. With TEMPORAL_ADDRESS
 * set (or a TEMPORAL_CONFIG_FILE profile with an address) it skips the dev server and runs worker +
 * API against that cluster, with its TLS / API key settings. Ctrl-C or SIGTERM stops everything cleanly.
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createSessionActivities } from '../../activities';
import { codeKeys } from '../../activities/codes';
import { startApiService } from '../http/start';
import { CODEC_BASE, codecUiPath, newCodecCapability, payloadDataConverter } from '../codec';
import { withDemoKey } from '../demo';
import { loadConfig } from '../config/config';
import { createLogger } from '../config/logger';
import { startTracing } from '../telemetry/tracing';
import { runEntryPoint, stopOnSignal } from '../config/process';
import { ensurePrivateDataDir, resolvePayloadKeys, resolveSecret } from '../config/secrets';
import { buildSenders, closeSenders, outboxDir } from '../../activities/senders';
import {
  ensureDevTenantsFile,
  loadTenants,
  testRecipientLookup,
  webhookSecretLookup,
} from '../config/tenants';
import { clusterTarget, connectWorker, loopbackTarget } from '../temporal/connection';
import { startDevServer } from '../temporal/dev-server';
import { installRuntime } from '../temporal/runtime';
import { makeWorkerCurrent } from '../temporal/versioning';
import { createSessionWorker } from '../temporal/worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'dev');
  installRuntime(config);
  // Secrets, the Temporal database and the dev outbox: the owner's only (0700, an existing one tightened).
  ensurePrivateDataDir(config.dataDir);
  // Made anew at each start: the local UI's path to the codec, in place of a token it cannot send.
  const codecUiCapability = newCodecCapability();

  let devServer: TestWorkflowEnvironment | undefined;
  let temporal = clusterTarget(config);
  if (!temporal) {
    logger.info({ dataDir: config.dataDir }, 'starting the Temporal dev server');
    devServer = await startDevServer({
      namespace: config.temporal.namespace,
      port: config.temporal.devPort,
      uiPort: config.temporal.devUiPort,
      dbFilename: path.join(config.dataDir, 'temporal.sqlite'),
      // The UI decodes history through the API's codec endpoints (SPEC §8), by this start's capability.
      codecEndpoint: `http://localhost:${config.port}${codecUiPath(codecUiCapability)}`,
    });
    temporal = loopbackTarget(config.temporal.devPort);
  }

  // Secrets are generated into $DATA_DIR once; a second run reuses them, so earlier tokens stay valid.
  const tokenSecret = resolveSecret(config, 'OTP_TOKEN_SECRET', { generate: true });
  const codeSecret = resolveSecret(config, 'OTP_CODE_SECRET', { generate: true });
  const adminToken = resolveSecret(config, 'OTP_ADMIN_TOKEN', { generate: true });
  const codecToken = resolveSecret(config, 'OTP_CODEC_TOKEN', { generate: true });
  const dataConverter = payloadDataConverter(resolvePayloadKeys(config, { generate: true }));
  const devTenant = ensureDevTenantsFile(config.tenantsFile);
  // The demo page makes sandbox sessions of the dev tenant with a test key known only to this process.
  const fileTenants = loadTenants(config.tenantsFile);
  const demoAccess = withDemoKey(fileTenants, 'dev');
  const tenants = demoAccess?.tenants ?? fileTenants;

  // OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set (SPEC §8); API and worker share it.
  const tracing = startTracing('durable-otp');
  const api = await startApiService({
    tracing,
    config: { ...config, adminToken, codecToken },
    temporal,
    tenants,
    logger,
    secrets: { tokenSecret, codeSecret },
    dataConverter,
    // Only the UI of the dev server started here knows it.
    codecUiCapability: devServer ? codecUiCapability : undefined,
    demo: demoAccess?.demo,
  });

  const senders = buildSenders(config, { devOutbox: true });
  const workerConnection = await connectWorker(temporal);
  const worker = await createSessionWorker({
    tracing,
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    buildId: config.workerBuildId,
    deploymentName: config.workerDeploymentName,
    shutdownGraceMs: config.workerShutdownGraceMs,
    tuning: { maxCachedWorkflows: config.workerMaxCachedWorkflows },
    dataConverter,
    activities: createSessionActivities({
      keys: codeKeys(codeSecret),
      bcryptRounds: config.bcryptRounds,
      senders,
      // The API's own store: without REDIS_URL, limits live in this process and must be one.
      admission: api.abuse.admission,
      publicBaseUrl: config.publicBaseUrl,
      webhookSecret: webhookSecretLookup(tenants),
      testRecipientCode: testRecipientLookup(tenants),
    }),
  });
  const workerRunning = worker.run();
  // This process owns its deployment: its build becomes current as soon as it polls (SPEC §10).
  // Sessions a different build left open stay pinned to that build, and run on when it runs again.
  await Promise.race([
    makeWorkerCurrent(worker, { identity: 'make run' }),
    workerRunning.then(() => {
      throw new Error('the worker stopped before its version became current');
    }),
  ]);

  const lines = [
    '',
    'durable-otp is running',
    `  API          ${api.url}/api/v1/otp   (OpenAPI: ${api.url}/openapi.json)`,
    `  Temporal UI  ${config.temporal.uiUrl ?? '(set TEMPORAL_UI_URL)'}`,
    `  Temporal     ${temporal.address}${devServer ? `   (data: ${config.dataDir})` : ''}`,
    `  Dev outbox   ${outboxDir(config)}   (messages of channels with no SMTP/Twilio configured)`,
    demoAccess
      ? `  Demo page    ${api.url}/demo   (sandbox sessions of the dev tenant)`
      : '  Demo page    off (no tenant "dev" in the tenants file)',
  ];
  if (devTenant.keys) {
    lines.push(
      `  Dev tenant   "dev" created in ${config.tenantsFile}; its keys are shown this once:`,
      `    live key   ${devTenant.keys.live}`,
      `    test key   ${devTenant.keys.test}   (sandbox: codes come back in the response)`,
    );
  } else {
    lines.push(`  Tenants      ${config.tenantsFile} (keys were printed when it was created)`);
  }
  lines.push(
    `  Codec        ${api.url}${CODEC_BASE}   (the Temporal UI decodes history through it; CLI: --codec-endpoint ${api.url}${CODEC_BASE} --codec-auth "Bearer <token in ${path.join(config.dataDir, 'secrets', 'otp_codec_token')}>")`,
    `  Admin        POST ${api.url}/api/v1/admin/tenants/<id>/credits with Authorization: Bearer <token in ${path.join(config.dataDir, 'secrets', 'otp_admin_token')}>`,
    'Press Ctrl-C to stop.',
    '',
  );
  process.stdout.write(lines.join('\n'));

  stopOnSignal(async (signal) => {
    logger.info({ signal }, 'stopping');
    await api.close();
    worker.shutdown();
    await workerRunning;
    await closeSenders(senders);
    await workerConnection.close();
    await devServer?.teardown();
    await tracing?.shutdown();
  });
}

runEntryPoint(main);
