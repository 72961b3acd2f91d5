/**
 * The Koa app of the REST API (SPEC §4): the middleware every request passes, then the routes of
 * each resource (src/http/routes), the demo page and the codec endpoints.
 */
import Router from '@koa/router';
import type { Tracer } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import Koa from 'koa';
import type { Logger } from 'pino';
import { codeKeys } from '../../activities/codes';
import { codecRoutes } from '../codec';
import type { Config } from '../config/config';
import type { TenantRegistry } from '../config/tenants';
import type { CreditStore } from '../credits/store';
import type { FraudDefence } from '../fraud/defence';
import type { InsightsStore } from '../insights';
import { demoRoutes, type DemoOptions } from '../demo';
import { noGuards, type SessionGuards } from '../limits/admission';
import { createSessionService } from '../sessions/sessions';
import { createSessionTokens } from '../sessions/tokens';
import type { ApiState, RouteDependencies } from './context';
import { createApiMetrics, type ApiMetrics } from './metrics';
import { logRequests, noStore, renderErrors, resolveClientIp, traceRequests } from './middleware';
import { adminRoutes } from './routes/admin';
import { balanceRoutes } from './routes/balance';
import { insightsRoutes } from './routes/insights';
import { opsRoutes } from './routes/ops';
import { otpRoutes } from './routes/otp';
import { providerRoutes } from './routes/providers';
import { sessionRoutes } from './routes/sessions';

export interface ApiDependencies {
  config: Config;
  client: Client;
  tenants: TenantRegistry;
  logger: Logger;
  /** OTP_TOKEN_SECRET and OTP_CODE_SECRET when they do not come from `config` (the embedded default generates them). */
  secrets?: { tokenSecret: string; codeSecret: string };
  /** Cross-session limits and credits; every request passes without them. */
  guards?: SessionGuards;
  /** Balances for GET /balance and the admin endpoint; without it they answer 503. */
  credits?: CreditStore;
  /** The fraud defence's counters and blocks, for the admin endpoints; without it they answer 503. */
  fraud?: FraudDefence;
  /** The per-day counters of GET /insights; without it it answers 503. */
  insights?: InsightsStore;
  /** The process's API metrics (its fraud defence counts into them too); a registry of its own without. */
  metrics?: ApiMetrics;
  /** Traces (SPEC §8): one span per request, the parent of the Temporal calls it makes. */
  tracer?: Tracer;
  /** The embedded default: the local Temporal UI calls `/codec/<this>/decode` without OTP_CODEC_TOKEN. */
  codecUiCapability?: string;
  /** The demo page at GET /demo (SPEC §9), with the test key its server-side routes use; off without it. */
  demo?: DemoOptions;
}

/** Long enough for send's delivery wait (8 s in the workflow); a stuck call answers 503, not never. */
const TEMPORAL_DEADLINE_MS = 30_000;

export function createApp({
  config,
  client,
  tenants,
  logger,
  secrets,
  guards = noGuards,
  credits,
  fraud,
  insights,
  metrics = createApiMetrics(),
  codecUiCapability,
  tracer,
  demo,
}: ApiDependencies): Koa {
  const { tokenSecret, codeSecret } = secrets ?? config;
  if (!tokenSecret || !codeSecret) throw new Error('The API needs OTP_TOKEN_SECRET and OTP_CODE_SECRET');
  const dependencies: RouteDependencies = {
    config,
    client,
    tenants,
    logger,
    metrics,
    tokenSecret,
    guards,
    credits,
    fraud,
    insights,
    sessions: createSessionService({
      client,
      taskQueue: config.temporal.taskQueue,
      tokens: createSessionTokens(tokenSecret),
      codeKeys: codeKeys(codeSecret),
      logger,
      updateRetries: metrics.updateRetries,
    }),
    withTemporal: (call) => client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, call),
  };

  const router = new Router<ApiState>();
  for (const routes of [
    opsRoutes,
    providerRoutes,
    otpRoutes,
    balanceRoutes,
    insightsRoutes,
    adminRoutes,
    sessionRoutes,
  ]) {
    routes(router, dependencies);
  }

  const app = new Koa();
  app.proxy = config.trustProxy;
  app.use(resolveClientIp(config));
  app.use(traceRequests(tracer));
  app.use(logRequests(logger, metrics));
  app.use(noStore);
  app.use(renderErrors(logger, metrics));
  app.use(router.routes());
  app.use(router.allowedMethods());
  if (demo) app.use(demoRoutes(demo));
  const { uiUrl } = config.temporal;
  app.use(
    codecRoutes(client.options.loadedDataConverter.payloadCodecs, {
      token: config.codecToken,
      uiOrigin: uiUrl ? new URL(uiUrl).origin : undefined,
      uiCapability: codecUiCapability,
    }),
  );
  return app;
}
