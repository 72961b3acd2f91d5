/**
 * The Koa app of the REST API (SPEC §4): authenticates, validates, translates each request into
 * a start, update or query of the session workflow, and the outcome back into HTTP.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  isGrpcServiceError,
  NamespaceNotFoundError,
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import Koa, { type Context, type Next } from 'koa';
import type { Logger } from 'pino';
import { codeKeys } from '../../activities/codes';
import { initialChannels } from '../../workflows/session-rules';
import type { CallerMode, SessionStart } from '../../workflows/session-types';
import { codecRoutes } from '../codec';
import { demoRoutes, isDemoCaller, type DemoOptions } from '../demo';
import type { Config } from '../config/config';
import type { CreditStore } from '../credits/store';
import { createApiMetrics } from './metrics';
import { resolveSessionConfig, type ApiCaller, type TenantRegistry } from '../config/tenants';
import { pollersForNewWorkflows } from '../temporal/versioning';
import { createSessionTokens } from '../sessions/tokens';
import twilio from 'twilio';
import { receiptOf, TWILIO_STATUS_PATH } from '../../activities/twilio-status';
import { readFormBody, readJsonBody } from './body';
import { clientIp } from './client-ip';
import { ApiError, validate } from './errors';
import { noGuards, type SessionGuards, type UndoSend } from '../limits/admission';
import { listSessions } from '../sessions/listing';
import { API_BASE, openApiDocument } from './openapi';
import {
  creditChangeSchema,
  idempotencyKeySchema,
  listSessionsQuerySchema,
  resendRequestSchema,
  sendRequestSchema,
  sessionChannelsOf,
  sessionIdSchema,
  verifyRequestSchema,
  type BalanceResponse,
  type Readiness,
  type ResendResponse,
  type SendResponse,
  type SessionDetail,
  type VerifyResponse,
} from './schemas';
import {
  createSessionService,
  idempotentSessionId,
  idempotentUpdateId,
  newSessionId,
  requestFingerprint,
  sessionWorkflowId,
  type SessionOperation,
} from '../sessions/sessions';

export interface ApiDependencies {
  config: Config;
  client: Client;
  tenants: TenantRegistry;
  logger: Logger;
  /** OTP_TOKEN_SECRET and OTP_CODE_SECRET when they do not come from `config` (the embedded default generates them). */
  secrets?: { tokenSecret: string; codeSecret: string };
  /** Cross-session limits and credits (issue 5); every request passes without them. */
  guards?: SessionGuards;
  /** Balances for GET /balance and the admin endpoint; without it they answer 503. */
  credits?: CreditStore;
  /** Traces (SPEC §8): one span per request, the parent of the Temporal calls it makes. */
  tracer?: Tracer;
  /** The embedded default: the local Temporal UI calls `/codec/<this>/decode` without OTP_CODEC_TOKEN. */
  codecUiCapability?: string;
  /** The demo page at GET /demo (SPEC §9), with the test key its server-side routes use; off without it. */
  demo?: DemoOptions;
}

interface ApiState {
  requestId: string;
  traceId?: string;
  caller?: ApiCaller;
}

type ApiContext = Context & { state: ApiState };

/** Long enough for send's delivery wait (8 s in the workflow); a stuck call answers 503, not never. */
const TEMPORAL_DEADLINE_MS = 30_000;
const READINESS_DEADLINE_MS = 3_000;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The Idempotency-Key header, if any, once it is known to be usable. */
function idempotencyKeyOf(ctx: Context): string | undefined {
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

const ADMIN_BASE = '/api/v1/admin';

/** Compares two secrets in time independent of where they differ. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

const GRPC_UNAVAILABLE = new Set([14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */]);

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

