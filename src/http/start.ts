/**
 * The API as a process runs it (`src/bin/api.ts`, `src/bin/dev.ts`): a Temporal client, the abuse
 * controls, and the HTTP server, stopped together.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { apiFraudObserver } from './fraud-observer';
import { createApp, type ApiDependencies } from './app';
import { createApiMetrics } from './metrics';

export interface RunningApi {
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  server: Server;
  /** Stops accepting connections and waits for the requests in flight. */
  close(): Promise<void>;
}

export interface StartApiOptions extends ApiDependencies {
  /** Defaults to `config.port`; 0 picks a free port. */
  port?: number;
  /** Defaults to `config.host` (HOST: 127.0.0.1 unless set; containers set 0.0.0.0). */
  host?: string;
}

export async function startApi({ port, host, ...dependencies }: StartApiOptions): Promise<RunningApi> {
  const app = createApp(dependencies);
  const server = createServer(app.callback());
  const listenHost = host ?? dependencies.config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? dependencies.config.port, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // Listening on every interface: localhost is the address that works from this machine.
  const shownHost = ['0.0.0.0', '::'].includes(listenHost)
    ? 'localhost'
    : listenHost.includes(':')
      ? `[${listenHost}]`
      : listenHost;
  return {
    url: `http://${shownHost}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive connections would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}

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
  const metrics = createApiMetrics();
  const { logger } = options;
  const abuse = await startAbuseControls(
    config,
    secrets.codeSecret,
    apiFraudObserver({ metrics, client, taskQueue: config.temporal.taskQueue, logger }),
  );
  const api: RunningApi = await startApi({
    ...options,
    client,
    metrics,
    guards: abuse.guards,
    tracer: tracing?.tracer,
    credits: abuse.admission.credits,
    fraud: abuse.fraud,
    insights: abuse.insights,
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
