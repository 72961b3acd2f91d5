/**
 * The OTP calls (SPEC §4): send starts a session workflow, verify and resend are its updates.
 * Each translates a validated request into the Temporal call and the outcome back into HTTP.
 */
import type Router from '@koa/router';
import { NamespaceNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { resolveLocale, UnknownLocale } from '../../../activities/locales';
import { initialChannels } from '../../../workflows/session-rules';
import type { SessionStart } from '../../../workflows/session-types';
import { resolveSessionConfig, tenantPolicyOf } from '../../config/tenants';
import { isDemoCaller } from '../../demo';
import { phoneFactsOf } from '../../fraud/phone';
import type { UndoSend } from '../../limits/admission';
import {
  idempotentSessionId,
  newSessionId,
  requestFingerprint,
  sessionWorkflowId,
} from '../../sessions/sessions';
import { readJsonBody } from '../../contract/body';
import {
  callerOf,
  idempotencyKeyOf,
  modeOf,
  updateIdOf,
  type ApiState,
  type RouteDependencies,
} from '../context';
import { ApiError, validate } from '../../contract/errors';
import { authenticate } from '../middleware';
import {
  API_BASE,
  resendRequestSchema,
  sendRequestSchema,
  sessionChannelsOf,
  verifyRequestSchema,
  type ResendResponse,
  type SendResponse,
  type VerifyResponse,
} from '../../contract/schemas';

/** SPEC §12: the send's locale, the tenant's, the phone number's country's, or `en`; an unknown one is a validation_error. */
function localeOf(
  requested: string | undefined,
  tenantDefault: string | undefined,
  phoneCountry: string | undefined,
): string {
  try {
    return resolveLocale({ requested, tenantDefault, phoneCountry });
  } catch (err) {
    if (err instanceof UnknownLocale) {
      throw new ApiError('validation_error', { details: [{ path: 'locale', message: err.message }] });
    }
    throw err;
  }
}

export function otpRoutes(
  router: Router<ApiState>,
  { client, tenants, logger, sessions, metrics, tokenSecret, guards, withTemporal }: RouteDependencies,
): void {
  /** Whether a session's workflow exists; when Temporal cannot say, it may (the safe answer). */
  const sessionExists = (tenantId: string, sessionId: string): Promise<boolean> =>
    withTemporal(() => client.workflow.getHandle(sessionWorkflowId(tenantId, sessionId)).describe()).then(
      () => true,
      (err: unknown) => !(err instanceof WorkflowNotFoundError || err instanceof NamespaceNotFoundError),
    );

  const auth = authenticate(tenants);

  router.post(`${API_BASE}/send`, auth, async (ctx) => {
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
    const phones = phoneFactsOf(channels, body.recipients);
    const locale = localeOf(
      body.locale,
      tenant.default_locale,
      Object.values(phones).find((p) => p.country)?.country,
    );
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
      locale,
      tenant_policy: tenantPolicyOf(tenant),
      ...(Object.keys(phones).length ? { phones } : {}),
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

  router.post(`${API_BASE}/verify`, auth, async (ctx) => {
    const caller = callerOf(ctx);
    const body = validate(verifyRequestSchema, await readJsonBody(ctx));
    const sessionId = sessions.sessionIdOf(
      (body.token ?? body.session_token)!,
      caller.tenant.id,
      modeOf(caller),
    );
    const updateId = updateIdOf(ctx, tokenSecret, 'verify', sessionId);
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

  router.post(`${API_BASE}/resend`, auth, async (ctx) => {
    const caller = callerOf(ctx);
    const body = validate(resendRequestSchema, await readJsonBody(ctx));
    const sessionId = sessions.sessionIdOf(
      (body.session_token ?? body.token)!,
      caller.tenant.id,
      modeOf(caller),
    );
    const updateId = updateIdOf(ctx, tokenSecret, 'resend', sessionId);
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
}