export function createApp({
  config,
  client,
  tenants,
  logger,
  secrets,
  guards = noGuards,
  credits,
  codecUiCapability,
  tracer,
  demo,
}: ApiDependencies): Koa {
  const { tokenSecret, codeSecret } = secrets ?? config;
  if (!tokenSecret || !codeSecret) throw new Error('The API needs OTP_TOKEN_SECRET and OTP_CODE_SECRET');
  const { namespace, taskQueue, uiUrl } = config.temporal;
  const metrics = createApiMetrics();
  const sessions = createSessionService({
    client,
    taskQueue,
    tokens: createSessionTokens(tokenSecret),
    codeKeys: codeKeys(codeSecret),
    logger,
    updateRetries: metrics.updateRetries,
  });
  const openApi = openApiDocument();
  const withTemporal = <T>(call: () => Promise<T>) =>
    client.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, call);
  /** Whether a session's workflow exists; when Temporal cannot say, it may (the safe answer). */
  const sessionExists = (tenantId: string, sessionId: string): Promise<boolean> =>
    withTemporal(() => client.workflow.getHandle(sessionWorkflowId(tenantId, sessionId)).describe()).then(
      () => true,
      (err: unknown) => !(err instanceof WorkflowNotFoundError || err instanceof NamespaceNotFoundError),
    );

  const app = new Koa();
  app.proxy = config.trustProxy;
  const proxyTrust = { trustProxy: config.trustProxy, hops: config.trustProxyHops };

  /** ctx.ip is the client as SPEC §7 defines it, for every later use (the per-IP limits). */
  async function resolveClientIp(ctx: ApiContext, next: Next): Promise<void> {
    ctx.request.ip = clientIp(ctx.req.socket.remoteAddress ?? '', ctx.get('X-Forwarded-For'), proxyTrust);
    await next();
  }

  /** One log line per request; the request id is taken from X-Request-Id when sane, and echoed. */
  async function logRequests(ctx: ApiContext, next: Next): Promise<void> {
    const started = performance.now();
    const presented = ctx.get('X-Request-Id');
    ctx.state.requestId = REQUEST_ID.test(presented) ? presented : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      // The route pattern, never the path: a path holds session ids.
      const route = ctx._matchedRoute ? String(ctx._matchedRoute) : 'unmatched';
      metrics.httpDuration.observe({ route, status: String(ctx.status) }, seconds);
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
  }

  function respondWithError(ctx: ApiContext, error: ApiError): void {
    if (error.code === 'rate_limited') metrics.rateLimited.inc({ limit: error.limit ?? 'unknown' });
    ctx.status = error.status;
    ctx.body = error.toBody();
    if (error.status === 429 && error.extras.retry_after !== undefined)
      ctx.set('Retry-After', String(error.extras.retry_after));
  }

  /** SPEC §7: send and resend carry tokens and sandbox codes; no API answer is worth caching. */
  async function noStore(ctx: ApiContext, next: Next): Promise<void> {
    if (ctx.path === API_BASE || ctx.path.startsWith(`${API_BASE}/`)) ctx.set('Cache-Control', 'no-store');
    await next();
  }

  /** Every error answers in the SPEC shape; nothing internal (stack, cause) reaches the client. */
  async function renderErrors(ctx: ApiContext, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.body !== undefined && ctx.body !== null) return;
      if (ctx.status === 405 || ctx.status === 501) respondWithError(ctx, new ApiError('method_not_allowed'));
      else if (ctx.status === 404) respondWithError(ctx, new ApiError('not_found'));
    } catch (err) {
      const known = catalogueErrorOf(err);
      if (known) return respondWithError(ctx, known);
      if (isTemporalUnavailable(err)) {
        logger.warn({ request_id: ctx.state.requestId, err }, 'Temporal unavailable');
        return respondWithError(ctx, new ApiError('service_unavailable'));
      }
      logger.error({ request_id: ctx.state.requestId, err }, 'request failed');
      respondWithError(ctx, new ApiError('internal_error'));
    }
  }

  async function authenticate(ctx: ApiContext, next: Next): Promise<void> {
    const caller = tenants.authenticate(ctx.get('X-API-Key'));
    if (!caller) throw new ApiError('invalid_api_key');
    ctx.state.caller = caller;
    await next();
  }

  const callerOf = (ctx: ApiContext): ApiCaller => ctx.state.caller!;
  /** What the workflow and the session reads need to know of the key (SPEC §7 key modes). */
  const modeOf = (caller: ApiCaller): CallerMode => ({ test_key: caller.testKey });
  /** A verify, resend or cancel retried with the same Idempotency-Key is the same Temporal update. */
  const updateIdOf = (ctx: ApiContext, operation: SessionOperation, sessionId: string) => {
    const idempotencyKey = idempotencyKeyOf(ctx);
    const caller = callerOf(ctx);
    return idempotencyKey === undefined
      ? undefined
      : idempotentUpdateId(
          tokenSecret,
          caller.tenant.id,
          modeOf(caller),
          operation,
          sessionId,
          idempotencyKey,
        );
  };

  const detailOf = (view: Awaited<ReturnType<typeof sessions.view>>): SessionDetail => ({
    ...view,
    temporal_ui_url: uiUrl
      ? `${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(
          sessionWorkflowId(view.tenant_id, view.session_id),
        )}`
      : null,
  });

  /** A session id from the path: one that cannot exist is simply not found. */
  function pathSessionId(ctx: ApiContext): string {
    const parsed = sessionIdSchema.safeParse(ctx.params.id);
    if (!parsed.success) throw new ApiError('session_not_found');
    return parsed.data;
  }

  async function readiness(): Promise<Readiness> {
    try {
      const described = await client.withDeadline(Date.now() + READINESS_DEADLINE_MS, () =>
        client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      // Workers of a build that is not current poll only for the sessions pinned to it (SPEC §10).
      if (!pollersForNewWorkflows(described).length) {
        const current = described.versioningInfo?.currentDeploymentVersion;
        logger.warn(
          {
            task_queue: taskQueue,
            current_version: current?.buildId ? `${current.deploymentName}:${current.buildId}` : null,
            pollers: described.pollers?.length ?? 0,
          },
          'not ready: no worker is polling the task queue for new sessions',
        );
        return { status: 'unavailable', reason: 'no_worker_polling' };
      }
      return { status: 'ready' };
    } catch (err) {
      // The details (addresses, TLS errors) are for the operator's log, not for whoever probes.
      logger.warn({ err }, 'not ready: Temporal is not answering');
      return { status: 'unavailable', reason: 'temporal_unreachable' };
    }
  }

  const router = new Router<ApiState>();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const ready = await readiness();
    ctx.status = ready.status === 'ready' ? 200 : 503;
    ctx.body = ready;
  });

  router.get('/metrics', async (ctx) => {
    if (config.metricsToken) {
      const presented = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
      if (!sameSecret(presented, config.metricsToken)) throw new ApiError('invalid_api_key');
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });

  router.get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });

  /**
   * Twilio status callbacks (SPEC §9): believed only with Twilio's signature over the exact URL
   * this product gave it (PUBLIC_BASE_URL, path and query) and the posted parameters.
   */
  router.post(TWILIO_STATUS_PATH, async (ctx: ApiContext) => {
    const params = await readFormBody(ctx);
    const authToken = config.twilio?.authToken;
    const signature = ctx.get('X-Twilio-Signature');
    const signedUrl = `${config.publicBaseUrl}${ctx.path}${ctx.search}`;
    if (
      !authToken ||
      !config.publicBaseUrl ||
      !signature ||
      !twilio.validateRequest(authToken, signature, signedUrl, params)
    ) {
      throw new ApiError('forbidden');
    }
    const found = receiptOf(new URLSearchParams(ctx.querystring), params);
    const applied = found
      ? await withTemporal(() => sessions.receipt(found.workflowId, found.receipt))
      : false;
    logger.info(
      {
        request_id: ctx.state.requestId,
        workflow_id: found?.workflowId,
        status: found?.receipt.status,
        applied,
      },
      'delivery receipt',
    );
    ctx.status = 204;
  });

  router.post(`${API_BASE}/send`, authenticate, async (ctx: ApiContext) => {
    const caller = callerOf(ctx);
    const body = validate(sendRequestSchema, await readJsonBody(ctx));
    const idempotencyKey = idempotencyKeyOf(ctx);
    const { tenant } = caller;
    const fingerprint = idempotencyKey ? requestFingerprint(tokenSecret, body) : undefined;
    const channels = sessionChannelsOf(body);
    const sandbox = caller.testKey || body.sandbox_mode;
    // SPEC §7: the session knows only the endpoints that receive its mode; a sandbox session's
    // events never reach one without `test`.
    const webhooks = (tenant.webhooks ?? [])
      .filter(({ modes }) => modes.includes(sandbox ? 'test' : 'live'))
      .map(({ url, events }) => ({ url, events }));
    const start: SessionStart = {
      session_id: idempotencyKey
        ? idempotentSessionId(tokenSecret, tenant.id, modeOf(caller), idempotencyKey)
        : newSessionId(),
      tenant_id: tenant.id,
      app_name: tenant.name,
      sandbox,
      key_mode: caller.testKey ? 'test' : 'live',
      channels,
      recipients: Object.fromEntries(channels.map((channel) => [channel, body.recipients[channel]])),
      config: resolveSessionConfig(tenant, body.config),
      verification: body.fallback ? { mode: 'any' } : body.verification,
      metadata: body.metadata,
      templates: tenant.templates,
      tenant_policy: { id: tenant.id, limits: tenant.limits, credits: tenant.credits },
      ...(body.fallback ? { fallback: body.fallback } : {}),
      ...(webhooks.length ? { webhooks } : {}),
    };
    // A fallback chain's later channels are admitted and paid for by the session when it reaches them.
    const firstMessages = initialChannels(start);
    /**
     * SPEC §7: an Idempotency-Key names one request; another body under it is refused. Answers
     * whether the session exists already (a repeat).
     */
    const refuseOtherRequest = async (): Promise<boolean> => {
      if (!fingerprint) return false;
      const first = await withTemporal(() => sessions.requestFingerprintOf(tenant.id, start.session_id));
      if (first !== undefined && first !== fingerprint) throw new ApiError('idempotency_key_reused');
      return first !== undefined;
    };
    // Before the guards: a refused repeat spends nothing, and a repeat is the same send, not a new one.
    const repeat = await refuseOtherRequest();
    // What this send took from the limits: given back below if it is refused or never starts.
    let undo: UndoSend | void = undefined;
    if (!repeat) {
      // A hold nobody captures (the session never started) comes back by itself (src/credits).
      undo = await guards.beforeSend({
        caller,
        // The demo's calls come from loopback: its own limiter counted the real caller's IP.
        clientIp: isDemoCaller(caller) ? undefined : ctx.ip,
        sessionId: start.session_id,
        sandbox: start.sandbox,
        channels: firstMessages,
        recipients: start.recipients,
        fingerprint,
      });
    }
    const giveBack = async () => {
      await undo?.().catch((err: unknown) => logger.warn({ err }, 'could not give back a refused send'));
    };
    const { view, token, sandboxOtps } = await withTemporal(() => sessions.start(start, fingerprint)).catch(
      async (err: unknown) => {
        // Counted but never sent. A session that may have started (Temporal did not say) keeps them.
        if (undo && !(await sessionExists(tenant.id, start.session_id))) await giveBack();
        throw err;
      },
    );
    if (!repeat) metrics.countSends(firstMessages, start.sandbox);
    // Again once the session exists: simultaneous first sends with different bodies race to start
    // it. The one refused here sent nothing: its counts come back.
    await refuseOtherRequest().catch(async (err: unknown) => {
      if (err instanceof ApiError && err.code === 'idempotency_key_reused') await giveBack();
      throw err;
    });
    const response: SendResponse = {
      success: true,
      session_id: view.session_id,
      session_token: token,
      status: view.status,
      expires_at: view.expires_at,
      channels: Object.fromEntries(
        Object.entries(view.channels).map(([channel, c]) => [channel, { delivery: c.delivery }]),
      ),
      ...(view.sandbox && sandboxOtps ? { sandbox_otps: sandboxOtps } : {}),
    };
    ctx.status = 201;
    ctx.body = response;
  });

  router.post(`${API_BASE}/verify`, authenticate, async (ctx: ApiContext) => {
    const caller = callerOf(ctx);
    const body = validate(verifyRequestSchema, await readJsonBody(ctx));
    const sessionId = sessions.sessionIdOf(
      (body.token ?? body.session_token)!,
      caller.tenant.id,
      modeOf(caller),
    );
    const updateId = updateIdOf(ctx, 'verify', sessionId);
    let result;
    try {
      result = await withTemporal(() =>
        sessions.verify(caller.tenant.id, sessionId, body.otps, modeOf(caller), updateId),
      );
    } catch (err) {
      if (err instanceof ApiError) metrics.verifications.inc({ result: err.code });
      throw err;
    }
    metrics.verifications.inc({ result: result.status });
    const response: VerifyResponse = { success: true, ...result };
    ctx.body = response;
  });

  router.post(`${API_BASE}/resend`, authenticate, async (ctx: ApiContext) => {
    const caller = callerOf(ctx);
    const body = validate(resendRequestSchema, await readJsonBody(ctx));
    const sessionId = sessions.sessionIdOf(
      (body.session_token ?? body.token)!,
      caller.tenant.id,
      modeOf(caller),
    );
    const updateId = updateIdOf(ctx, 'resend', sessionId);
    // The session admits the resend itself (limits, credits) once its own rules accepted it.
    const result = await withTemporal(() =>
      sessions.resend(
        caller.tenant.id,
        sessionId,
        { channels: body.channels, client_ip: isDemoCaller(caller) ? undefined : ctx.ip },
        modeOf(caller),
        updateId,
      ),
    );
    metrics.countSends(result.channels, result.sandbox_otps !== undefined);
    const response: ResendResponse = {
      success: true,
      message: 'OTP resent successfully',
      sandbox: result.sandbox,
      expires_at: result.expires_at,
      resends_remaining: result.resends_remaining,
      next_resend_at: result.next_resend_at,
      channels: Object.fromEntries(
        Object.entries(result.delivery).map(([channel, delivery]) => [channel, { delivery }]),
      ),
      ...(result.sandbox_otps ? { sandbox_otps: result.sandbox_otps } : {}),
    };
    ctx.body = response;
  });

  const creditStore = (): CreditStore => {
    if (!credits) throw new ApiError('service_unavailable', {}, 'No credit store configured');
    return credits;
  };

  router.get(`${API_BASE}/balance`, authenticate, async (ctx: ApiContext) => {
    const { tenant } = callerOf(ctx);
    const response: BalanceResponse = {
      credits: tenant.credits === undefined ? null : await creditStore().balance(tenant),
    };
    ctx.body = response;
  });

  /** Top-ups and corrections, by an operator holding OTP_ADMIN_TOKEN; each is kept in the store's audit. */
  router.post(`${ADMIN_BASE}/tenants/:tenant/credits`, async (ctx: ApiContext) => {
    const presented = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
    if (!config.adminToken) throw new ApiError('not_found');
    if (!sameSecret(presented, config.adminToken)) throw new ApiError('invalid_api_key');
    const tenant = tenants.byId(ctx.params.tenant);
    if (!tenant) throw new ApiError('not_found', {}, 'No such tenant');
    if (tenant.credits === undefined) {
      throw new ApiError(
        'validation_error',
        {},
        'This tenant has no balance limit: give it `credits` in the tenants file',
      );
    }
    const change = validate(creditChangeSchema, await readJsonBody(ctx));
    let credits: number;
    try {
      credits = await creditStore().adjust(tenant, change, { actor: 'admin-api', reason: change.reason });
    } catch (err) {
      if (err instanceof RangeError) throw new ApiError('validation_error', {}, err.message);
      throw err;
    }
    logger.info({ tenant_id: tenant.id, change, credits }, 'credits adjusted');
    const response: BalanceResponse = { credits };
    ctx.body = response;
  });

  router.get(`${API_BASE}/sessions`, authenticate, async (ctx: ApiContext) => {
    const filters = validate(listSessionsQuerySchema, ctx.query);
    const caller = callerOf(ctx);
    ctx.body = await withTemporal(() =>
      listSessions(client, namespace, caller.tenant.id, modeOf(caller), filters),
    );
  });

  router.get(`${API_BASE}/sessions/:id`, authenticate, async (ctx: ApiContext) => {
    const caller = callerOf(ctx);
    const sessionId = pathSessionId(ctx);
    ctx.body = detailOf(await withTemporal(() => sessions.view(caller.tenant.id, sessionId, modeOf(caller))));
  });

  router.post(`${API_BASE}/sessions/:id/cancel`, authenticate, async (ctx: ApiContext) => {
    const caller = callerOf(ctx);
    await readJsonBody(ctx); // no body is needed, but one that is sent obeys the same rules
    const sessionId = pathSessionId(ctx);
    const updateId = updateIdOf(ctx, 'cancel', sessionId);
    ctx.body = detailOf(
      await withTemporal(() => sessions.cancel(caller.tenant.id, sessionId, modeOf(caller), updateId)),
    );
  });

  app.use(resolveClientIp);
  /** One span per request, active while the route runs, so Temporal calls become its children. */
  async function traceRequests(ctx: ApiContext, next: Next): Promise<void> {
    if (!tracer) return next();
    await tracer.startActiveSpan(`HTTP ${ctx.method}`, { kind: SpanKind.SERVER }, async (span) => {
      ctx.state.traceId = span.spanContext().traceId;
      try {
        await next();
      } finally {
        // The route pattern, never the path: a path holds session ids.
        const route = ctx._matchedRoute ? String(ctx._matchedRoute) : 'unmatched';
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
  }

  app.use(traceRequests);
  app.use(logRequests);
  app.use(noStore);
  app.use(renderErrors);
  app.use(router.routes());
  app.use(router.allowedMethods());
  if (demo) app.use(demoRoutes(demo));
  app.use(
    codecRoutes(client.options.loadedDataConverter.payloadCodecs, {
      token: config.codecToken,
      uiOrigin: uiUrl ? new URL(uiUrl).origin : undefined,
      uiCapability: codecUiCapability,
    }),
  );
  return app;
}
