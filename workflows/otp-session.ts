/**
 * One verification session as one workflow. This file only wires Temporal to the rules in
 * session-rules.ts: messages, timers, activities, search attributes. Every update is checked
 * by a synchronous validator before it is written to history, and every handler runs under one
 * mutex, so simultaneous calls on a session behave as if they ran one at a time.
 */
import * as wf from '@temporalio/workflow';
import { rule } from './rule-failures';
import { Mutex } from 'async-mutex';
import type { SessionActivities } from '../activities';
import type { Channel } from './channels';
import { DELIVERY_FAILED, ERROR_CATALOGUE, PROVIDER_CREDENTIALS, RuleViolation } from './errors';
import { OtpStatus, OtpTenant, sessionSearchAttributes } from './search-attributes';
import {
  advanceClock,
  applyReceipt,
  applyVerification,
  attemptsRemaining,
  beginFallback,
  beginResend,
  cancel,
  checkCallerMode,
  checkCancel,
  checkResend,
  checkVerify,
  deliveryInFlight,
  fallbackDue,
  fallsBackFrom,
  initialChannels,
  isTerminal,
  nextDeadline,
  nextFallbackChannel,
  openSession,
  recordDelivery,
  recordWebhook,
  refuseFallback,
  sandboxCodes,
  toView,
  webhookEvents,
  type FallbackReason,
  type SessionState,
  type WebhookEvent,
} from './session-rules';
import type {
  CancelRequest,
  ProviderReceipt,
  ResendRequest,
  ResendResult,
  SendResult,
  SessionStart,
  SessionView,
  VerifyRequest,
  VerifyResult,
} from './session-types';

export const verifyUpdate = wf.defineUpdate<VerifyResult, [VerifyRequest]>('verify');
export const resendUpdate = wf.defineUpdate<ResendResult, [ResendRequest]>('resend');
/** Its argument is optional on the wire: sessions recorded before key modes were cancelled without one. */
export const cancelUpdate = wf.defineUpdate<SessionView, [CancelRequest]>('cancel');
/** Sent with the start (update-with-start): answers once the first deliveries settle. */
export const initialDeliveryUpdate = wf.defineUpdate<SendResult, []>('initialDelivery');
export const statusQuery = wf.defineQuery<SessionView>('status');
/** A provider's delivery receipt (SPEC §9), sent by the API once the callback's signature checked out. */
export const deliveryReceiptSignal = wf.defineSignal<[ProviderReceipt]>('deliveryReceipt');

const { issueCode } = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '20s',
  scheduleToCloseTimeout: '2m',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    nonRetryableErrorTypes: [DELIVERY_FAILED],
  },
});

/**
 * Sessions started before HARDENING compared codes (and issued sandbox codes) in local
 * activities. Their histories still replay with these; new sessions use none (see HARDENING).
 */
const inWorker = wf.proxyLocalActivities<SessionActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3 },
});

/** Short calls that answer a waiting request: comparing codes, admitting a resend. */
const prompt = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumAttempts: 2 },
});

/** Bookkeeping outlives an outage of its store: retried until it answers, for a day. */
const { recordVerification, releaseCharges } = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '10s',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/**
 * Webhooks (SPEC §9): at least once, with exponential backoff for up to a day. Each attempt is
 * short, so a hanging endpoint holds a worker slot for 15 s at most, and never the session.
 */
const { deliverWebhook } = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '15s',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1h' },
});

/** Sessions started between this patch and HARDENING issue sandbox codes in a local activity. */
const SANDBOX_CODES_IN_WORKER = 'sandbox-codes-in-worker';

/**
 * Sessions started since this patch:
 * - limit guesses per code (SPEC §7): a partial resend keeps the failed-attempt count and the
 *   expiry of the codes it did not replace (session-rules.ts, perCodeLimits);
 * - use no local activity. sdk-core 1.24 keeps a run's incoming update requests in one buffer
 *   that a newly arrived workflow task replaces; while a local activity holds the run's task
 *   open, a second task can arrive and the updates of the first are never processed, so the
 *   server rejects them (UnprocessedUpdate). Regular activities leave no task open.
 * - admit their own resends (cross-session limits, credits) after their rules accepted them;
 * - record each verification's failures themselves, durably;
 * - wait for a delivery outside the session's lock and for at most VERIFY_DELIVERY_WAIT;
 * - cancel a delivery (and its retries) that a resend superseded.
 */
