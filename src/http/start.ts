/**
 * The API as a process runs it (`src/bin/api.ts`, `src/bin/dev.ts`): a Temporal client, the abuse
 * controls, and the HTTP server, stopped together.
 */
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Logger } from 'pino';
import { startAbuseControls, type AbuseControls } from '../limits';
import type { Config } from '../config/config';
import type { DemoOptions } from '../demo';
import type { Tracing } from '../telemetry/tracing';
import { connectClient, type TemporalTarget } from '../temporal/connection';
import type { TenantRegistry } from '../config/tenants';
import { startApi, type RunningApi } from './server';

export interface ApiService {
  url: string;
  /** The API's abuse controls: a worker in the same process shares them (one in-process store). */
  abuse: AbuseControls;
  close(): Promise<void>;
}

export async function startApiService(options: {
  config: Config;
  temporal: TemporalTarget;
  tenants: TenantRegistry;
  logger: Logger;
  secrets: { tokenSecret: string; codeSecret: string };
  /** Traces (SPEC §8); none when unset. */
  tracing?: Tracing;
  /** The payload encryption every client of the product uses (src/codec). */
  dataConverter: DataConverter;
  /** The embedded default: the local Temporal UI's codec capability (src/codec). */
  codecUiCapability?: string;
  /** The demo page (embedded default only). */
  demo?: DemoOptions;
}): Promise<ApiService> {
  const { config, secrets, dataConverter } = options;
  const connection = await connectClient(options.temporal);
  const tracing = options.tracing;
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter,
    // The trace of a request continues into the session workflow through message headers.
    interceptors: tracing
      ? { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] }
      : undefined,
  });
  const abuse = await startAbuseControls(config, secrets.codeSecret);
  const api: RunningApi = await startApi({
    ...options,
    client,
    guards: abuse.guards,
    tracer: tracing?.tracer,
    credits: abuse.admission.credits,
  });
  return {
    url: api.url,
    abuse,
    async close() {
      await api.close();
      await abuse.close();
      await connection.close();
    },
  };
}
