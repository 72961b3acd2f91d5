/**
 * The API's side of the session workflow: starts it, sends it updates, reads its status or
 * result, and turns whatever the workflow answers (or refuses) into API values and ApiErrors.
 * No session rule is decided here.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  WithStartWorkflowOperation,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/common';
import type { Logger } from 'pino';
import { codeDigest, type CodeKeys } from '../../activities/codes';
import type { Channel } from '../../workflows/channels';
import {
  cancelUpdate,
  deliveryReceiptSignal,
  initialDeliveryUpdate,
  otpSession,
  resendUpdate,
  statusQuery,
  verifyUpdate,
} from '../../workflows/otp-session';
import { sessionSearchAttributes } from '../../workflows/search-attributes';
import { ENDED_SESSION_ERRORS } from '../../workflows/session-rules';
import type {
  CallerMode,
  KeyMode,
  ProviderReceipt,
  ResendRequest,
  SandboxCodes,
  SessionStart,
  SessionView,
} from '../../workflows/session-types';
import type { SessionTokens } from './tokens';
import { ApiError, fromApplicationFailure } from '../contract/errors';

/** The workflow id of a session: the tenant is part of it, so one tenant can never address another's session. */
export function sessionWorkflowId(tenantId: string, sessionId: string): string {
  return `otp-${tenantId}-${sessionId}`;
}

export function newSessionId(): string {
  return `ses_${randomBytes(16).toString('hex')}`;
}

/**
 * The session id an Idempotency-Key stands for: the same tenant, key mode and key always give
 * the same id, and a test key never reaches a session a live key opened with the same key
 * (SPEC §7). A live key's input is the one used before key modes, so a live retry spanning an
 * upgrade still finds its session.
 */
export function idempotentSessionId(
  secret: string,
  tenantId: string,
  mode: CallerMode,
  idempotencyKey: string,
): string {
  const scope = mode.test_key ? 'idempotency:test' : 'idempotency';
  const digest = createHmac('sha256', secret)
    .update(`${scope}\n${tenantId}\n${idempotencyKey}`)
    .digest('hex');
  return `ses_${digest.slice(0, 32)}`;
}

export type SessionOperation = 'verify' | 'resend' | 'cancel';

/**
 * The Temporal update id of a verify, resend or cancel sent with an Idempotency-Key: a retry
 * (after a timeout, say) carries the same id, and Temporal answers it with the first outcome
 * instead of running it again, so a retried wrong code spends one attempt, a retried resend
 * sends once.
 */
export function idempotentUpdateId(
  secret: string,
  tenantId: string,
  mode: CallerMode,
  operation: SessionOperation,
  sessionId: string,
  idempotencyKey: string,
): string {
  const keyMode = mode.test_key ? 'test' : 'live';
  const digest = createHmac('sha256', secret)
    .update(`update\n${tenantId}\n${keyMode}\n${operation}\n${sessionId}\n${idempotencyKey}`)
    .digest('hex');
  return `${operation}-${digest.slice(0, 32)}`;
}

/** The memo field holding the fingerprint of the send that started a session with an Idempotency-Key. */
const REQUEST_FINGERPRINT = 'request_fingerprint';

/**
 * A keyed fingerprint of a validated send body (canonical JSON: keys sorted, defaults applied),
 * so a repeat of an Idempotency-Key can tell whether it carries the same request (SPEC §7). Keyed,
 * because it is stored with the session and the body holds addresses.
 */