const HARDENING = 'session-hardening-1';

/**
 * Sessions started since this patch behave as HARDENING says, without its marker (this one stands
 * for both, so a session still records one patch), and a right code checked alone is recorded by
 * checkCodes itself: the session owes no recordVerification for it. A patch, not only the
 * activity's answer, so that a worker without this code refuses such a session (an unknown patch
 * marker is a nondeterminism error) instead of finishing it the old way mid-rollout.
 */
const LONE_MATCH = 'session-lone-match-1';

/**
 * Sessions started since this patch behave as LONE_MATCH says, without its marker, and a wrong
 * code checked alone is recorded by checkCodes too (its failure counted): a verify owes no
 * recordVerification unless the store did not answer the check or it compared several codes.
 */
const LONE_CHECK = 'session-lone-check-1';

/** How long send and resend wait for delivery before answering with "queued". */
const DELIVERY_WAIT = '8s';
/** How long a verify waits for a code still being delivered; well inside the API's deadline. */
const VERIFY_DELIVERY_WAIT = '10s';

function submittedChannels(request: VerifyRequest | undefined): Channel[] {
  const digests = request?.code_digests;
  if (typeof digests !== 'object' || digests === null) {
    throw new RuleViolation('validation_error', {}, 'code_digests is required');
  }
  return Object.keys(digests) as Channel[];
}

/**
 * An activity's refusal (an ApplicationFailure typed with a catalogue code) as the update's own
 * failure; anything else means the store or the worker could not answer.
 */
function refusalOf(err: unknown): wf.ApplicationFailure {
  const cause = err instanceof wf.ActivityFailure ? err.cause : err;
  if (cause instanceof wf.ApplicationFailure && cause.type && cause.type in ERROR_CATALOGUE) return cause;
  return wf.ApplicationFailure.create({
    type: 'service_unavailable',
    message: ERROR_CATALOGUE.service_unavailable.message,
    nonRetryable: true,
  });
}

/**
 * A delivery that ended with the provider's definite refusal of the message or of our
 * credentials — not a timeout, after which the message may have gone out.
 */
function refusedForGood(err: unknown): boolean {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof wf.ApplicationFailure) {
      return cause.type === DELIVERY_FAILED || cause.type === PROVIDER_CREDENTIALS;
    }
  }
  return false;
}

function raise(violation: RuleViolation): never {
  throw violation;
}

/** A code still on its way: refused without spending an attempt; the person tries again shortly. */
function stillBeingDelivered(state: SessionState, channels: Channel[]): never {
  const queued = channels.filter((c) => state.channels[c]!.delivery === 'queued');
  throw new RuleViolation(
    'code_not_active',
    { retry_after: 2 },
    `The code for ${queued.join(', ')} is still being delivered: try again in a moment`,
  );
}

function failureReason(err: unknown): string {
  const cause = err instanceof wf.ActivityFailure && err.cause ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.slice(0, 200);
}

