/**
 * One verification session as one workflow. This file only wires Temporal to the rules in
 * session-rules.ts: messages, timers, activities, search attributes. Every update is checked
 * by a synchronous validator before it is written to history, and every handler runs under one
 * mutex, so simultaneous calls on a session behave as if they ran one at a time.
 */
import * as wf from '@temporalio/workflow';
import { rule } from './rule-failures';
import { Mutex } from 'async-mutex';
import type { BookkeepingTask, FollowUpStart, SessionActivities } from './activity-contract';
import { isPhoneChannel, type Channel, type PhoneChannel } from './channels';
import { failureReason, webhookOutcomeSignal } from './follow-ups';
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
  messageInsight,
  nextDeadline,
  nextFallbackChannel,
  openSession,
  recordDelivery,
  recordWebhook,
  refuseFallback,
  sandboxCodes,
  sessionInsight,
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
export const cancelUpdate = wf.defineUpdate<SessionView, [CancelRequest]>('cancel');
/** Sent with the start (update-with-start): answers once the first deliveries settle. */
export const initialDeliveryUpdate = wf.defineUpdate<SendResult, []>('initialDelivery');
export const statusQuery = wf.defineQuery<SessionView>('status');
/** A provider's delivery receipt (SPEC §9), sent by the API once the callback's signature checked out. */
export const deliveryReceiptSignal = wf.defineSignal<[ProviderReceipt]>('deliveryReceipt');

/**
 * Delivery. It heartbeats while it waits for the provider, so a resend's cancellation of the
 * delivery it supersedes reaches the sender before the message is handed over (activities/).
 */
const { issueCode } = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '20s',
  scheduleToCloseTimeout: '2m',
  heartbeatTimeout: '5s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    nonRetryableErrorTypes: [DELIVERY_FAILED],
  },
});

/**
 * Comparing codes, and issuing a sandbox code (nothing to deliver): run by the worker inside the
 * workflow task, with no activity task round trip through the server. An update that arrives
 * while one runs can be rejected unprocessed by sdk-core 1.24; the API sends it again under the
 * same update id (docs/ARCHITECTURE.md). What it saves and costs: bench/RESULTS.md.
 */
const local = wf.proxyLocalActivities<SessionActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumAttempts: 2 },
});

/** Short calls that answer a waiting request and need a store: admitting a resend. */
const prompt = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumAttempts: 2 },
});

/**
 * A fallback step's admission: nobody waits on it, so a store outage is waited out (with
 * backoff), for at most as long as the session could still use the step.
 */
const durableAdmission = (untilMs: number) =>
  wf.proxyActivities<SessionActivities>({
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: Math.max(1_000, untilMs),
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
  }).admitResend;

/** Starting a follow-up workflow: retried while the frontend is unreachable, for at most an hour. */
const { startFollowUp } = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '10s',
  scheduleToCloseTimeout: '1h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** How long send and resend wait for delivery before answering with "queued". */
const DELIVERY_WAIT = '8s';
/** How long a verify waits for a code still being delivered; well inside the API's deadline. */
const VERIFY_DELIVERY_WAIT_MS = 10_000;
/** How long an ended session waits for its webhooks' first outcomes, so a healthy endpoint's are in its timeline. */
const WEBHOOK_REPORT_GRACE = '5s';

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

