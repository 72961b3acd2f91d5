/**
 * What every route of the API shares: the request's state (its id, trace and authenticated caller)
 * and the dependencies the app was built with.
 */
import type { Client } from '@temporalio/client';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { CallerMode } from '../../workflows/session-types';
import type { Config } from '../config/config';
import type { ApiCaller, TenantRegistry } from '../config/tenants';
import type { CreditStore } from '../credits/store';
import type { FraudDefence } from '../fraud/defence';
import type { InsightsStore } from '../insights';
import type { SessionGuards } from '../limits/admission';
import { idempotentUpdateId, type SessionOperation, type SessionService } from '../sessions/sessions';
import { ApiError } from '../contract/errors';
import type { ApiMetrics } from './metrics';
import { idempotencyKeySchema } from '../contract/schemas';

export interface ApiState {
  requestId: string;
  traceId?: string;
  caller?: ApiCaller;
}

export type ApiContext = Context & { state: ApiState };

/** What the routers are built from (src/http/app.ts assembles it once per app). */
export interface RouteDependencies {
  config: Config;
  client: Client;
  tenants: TenantRegistry;
  logger: Logger;
  sessions: SessionService;
  metrics: ApiMetrics;
  tokenSecret: string;
  guards: SessionGuards;
  /** Balances for GET /balance and the admin endpoint; without it they answer 503. */
  credits?: CreditStore;
  /** The fraud defence's counters and blocks, for the admin endpoints; without it they answer 503. */
  fraud?: FraudDefence;
  /** The per-day counters of GET /insights; without it it answers 503. */
  insights?: InsightsStore;
  /** Runs a Temporal call under the API's deadline: a stuck call answers 503, not never. */
  withTemporal<T>(call: () => Promise<T>): Promise<T>;
}

/** The authenticated caller; routes reach it only behind `authenticate`. */
export const callerOf = (ctx: ApiContext): ApiCaller => ctx.state.caller!;

/** What the workflow and the session reads need to know of the key (SPEC §7 key modes). */
export const modeOf = (caller: ApiCaller): CallerMode => ({ test_key: caller.testKey });

/** The Idempotency-Key header, if any, once it is known to be usable. */
export function idempotencyKeyOf(ctx: Context): string | undefined {
  const idempotencyKey = ctx.get('Idempotency-Key') || undefined;
  if (idempotencyKey === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(idempotencyKey);
  if (!parsed.success) {
    throw new ApiError('validation_error', {
      details: parsed.error.issues.map((issue) => ({ path: 'Idempotency-Key', message: issue.message })),
    });
  }
  return parsed.data;
}

/** A verify, resend or cancel retried with the same Idempotency-Key is the same Temporal update. */
export function updateIdOf(
  ctx: ApiContext,
  tokenSecret: string,
  operation: SessionOperation,
  sessionId: string,
): string | undefined {
  const idempotencyKey = idempotencyKeyOf(ctx);
  const caller = callerOf(ctx);
  return idempotencyKey === undefined
    ? undefined
    : idempotentUpdateId(tokenSecret, caller.tenant.id, modeOf(caller), operation, sessionId, idempotencyKey);
}