export async function otpSession(start: SessionStart): Promise<SessionView> {
  const loneCheck = wf.patched(LONE_CHECK);
  const loneMatch = loneCheck || wf.patched(LONE_MATCH);
  const hardened = loneMatch || wf.patched(HARDENING);
  // An invalid start fails the workflow once (ApplicationFailure) instead of retrying its task forever.
  let state: SessionState = rule(() => openSession(start, Date.now(), { perCodeLimits: hardened }));
  const serial = new Mutex();

  // Sessions the API starts carry their search attributes from the start (a fact of history, so
  // replay decides alike); others, and sessions started before, upsert them in their first task.
  if (wf.workflowInfo().typedSearchAttributes.get(OtpTenant) === undefined) {
    wf.upsertSearchAttributes(sessionSearchAttributes(start, state.status));
  }

  const sandboxInWorker = !hardened && start.sandbox && wf.patched(SANDBOX_CODES_IN_WORKER);
  const issue = sandboxInWorker ? inWorker.issueCode : issueCode;
  const checkCodes = hardened ? prompt.checkCodes : inWorker.checkCodes;
  const policy = start.tenant_policy ?? { id: start.tenant_id };
  /** Waits for deliveries; a live one may be retrying, so send and resend answer "queued" after a while. */
  const settled = (done: () => boolean): Promise<unknown> =>
    sandboxInWorker ? wf.condition(done) : wf.condition(done, DELIVERY_WAIT);
  /** Per channel, the scope of its latest delivery: a resend cancels the one it supersedes. */
  const deliveries = new Map<Channel, wf.CancellationScope>();
  let bookkeepingInFlight = 0;

  function transition(next: SessionState): void {
    const before = state;
    state = next;
    if (next.status !== before.status) wf.upsertSearchAttributes([{ key: OtpStatus, value: state.status }]);
    if (start.webhooks?.length) for (const event of webhookEvents(before, next)) notify(event);
  }

  /** Tells every endpoint of the tenant that wants this event; the session never waits for them. */
  function notify(event: WebhookEvent): void {
    const payload = {
      type: event.type,
      timestamp: event.at,
      data: { ...toView(state), ...(event.channel ? { channel: event.channel } : {}) },
    };
    for (const { url, events } of start.webhooks!) {
      if (!events.includes(event.type)) continue;
      owe(
        deliverWebhook({ tenant_id: start.tenant_id, url, id: event.id, payload }).then(
          ({ attempts }) => transition(recordWebhook(state, { event, url, attempts }, Date.now())),
          (err) =>
            transition(
              recordWebhook(state, { event, url, attempts: 0, failure: failureReason(err) }, Date.now()),
            ),
        ),
      );
    }
  }

  /**
   * Moves a fallback chain on from `from` (SPEC §9), under the session's lock: the next channel is
   * admitted like a resend (its recipient's send limit, the tenant's credits), or given up on,
   * until one gets a code or none is left.
   */
  async function fallBack(from: Channel, reason: FallbackReason): Promise<void> {
    if (!fallsBackFrom(state, from)) return;
    await serial.runExclusive(async () => {
      if (!fallsBackFrom(state, from)) return;
      for (let to = nextFallbackChannel(state); to; to = nextFallbackChannel(state)) {
        const debit = { session_id: start.session_id, issue: state.issue, tenant: policy, channels: [to] };
        try {
          await prompt.admitResend({
            ...debit,
            sandbox: start.sandbox,
            recipients: { [to]: state.channels[to]!.recipient },
          });
        } catch (err) {
          transition(refuseFallback(state, to, refusalOf(err).type ?? 'service_unavailable', Date.now()));
          continue;
        }
        // The session may have ended, or locked, while the store answered.
        if (isTerminal(advanceClock(state, Date.now()).status) || state.status === 'locked') {
          if (!start.sandbox) owe(releaseCharges(debit));
          return;
        }
        transition(beginFallback(state, to, reason, Date.now()));
        deliver([to]);
        return;
      }
    });
  }

  /** Starts delivery of the current issue's codes; results land whenever they come. */
  function deliver(channels: Channel[]): void {
    for (const channel of channels) {
      const issueNumber = state.issue;
      const delivery = (): ReturnType<typeof issue> =>
        issue({
          session_id: start.session_id,
          channel,
          recipient: state.channels[channel]!.recipient,
          issue: issueNumber,
          otp_length: start.config.otp_length,
          code_type: start.config.code_type,
          expiry_minutes: start.config.expiry_minutes,
          app_name: start.app_name,
          templates: start.templates,
          sandbox: start.sandbox,
          ...(hardened && !start.sandbox ? { tenant: policy } : {}),
        });
      let delivered: ReturnType<typeof issue>;
      if (hardened) {
        deliveries.get(channel)?.cancel();
        const scope = new wf.CancellationScope();
        deliveries.set(channel, scope);
        delivered = scope.run(delivery);
      } else {
        delivered = delivery();
      }
      // A cancelled (superseded) delivery lands as a result for an old issue: recordDelivery ignores it.
      delivered.then(
        (issued) => {
          transition(
            recordDelivery(
              state,
              channel,
              issueNumber,
              {
                ok: true,
                codeHash: issued.code_hash,
                sandboxCode: issued.sandbox_code,
                providerMessageId: issued.provider_message_id,
              },
              Date.now(),
            ),
          );
          // A receipt that overtook this result may already say the message never arrived.
          const landed = state.channels[channel]!;
          if (landed.issue === issueNumber && landed.delivery === 'undelivered')
            owe(fallBack(channel, 'undelivered'));
        },
        (err) => {
          // The provider refused the message for good: it did not go out, so it costs nothing.
          if (hardened && !start.sandbox && refusedForGood(err)) {
            owe(
              releaseCharges({
                session_id: start.session_id,
                issue: issueNumber,
                tenant: policy,
                channels: [channel],
              }),
            );
          }
          const before = state;
          transition(
            recordDelivery(
              state,
              channel,
              issueNumber,
              { ok: false, reason: failureReason(err) },
              Date.now(),
            ),
          );
          if (state !== before) owe(fallBack(channel, 'delivery_failed'));
        },
      );
    }
  }

  wf.setHandler(statusQuery, () => toView(state));

  wf.setHandler(deliveryReceiptSignal, (receipt) => {
    const before = state;
    transition(applyReceipt(state, receipt, Date.now()));
    if (state !== before && state.channels[receipt.channel]?.delivery === 'undelivered')
      owe(fallBack(receipt.channel, 'undelivered'));
  });

  wf.setHandler(initialDeliveryUpdate, async () => {
    await settled(() => !deliveryInFlight(state, start.channels) || isTerminal(state.status));
    return { session: toView(state), sandbox_otps: sandboxCodes(state, start.channels) };
  });

  /** Bookkeeping a session owes after it answered (failure counts, refunds); it ends only once settled. */
  function owe(work: Promise<unknown>): void {
    bookkeepingInFlight++;
    work
      .catch((err) => wf.log.error('session bookkeeping gave up', { reason: failureReason(err) }))
      .finally(() => bookkeepingInFlight--);
  }

  /**
   * Feeds the cross-session failure count with what one verify found, after answering it;
   * `recorded`: the channel whose outcome checkCodes already recorded.
   */
  function recordOutcome(
    results: VerifyResult['results'],
    recipients: NonNullable<VerifyResult['checked_recipients']>,
    recorded: Channel | undefined,
  ): void {
    const withResult = (wanted: string) =>
      (Object.keys(recipients) as Channel[])
        .filter((c) => results[c] === wanted && c !== recorded)
        .map((c) => recipients[c]!);
    const [failed, verified] = [withResult('invalid'), withResult('verified')];
    if (failed.length + verified.length === 0) return;
    owe(recordVerification({ tenant: policy, sandbox: start.sandbox, failed, verified }));
  }

  /** Compares the submitted codes and applies the result; runs under the session's lock. */
  async function compareAndApply(request: VerifyRequest, submitted: Channel[]): Promise<VerifyResult> {
    const toCompare = rule(() => checkVerify(state, submitted, Date.now()));
    // A resend may have queued a new code while this request waited for the lock.
    if (hardened && deliveryInFlight(state, toCompare)) rule(() => stillBeingDelivered(state, toCompare));
    // Sessions started before HARDENING wait here, inside the lock, for as long as delivery takes.
    await wf.condition(() => !deliveryInFlight(state, toCompare));
    rule(() => checkVerify(state, submitted, Date.now()));
    const pairs = Object.fromEntries(
      toCompare.map((c) => [c, { digest: request.code_digests[c]!, hash: state.channels[c]!.codeHash! }]),
    );
    // One code with attempts left: the compare alone decides it, so checkCodes can record the
    // outcome itself (a match's only, before LONE_CHECK) and the session owes no record for it.
    const alone =
      loneMatch && toCompare.length === 1 && attemptsRemaining(state) > 0 ? toCompare[0] : undefined;
    const record = alone && {
      tenant: policy,
      sandbox: start.sandbox,
      recipient: state.channels[alone]!.recipient,
    };
    let matches: Awaited<ReturnType<typeof checkCodes>>;
    try {
      matches = await checkCodes({
        pairs,
        ...(record ? (loneCheck ? { record } : { record_match: record }) : {}),
      });
    } catch (err) {
      throw hardened ? refusalOf(err) : err;
    }
    // Time may have expired the session while bcrypt ran.
    rule(() => checkVerify(state, submitted, Date.now()));
    const outcome = applyVerification(advanceClock(state, Date.now()), matches, Date.now());
    transition(outcome.state);
    if (!hardened) {
      if (outcome.failure) rule(() => raise(outcome.failure!));
      return outcome.result;
    }
    const { checked_recipients = {}, ...result } = outcome.result;
    const recorded = loneCheck ? matches.recorded : matches.match_recorded;
    recordOutcome(result.results, checked_recipients, recorded ? alone : undefined);
    if (outcome.failure) {
      rule(
        () => raise(outcome.failure!),
        ({ extras: { checked_recipients: _, ...extras } }) => extras,
      );
    }
    return result;
  }

  wf.setHandler(
    verifyUpdate,
    async (request) => {
      const submitted = submittedChannels(request);
      if (hardened) {
        // Wait for a code still being delivered outside the lock, and not for long: a slow
        // provider never holds the session, and the caller is answered inside the API's deadline.
        const waitFor = rule(() => checkVerify(state, submitted, Date.now()));
        if (deliveryInFlight(state, waitFor)) {
          const landed = await wf.condition(
            () => !deliveryInFlight(state, waitFor) || isTerminal(state.status),
            VERIFY_DELIVERY_WAIT,
          );
          if (!landed) rule(() => stillBeingDelivered(state, waitFor));
        }
      }
      return serial.runExclusive(() => compareAndApply(request, submitted));
    },
    {
      validator: (request) => {
        rule(() => checkCallerMode(state, request));
        rule(() => checkVerify(state, submittedChannels(request), Date.now()));
        for (const digest of Object.values(request.code_digests)) {
          if (typeof digest !== 'string' || digest.length === 0) {
            throw wf.ApplicationFailure.create({
              type: 'validation_error',
              message: ERROR_CATALOGUE.validation_error.message,
              nonRetryable: true,
            });
          }
        }
      },
    },
  );

  /**
   * Counts a resend the rules accepted against the cross-session limits and pays for it, or
   * refuses it having taken nothing; runs under the session's lock.
   */
  async function admitResend(request: ResendRequest, targets: Channel[]): Promise<void> {
    const debit = { session_id: start.session_id, issue: state.issue + 1, tenant: policy };
    try {
      await prompt.admitResend({
        ...debit,
        sandbox: start.sandbox,
        channels: targets,
        recipients: Object.fromEntries(targets.map((c) => [c, state.channels[c]!.recipient])),
        client_ip: request.client_ip ?? '',
      });
    } catch (err) {
      throw refusalOf(err);
    }
    // The session may have expired while the store answered.
    try {
      rule(() => checkResend(state, request.channels, Date.now()));
    } catch (err) {
      if (!start.sandbox) owe(releaseCharges({ ...debit, channels: targets }));
      throw err;
    }
  }

  wf.setHandler(
    resendUpdate,
    (request) =>
      serial.runExclusive(async () => {
        const targets = rule(() => checkResend(state, request.channels, Date.now()));
        if (hardened) await admitResend(request, targets);
        transition(beginResend(state, targets, Date.now()));
        const resentIssue = state.issue;
        deliver(targets);
        await settled(() => !deliveryInFlight(state, targets) || state.issue !== resentIssue);
        const view = toView(state);
        return {
          expires_at: view.expires_at,
          resends_remaining: view.resends.remaining,
          next_resend_at: view.resends.next_resend_at,
          channels: targets,
          delivery: Object.fromEntries(targets.map((c) => [c, state.channels[c]!.delivery])),
          sandbox_otps: sandboxCodes(state, targets),
        };
      }),
    {
      validator: (request) => {
        rule(() => checkCallerMode(state, request));
        rule(() => checkResend(state, request?.channels, Date.now()));
      },
    },
  );

  wf.setHandler(
    cancelUpdate,
    () =>
      serial.runExclusive(async () => {
        rule(() => checkCancel(state, Date.now()));
        transition(cancel(state, Date.now()));
        return toView(state);
      }),
    {
      validator: (request) => {
        rule(() => checkCallerMode(state, request));
        rule(() => checkCancel(state, Date.now()));
      },
    },
  );

  deliver(initialChannels(start));

  // Durable timers: sleep until the next deadline (expiry, end of lockout, the next step of a
  // fallback chain), waking early only when a message moves that deadline or ends the session.
  while (!isTerminal(state.status)) {
    const deadline = nextDeadline(state)!;
    await wf.condition(
      () => isTerminal(state.status) || nextDeadline(state) !== deadline,
      Math.max(1, deadline - Date.now()),
    );
    transition(advanceClock(state, Date.now()));
    if (fallbackDue(state, Date.now())) await fallBack(state.fallback!.current, 'not_verified');
  }
  await wf.condition(() => wf.allHandlersFinished() && bookkeepingInFlight === 0);
  return toView(state);
}
