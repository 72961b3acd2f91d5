/**
 * The API alone, against an existing Temporal cluster (SPEC §2): scales independently of the
 * workers. Needs TEMPORAL_ADDRESS, OTP_TOKEN_SECRET, OTP_CODE_SECRET, OTP_PAYLOAD_KEYS and a tenants file.
 */
import { requireSharedStore } from '../limits';
import { startApiService } from '../http/start';
import { payloadDataConverter } from '../codec';
import { ConfigError, loadConfig } from '../config/config';
import { createLogger } from '../config/logger';
import { startTracing } from '../telemetry/tracing';
import { runEntryPoint, stopOnSignal } from '../config/process';
import { resolvePayloadKeys, resolveSecret } from '../config/secrets';
import { clusterTarget } from '../temporal/connection';
import { loadTenants } from '../config/tenants';

async function main(): Promise<void> {
  const config = loadConfig();
  const temporal = clusterTarget(config);
  if (!temporal) {
    throw new ConfigError([
      'TEMPORAL_ADDRESS: is required for the API alone (host:port of a Temporal frontend, or a TEMPORAL_CONFIG_FILE profile with an address); `make run` starts everything locally',
    ]);
  }
  requireSharedStore(config, 'API');
  const tokenSecret = resolveSecret(config, 'OTP_TOKEN_SECRET', { generate: false });
  const codeSecret = resolveSecret(config, 'OTP_CODE_SECRET', { generate: false });
  const payloadKeys = resolvePayloadKeys(config, { generate: false });
  const logger = createLogger(config, 'api');
  const tenants = loadTenants(config.tenantsFile);

  if (!config.redisUrl) {
    logger.warn(
      'OTP_ALLOW_PROCESS_LOCAL_STORE: REDIS_URL is not set, so rate limits and credits live in this process only and do not hold across the API and workers',
    );
  }

  // OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set (SPEC §8).
  const tracing = startTracing('durable-otp-api');
  const api = await startApiService({
    tracing,
    config,
    temporal,
    tenants,
    logger,
    secrets: { tokenSecret, codeSecret },
    dataConverter: payloadDataConverter(payloadKeys),
  });
  logger.info(
    { url: api.url, temporal: temporal.address, namespace: config.temporal.namespace },
    'API listening',
  );

  stopOnSignal(async (signal) => {
    logger.info({ signal }, 'stopping: finishing requests in flight');
    await api.close();
    await tracing?.shutdown();
  });
}

runEntryPoint(main);