export async function otpSession(start: SessionStart): Promise<SessionView> {
  // An invalid start fails the workflow once (ApplicationFailure) instead of retrying its task forever.
  let state: SessionState = rule(() => openSession(start, Date.now()));
  const serial = new Mutex();
  const session_id = start.session_id;

  // Sessions the API starts carry their search attributes from the start; other starters' upsert them.
  if (wf.workflowInfo().typedSearchAttributes.get(OtpTenant) === undefined) {
    wf.upsertSearchAttributes(sessionSearchAttributes(start, state.status));
  }

  const policy = start.tenant_policy ?? { id: start.tenant_id };
  /** Waits for deliveries; a live one may be retrying, so send and resend answer "queued" after a while. */
  const settled = (done: () => boolean): Promise<unknown> => wf.condition(done, DELIVERY_WAIT);
  /** Per channel, the scope of its latest delivery: a resend cancels the one it supersedes. */
  const deliveries = new Map<Channel, wf.CancellationScope>();
  /** Work the session started and must see through before it ends: a fallback step, a hand-off's start. */
  let owed = 0;
  function owe(work: Promise<unknown>): void {
    owed++;
    void work.finally(() => owed--);
  }
  /** Webhook outcomes not reported yet: an ended session waits a little for them (its timeline). */
  let webhooksUnreported = 0;

  function transition(next: SessionState): void {
    const before = state;
    state = next;
    if (next.status !== before.status) wf.upsertSearchAttributes([{ key: OtpStatus, value: state.status }]);
    if (start.webhooks?.length) for (const event of webhookEvents(before, next)) notify(event);
  }

  /**
   * Starts work that may outlive the session as a workflow of its own with a stable id: a second
   * start of the same work is refused by Temporal, not done twice. Started by an activity, not as
   * a child: nothing links its life to the session's.
   */
  function handOff(followUp: FollowUpStart): void {
    owe(
      startFollowUp(followUp).catch((err) =>
        wf.log.error('a follow-up workflow could not be started for an hour', {
          workflow: followUp.workflow,
          workflow_id: followUp.workflow_id,
          reason: failureReason(err),
        }),
      ),
    );
  }

  /** Counts a verification's outcome or gives credits back, however long its store is down. */
  function bookkeep(id: string, task: BookkeepingTask): void {
    handOff({
      workflow: 'sessionBookkeeping',
      workflow_id: `${wf.workflowInfo().workflowId}-${id}`,
      args: [task],
    });
  }

  function releaseLater(issue: number, channels: Channel[]): void {
    if (start.sandbox) return;
    bookkeep(`release-${issue}-${channels.join('-')}`, {
      kind: 'releaseCharges',
      input: { session_id, issue, tenant: policy, channels },
    });
  }

  /** Tells every endpoint of the tenant that wants this event, in a workflow of its own (id = webhook-id). */
  function notify(event: WebhookEvent): void {
    const urls = start.webhooks!.filter(({ events }) => events.includes(event.type)).map(({ url }) => url);
    if (urls.length === 0) return;
    const payload = {
      type: event.type,
      timestamp: event.at,
      data: { ...toView(state), ...(event.channel ? { channel: event.channel } : {}) },
    };
    webhooksUnreported += urls.length;
    const session_workflow_id = wf.workflowInfo().workflowId;
    handOff({
      workflow: 'webhookEvent',
      workflow_id: event.id,
      args: [{ tenant_id: start.tenant_id, session_workflow_id, event, payload, urls }],
    });
  }

  wf.setHandler(webhookOutcomeSignal, (outcome) => {
    webhooksUnreported--;
    transition(recordWebhook(state, outcome, Date.now()));
  });

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
        const issue = state.issue;
        try {
          await durableAdmission(state.expiresAt - Date.now())({
            session_id,
            issue,
            tenant: policy,
            channels: [to],
            sandbox: start.sandbox,
            recipients: { [to]: state.channels[to]!.recipient },
            key: `${session_id}:fallback:${to}`,
          });
        } catch (err) {
          transition(refuseFallback(state, to, refusalOf(err).type ?? 'service_unavailable', Date.now()));
          continue;
        }
        // The session may have ended, or locked, while the store answered.
        if (isTerminal(advanceClock(state, Date.now()).status) || state.status === 'locked') {
          releaseLater(issue, [to]);
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
      deliveries.get(channel)?.cancel();
      const scope = new wf.CancellationScope();
      deliveries.set(channel, scope);
      const delivered = scope.run(() =>
        (start.sandbox ? local.issueCode : issueCode)({
          session_id,
          channel,
          recipient: state.channels[channel]!.recipient,
          issue: issueNumber,
          otp_length: start.config.otp_length,
          code_type: start.config.code_type,
          expiry_minutes: start.config.expiry_minutes,
          app_name: start.app_name,
          templates: start.templates,
          locale: start.locale,
          sandbox: start.sandbox,
          insight: messageInsight(start, channel),
          ...(start.sandbox ? {} : { tenant: policy }),
        }),
      );
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
          // Superseded by a resend, or the session ended: the activity itself gives back what a
          // message it never handed over was paid (it alone knows), and there is nothing to record.
          if (wf.isCancellation(err)) return;
          // The provider refused the message for good: it did not go out, so it costs nothing.
          if (refusedForGood(err)) releaseLater(issueNumber, [channel]);
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

  /**
   * Feeds the cross-session failure count with what one verify found, after answering it, unless
   * checkCodes already did (`recorded`).
   */
  function recordOutcome(results: VerifyResult['results'], recorded: boolean, verifiedNow: boolean): void {
    if (recorded) return;
    const recipientsWith = (wanted: string) =>
      (Object.keys(results) as Channel[])
        .filter((c) => results[c] === wanted)
        .map((c) => state.channels[c]!.recipient);
    const [failed, verified] = [recipientsWith('invalid'), recipientsWith('verified')];
    if (failed.length + verified.length === 0) return;
    const verified_phones = (Object.keys(results) as Channel[])
      .filter((c) => results[c] === 'verified' && isPhoneChannel(c))
      .map((c) => ({ channel: c as PhoneChannel, recipient: state.channels[c]!.recipient }));
    const key = wf.currentUpdateInfo()!.id;
    bookkeep(`verification-${key}`, {
      kind: 'recordVerification',
      input: {
        tenant: policy,
        sandbox: start.sandbox,
        failed,
        verified,
        verified_phones,
        key,
        ...(verifiedNow ? { verified_session: sessionInsight(state) } : {}),
      },
    });
  }

  /**
   * Compares the submitted codes and applies the result; runs under the session's lock. Answers
   * undefined, having done nothing, when a resend queued a new code while this request waited
   * for the lock: the caller waits for it outside the lock.
   */
  async function compareAndApply(
    request: VerifyRequest,
    submitted: Channel[],
  ): Promise<VerifyResult | undefined> {
    const toCompare = rule(() => checkVerify(state, submitted, Date.now()));
    if (deliveryInFlight(state, toCompare)) return undefined;
    const pairs = Object.fromEntries(
      toCompare.map((c) => [c, { digest: request.code_digests[c]!, hash: state.channels[c]!.codeHash! }]),
    );
    // One code with attempts left: the compare alone decides it, so checkCodes records the outcome
    // itself (once per update id) and the session owes no record for it.
    const alone = toCompare.length === 1 && attemptsRemaining(state) > 0 ? toCompare[0] : undefined;
    // Whether a match of that one code would verify the session, as applyVerification will say.
    const verifies =
      alone && applyVerification(state, { [alone]: true }, Date.now()).state.status === 'verified';
    const record = alone && {
      tenant: policy,
      sandbox: start.sandbox,
      channel: alone,
      recipient: state.channels[alone]!.recipient,
      key: wf.currentUpdateInfo()!.id,
      ...(verifies ? { verifies_session: sessionInsight(state) } : {}),
    };
    let matches: Awaited<ReturnType<typeof local.checkCodes>>;
    try {
      matches = await local.checkCodes({ pairs, ...(record ? { record } : {}) });
    } catch (err) {
      throw refusalOf(err);
    }
    // Time may have expired the session while bcrypt ran.
    rule(() => checkVerify(state, submitted, Date.now()));
    const outcome = applyVerification(advanceClock(state, Date.now()), matches, Date.now());
    const verifiedNow = outcome.state.status === 'verified' && state.status !== 'verified';
    transition(outcome.state);
    recordOutcome(outcome.result.results, matches.recorded === true, verifiedNow);
    if (outcome.failure) rule(() => raise(outcome.failure!));
    return outcome.result;
  }

  wf.setHandler(
    verifyUpdate,
    async (request) => {
      const submitted = submittedChannels(request);
      // Codes still being delivered are waited for outside the lock and not for long: a slow
      // provider never holds the session, and the caller is answered inside the API's deadline.
      const deadline = Date.now() + VERIFY_DELIVERY_WAIT_MS;
      for (;;) {
        const waitFor = rule(() => checkVerify(state, submitted, Date.now()));
        const landed =
          !deliveryInFlight(state, waitFor) ||
          (await wf.condition(
            () => !deliveryInFlight(state, waitFor) || isTerminal(state.status),
            Math.max(1, deadline - Date.now()),
          ));
        if (!landed) rule(() => stillBeingDelivered(state, waitFor));
        const result = await serial.runExclusive(() => compareAndApply(request, submitted));
        if (result) return result;
      }
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
    const issue = state.issue + 1;
    try {
      await prompt.admitResend({
        session_id,
        issue,
        tenant: policy,
        sandbox: start.sandbox,
        channels: targets,
        recipients: Object.fromEntries(targets.map((c) => [c, state.channels[c]!.recipient])),
        client_ip: request.client_ip ?? '',
        key: `${session_id}:resend:${issue}`,
      });
    } catch (err) {
      throw refusalOf(err);
    }
    // The session may have expired while the store answered.
    try {
      rule(() => checkResend(state, request.channels, Date.now()));
    } catch (err) {
      releaseLater(issue, targets);
      throw err;
    }
  }

  wf.setHandler(
    resendUpdate,
    async (request) => {
      const { targets, resentIssue } = await serial.runExclusive(async () => {
        const targets = rule(() => checkResend(state, request.channels, Date.now()));
        await admitResend(request, targets);
        transition(beginResend(state, targets, Date.now()));
        deliver(targets);
        return { targets, resentIssue: state.issue };
      });
      // Outside the lock, as verify waits: a slow provider holds neither the session nor its callers.
      await settled(() => !deliveryInFlight(state, targets) || state.issue !== resentIssue);
      const view = toView(state);
      return {
        sandbox: view.sandbox,
        expires_at: view.expires_at,
        resends_remaining: view.resends.remaining,
        next_resend_at: view.resends.next_resend_at,
        channels: targets,
        delivery: Object.fromEntries(targets.map((c) => [c, state.channels[c]!.delivery])),
        sandbox_otps: sandboxCodes(state, targets),
      };
    },
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
  // A code still on its way is of no use now: its delivery is cancelled (one already handed to
  // the provider still arrives, and cannot verify).
  for (const scope of deliveries.values()) scope.cancel();
  await wf.condition(() => wf.allHandlersFinished() && owed === 0);
  if (webhooksUnreported > 0) await wf.condition(() => webhooksUnreported === 0, WEBHOOK_REPORT_GRACE);
  await wf.condition(wf.allHandlersFinished);
  return toView(state);
}