export function requestFingerprint(secret: string, body: unknown): string {
  return createHmac('sha256', secret)
    .update(`send-request\n${canonicalJson(body)}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${fields.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The key mode a caller's key has (SPEC §7). */
export function keyModeOf(mode: CallerMode): KeyMode {
  return mode.test_key === true ? 'test' : 'live';
}

/** SPEC §7: a key sees only the sessions its own mode opened; any other answers as unknown. */
function visibleTo(mode: CallerMode, view: SessionView): boolean {
  return keyModeOf(mode) === view.key_mode;
}

export interface SessionServiceOptions {
  client: Client;
  taskQueue: string;
  tokens: SessionTokens;
  codeKeys: CodeKeys;
  /** Where a retried update is reported (its name and attempt, nothing of the request). */
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** otp_update_retries_total: one per update sent again. */
  updateRetries?: { inc(labels: { update: SessionUpdate }): void };
  /** The pause before the `retry`-th resending of an unprocessed update (default 100 ms × retry). */
  updateRetryDelayMs?: (retry: number) => number;
}

/** The session's updates, as the metric's `update` label names them. */
export const SESSION_UPDATES = ['initialDelivery', 'verify', 'resend', 'cancel'] as const;
export type SessionUpdate = (typeof SESSION_UPDATES)[number];

/** Sends of one update, the first included, before an unprocessed one answers 503. */
export const UPDATE_ATTEMPTS = 3;

/**
 * The server answered that no worker processed the update (the workflow task that should have
 * taken it completed without it): nothing ran, so sending it again with the same id is safe, and
 * the server answers a repeat of an id it did process with that first outcome.
 */
export function wasUnprocessed(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === 'UnprocessedUpdate'
  );
}

export interface StartedSession {
  view: SessionView;
  token: string;
  sandboxOtps?: SandboxCodes;
}

export function createSessionService({
  client,
  taskQueue,
  tokens,
  codeKeys,
  logger,
  updateRetries,
  updateRetryDelayMs = (retry) => 100 * retry,
}: SessionServiceOptions) {
  const handleOf = (tenantId: string, sessionId: string) =>
    client.workflow.getHandle<typeof otpSession>(sessionWorkflowId(tenantId, sessionId));

  const tokenOf = (view: SessionView) =>
    tokens.issue({
      sessionId: view.session_id,
      tenantId: view.tenant_id,
      createdAt: view.created_at,
      config: view.config,
      keyMode: view.key_mode,
    });

  /** The result of a closed session; undefined when it never ran to a result (terminated, failed). */
  async function closedView(handle: WorkflowHandle<typeof otpSession>): Promise<SessionView | undefined> {
    try {
      return await handle.result();
    } catch (err) {
      if (err instanceof WorkflowFailedError) return undefined;
      throw err;
    }
  }

  /** Whether the session's workflow still runs; `session_not_found` when there is none. */
  async function isRunning(handle: WorkflowHandle<typeof otpSession>): Promise<boolean> {
    try {
      return (await handle.describe()).status.name === 'RUNNING';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new ApiError('session_not_found');
      throw err;
    }
  }

  /** Why an update found no running session: it is closed (its result says how) or it never existed. */
  async function refusalOfMissingSession(
    handle: WorkflowHandle<typeof otpSession>,
    mode: CallerMode,
  ): Promise<ApiError> {
    let running: boolean;
    try {
      running = await isRunning(handle);
    } catch (err) {
      if (err instanceof ApiError) return err;
      throw err;
    }
    const view = running ? undefined : await closedView(handle);
    const code = view && visibleTo(mode, view) ? ENDED_SESSION_ERRORS[view.status] : undefined;
    return new ApiError(code ?? 'session_not_found');
  }

  /**
   * The second line of defence against updates the server rejects unprocessed (the first is the
   * session using no local activity): sent again under the same update id, at most
   * UPDATE_ATTEMPTS times in all; then the caller gets `service_unavailable` (503), as for any
   * other Temporal trouble.
   */
  async function withUpdateRetries<T>(
    name: SessionUpdate,
    updateId: string,
    send: (updateId: string) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(updateId);
      } catch (err) {
        if (!wasUnprocessed(err)) throw err;
        if (attempt >= UPDATE_ATTEMPTS) {
          logger?.error({ update: name, attempts: attempt }, 'session update still unprocessed; giving up');
          throw new ApiError('service_unavailable');
        }
        updateRetries?.inc({ update: name });
        logger?.warn({ update: name, attempt }, 'session update rejected unprocessed; sending it again');
        const pause = updateRetryDelayMs(attempt);
        if (pause > 0) await sleep(pause);
      }
    }
  }

  async function update<T>(
    handle: WorkflowHandle<typeof otpSession>,
    mode: CallerMode,
    name: SessionUpdate,
    updateId: string | undefined,
    run: (updateId: string) => Promise<T>,
  ): Promise<T> {
    try {
      // An id of our own when the caller gave none: every resending must carry the same one.
      return await withUpdateRetries(name, updateId ?? randomUUID(), run);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const refusal = fromApplicationFailure(err.cause);
        if (refusal) throw refusal;
      }
      if (err instanceof WorkflowNotFoundError) throw await refusalOfMissingSession(handle, mode);
      throw err;
    }
  }

  return {
    /**
     * Starts a session and waits for its first deliveries (update-with-start). A session id
     * already in use (an Idempotency-Key repeat) reaches the existing session instead: a running
     * one answers the same update, a closed one answers from its result. `fingerprint` (of the
     * request body) is kept in the session's memo for later repeats to compare.
     */
    async start(start: SessionStart, fingerprint?: string): Promise<StartedSession> {
      const workflowId = sessionWorkflowId(start.tenant_id, start.session_id);
      try {
        // A start operation is used once: each sending gets its own, with the same update id.
        const result = await withUpdateRetries('initialDelivery', randomUUID(), (updateId) =>
          client.workflow.executeUpdateWithStart(initialDeliveryUpdate, {
            updateId,
            startWorkflowOperation: new WithStartWorkflowOperation(otpSession, {
              workflowId,
              taskQueue,
              args: [start],
              workflowIdConflictPolicy: 'USE_EXISTING',
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              typedSearchAttributes: sessionSearchAttributes(start, 'pending'),
              ...(fingerprint ? { memo: { [REQUEST_FINGERPRINT]: fingerprint } } : {}),
            }),
          }),
        );
        return { view: result.session, token: tokenOf(result.session), sandboxOtps: result.sandbox_otps };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const view = await closedView(handleOf(start.tenant_id, start.session_id));
        if (!view) throw new ApiError('session_not_found');
        return { view, token: tokenOf(view) };
      }
    },

    /**
     * The fingerprint of the request that started a session; undefined when there is no such
     * session, or it was started without one (before fingerprints existed).
     */
    async requestFingerprintOf(tenantId: string, sessionId: string): Promise<string | undefined> {
      try {
        const { memo } = await handleOf(tenantId, sessionId).describe();
        const fingerprint = memo?.[REQUEST_FINGERPRINT];
        return typeof fingerprint === 'string' ? fingerprint : undefined;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    },

    /** The session a token names for this tenant and key mode, or `session_not_found`. */
    sessionIdOf(token: string, tenantId: string, mode: CallerMode): string {
      const sessionId = tokens.sessionIdOf(token, tenantId, keyModeOf(mode));
      if (!sessionId) throw new ApiError('session_not_found');
      return sessionId;
    },

    /** Submitted codes become keyed digests here, so no plaintext code ever reaches the workflow. */
    verify(
      tenantId: string,
      sessionId: string,
      otps: Partial<Record<Channel, string>>,
      mode: CallerMode,
      updateId?: string,
    ) {
      const code_digests = Object.fromEntries(
        Object.entries(otps).map(([channel, code]) => [
          channel,
          codeDigest(codeKeys, sessionId, channel as Channel, code),
        ]),
      );
      const handle = handleOf(tenantId, sessionId);
      return update(handle, mode, 'verify', updateId, (id) =>
        handle.executeUpdate(verifyUpdate, {
          args: [{ code_digests, test_key: mode.test_key }],
          updateId: id,
        }),
      );
    },

    resend(tenantId: string, sessionId: string, request: ResendRequest, mode: CallerMode, updateId?: string) {
      const handle = handleOf(tenantId, sessionId);
      return update(handle, mode, 'resend', updateId, (id) =>
        handle.executeUpdate(resendUpdate, { args: [{ ...request, test_key: mode.test_key }], updateId: id }),
      );
    },

    cancel(tenantId: string, sessionId: string, mode: CallerMode, updateId?: string): Promise<SessionView> {
      const handle = handleOf(tenantId, sessionId);
      return update(handle, mode, 'cancel', updateId, (id) =>
        handle.executeUpdate(cancelUpdate, { args: [{ test_key: mode.test_key }], updateId: id }),
      );
    },

    /**
     * Hands a provider's receipt to the session it names. False when that session has ended or
     * never existed: the receipt then changes nothing.
     */
    async receipt(workflowId: string, receipt: ProviderReceipt): Promise<boolean> {
      try {
        await client.workflow.getHandle(workflowId).signal(deliveryReceiptSignal, receipt);
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },

    /**
     * The status query of an open session, the result of a closed one, if a key of `mode` may see it.
     */
    async view(tenantId: string, sessionId: string, mode: CallerMode): Promise<SessionView> {
      const handle = handleOf(tenantId, sessionId);
      const view = (await isRunning(handle)) ? await handle.query(statusQuery) : await closedView(handle);
      if (!view || view.tenant_id !== tenantId || !visibleTo(mode, view))
        throw new ApiError('session_not_found');
      return view;
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
