/**
 * The middleware every request passes, in the order src/http/app.ts composes it: client IP, trace
 * span, log line and metric, no-store caching, errors in the SPEC's shape; and the two guards
 * routes put in front of themselves (API key, bearer token).
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { Next } from 'koa';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { TenantRegistry } from '../config/tenants';
import { clientIp } from './client-ip';
import type { ApiContext } from './context';
import { ApiError } from '../contract/errors';
import type { ApiMetrics } from './metrics';
import { API_BASE } from '../contract/schemas';

type Middleware = (ctx: ApiContext, next: Next) => Promise<void>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const GRPC_UNAVAILABLE = new Set([14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */]);

/** The route pattern, never the path: a path holds session ids. */
const routeOf = (ctx: ApiContext): string => (ctx._matchedRoute ? String(ctx._matchedRoute) : 'unmatched');

/** ctx.ip is the client as SPEC §7 defines it, for every later use (the per-IP limits). */
export function resolveClientIp(config: Config): Middleware {
  const proxyTrust = { trustProxy: config.trustProxy, hops: config.trustProxyHops };
  return async (ctx, next) => {
    ctx.request.ip = clientIp(ctx.req.socket.remoteAddress ?? '', ctx.get('X-Forwarded-For'), proxyTrust);
    await next();
  };
}

/** One span per request, active while the route runs, so Temporal calls become its children. */
export function traceRequests(tracer: Tracer | undefined): Middleware {
  return async (ctx, next) => {
    if (!tracer) return next();
    await tracer.startActiveSpan(`HTTP ${ctx.method}`, { kind: SpanKind.SERVER }, async (span) => {
      ctx.state.traceId = span.spanContext().traceId;
      try {
        await next();
      } finally {
        const route = routeOf(ctx);
        span.updateName(`${ctx.method} ${route}`);
        span.setAttributes({
          'http.request.method': ctx.method,
          'http.route': route,
          'http.response.status_code': ctx.status,
        });
        if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
  };
}

/** One log line per request; the request id is taken from X-Request-Id when sane, and echoed. */
export function logRequests(logger: Logger, metrics: ApiMetrics): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const presented = ctx.get('X-Request-Id');
    ctx.state.requestId = REQUEST_ID.test(presented) ? presented : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      metrics.httpDuration.observe({ route: routeOf(ctx), status: String(ctx.status) }, seconds);
      logger.info(
        {
          request_id: ctx.state.requestId,
          method: ctx.method,
          route: ctx._matchedRoute ?? null,
          status: ctx.status,
          duration_ms: Math.round(seconds * 10_000) / 10,
          tenant_id: ctx.state.caller?.tenant.id ?? null,
          ...(ctx.state.traceId ? { trace_id: ctx.state.traceId } : {}),
        },
        'request',
      );
    }
  };
}

/** SPEC §7: send and resend carry tokens and sandbox codes; no API answer is worth caching. */
export const noStore: Middleware = async (ctx, next) => {
  if (ctx.path === API_BASE || ctx.path.startsWith(`${API_BASE}/`)) ctx.set('Cache-Control', 'no-store');
  await next();
};

/** True when the error means Temporal could not be reached or did not answer in time. */
function isTemporalUnavailable(err: unknown): boolean {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(cause) && GRPC_UNAVAILABLE.has(cause.code)) return true;
  }
  return false;
}

/** Koa's own HTTP errors (e.g. a malformed URL) in the catalogue's terms. */
function catalogueErrorOf(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  const status = (err as { status?: unknown }).status;
  if (typeof status !== 'number' || status >= 500) return undefined;
  if (status === 404) return new ApiError('not_found');
  if (status === 405) return new ApiError('method_not_allowed');
  if (status === 413) return new ApiError('payload_too_large');
  if (status === 415) return new ApiError('unsupported_media_type');
  return new ApiError('validation_error');
}

/** Every error answers in the SPEC shape; nothing internal (stack, cause) reaches the client. */
export function renderErrors(logger: Logger, metrics: ApiMetrics): Middleware {
  const respondWith = (ctx: ApiContext, error: ApiError): void => {
    if (error.code === 'rate_limited') metrics.rateLimited.inc({ limit: error.limit ?? 'unknown' });
    ctx.status = error.status;
    ctx.body = error.toBody();
    if (
      (error.status === 429 || error.code === 'recipient_blocked') &&
      error.extras.retry_after !== undefined
    )
      ctx.set('Retry-After', String(error.extras.retry_after));
  };
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body !== undefined && ctx.body !== null) return;
      if (ctx.status === 405 || ctx.status === 501) respondWith(ctx, new ApiError('method_not_allowed'));
      else if (ctx.status === 404) respondWith(ctx, new ApiError('not_found'));
    } catch (err) {
      const known = catalogueErrorOf(err);
      if (known) return respondWith(ctx, known);
      if (isTemporalUnavailable(err)) {
        logger.warn({ request_id: ctx.state.requestId, err }, 'Temporal unavailable');
        return respondWith(ctx, new ApiError('service_unavailable'));
      }
      logger.error({ request_id: ctx.state.requestId, err }, 'request failed');
      respondWith(ctx, new ApiError('internal_error'));
    }
  };
}

/** The tenant's API key (X-API-Key): sets ctx.state.caller or answers invalid_api_key. */
export function authenticate(tenants: TenantRegistry): Middleware {
  return async (ctx, next) => {
    const caller = tenants.authenticate(ctx.get('X-API-Key'));
    if (!caller) throw new ApiError('invalid_api_key');
    ctx.state.caller = caller;
    await next();
  };
}

/** Compares two secrets in time independent of where they differ. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Refuses a request whose `Authorization: Bearer` is not `expected`. */
export function requireBearer(ctx: ApiContext, expected: string): void {
  const presented = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
  if (!sameSecret(presented, expected)) throw new ApiError('invalid_api_key');
}
