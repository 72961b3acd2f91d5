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
import { DELIVERY_FAILED, ERROR_CATALOGUE, RuleViolation } from './errors';
import { OtpChannels, OtpPurpose, OtpSandbox, OtpStatus, OtpTenant } from './search-attributes';
import {
  advanceClock,
  applyVerification,
  beginResend,
  cancel,
  checkCallerMode,
  checkCancel,
  checkResend,
  checkVerify,
  deliveryInFlight,
  isTerminal,
  nextDeadline,
  openSession,
  recordDelivery,
  sandboxCodes,
  toView,
  type SessionState,
} from './session-rules';
import type {
  CancelRequest,
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

// Comparing codes, and issuing a sandbox code (nothing is sent), is CPU only: a local activity
// saves a round trip through the server.
const inWorker = wf.proxyLocalActivities<SessionActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3 },
});

/** Sessions started since this patch issue sandbox codes in a local activity, awaited without a timer. */
const SANDBOX_CODES_IN_WORKER = 'sandbox-codes-in-worker';

/** How long send and resend wait for delivery before answering with "queued". */
const DELIVERY_WAIT = '8s';

function submittedChannels(request: VerifyRequest | undefined): Channel[] {
  const digests = request?.code_digests;
  if (typeof digests !== 'object' || digests === null) {
    throw new RuleViolation('validation_error', {}, 'code_digests is required');
  }
  return Object.keys(digests) as Channel[];
}

function failureReason(err: unknown): string {
  const cause = err instanceof wf.ActivityFailure && err.cause ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.slice(0, 200);
}

export async function otpSession(start: SessionStart): Promise<SessionView> {
  // An invalid start fails the workflow once (ApplicationFailure) instead of retrying its task forever.
  let state: SessionState = rule(() => openSession(start, Date.now()));
  const serial = new Mutex();

  wf.upsertSearchAttributes([
    { key: OtpTenant, value: start.tenant_id },
    { key: OtpChannels, value: start.channels },
    { key: OtpSandbox, value: start.sandbox },
    { key: OtpStatus, value: state.status },
    ...(typeof start.metadata.purpose === 'string'
      ? [{ key: OtpPurpose, value: start.metadata.purpose }]
      : []),
  ]);

  // Measured in bench/RESULTS.md: one workflow task and one activity task fewer per sandbox send.
  const sandboxInWorker = start.sandbox && wf.patched(SANDBOX_CODES_IN_WORKER);
  const issue = sandboxInWorker ? inWorker.issueCode : issueCode;
  /** Waits for deliveries; a live one may be retrying, so send and resend answer "queued" after a while. */
  const settled = (done: () => boolean): Promise<unknown> =>
    sandboxInWorker ? wf.condition(done) : wf.condition(done, DELIVERY_WAIT);

  function transition(next: SessionState): void {
    const statusChanged = next.status !== state.status;
    state = next;
    if (statusChanged) wf.upsertSearchAttributes([{ key: OtpStatus, value: state.status }]);
  }

  /** Starts delivery of the current issue's codes; results land whenever they come. */
  function deliver(channels: Channel[]): void {
    for (const channel of channels) {
      const issueNumber = state.issue;
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
      }).then(
        (issued) =>
          transition(
            recordDelivery(
              state,
              channel,
              issueNumber,
              { ok: true, codeHash: issued.code_hash, sandboxCode: issued.sandbox_code },
              Date.now(),
            ),
          ),
        (err) =>
          transition(
            recordDelivery(
              state,
              channel,
              issueNumber,
              { ok: false, reason: failureReason(err) },
              Date.now(),
            ),
          ),
      );
    }
  }

  wf.setHandler(statusQuery, () => toView(state));

  wf.setHandler(initialDeliveryUpdate, async () => {
    await settled(() => !deliveryInFlight(state, start.channels) || isTerminal(state.status));
    return { session: toView(state), sandbox_otps: sandboxCodes(state, start.channels) };
  });

  wf.setHandler(
    verifyUpdate,
    (request) =>
      serial.runExclusive(async () => {
        const submitted = submittedChannels(request);
        const toCompare = rule(() => checkVerify(state, submitted, Date.now()));
        // A code still being delivered (or retried) gets its hash soon; the person may hold it already.
        await wf.condition(() => !deliveryInFlight(state, toCompare));
        rule(() => checkVerify(state, submitted, Date.now()));
        const pairs = Object.fromEntries(
          toCompare.map((c) => [c, { digest: request.code_digests[c]!, hash: state.channels[c]!.codeHash! }]),
        );
        const matches = await inWorker.checkCodes({ pairs });
        // Time may have expired the session while bcrypt ran.
        rule(() => checkVerify(state, submitted, Date.now()));
        const outcome = applyVerification(advanceClock(state, Date.now()), matches, Date.now());
        transition(outcome.state);
        if (outcome.failure)
          rule(() => {
            throw outcome.failure;
          });
        return outcome.result;
      }),
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

  wf.setHandler(
    resendUpdate,
    (request) =>
      serial.runExclusive(async () => {
        const targets = rule(() => checkResend(state, request.channels, Date.now()));
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

  deliver(start.channels);

  // Durable timers: sleep until the next deadline (expiry, end of lockout), waking early only
  // when a message moves that deadline or ends the session.
  while (!isTerminal(state.status)) {
    const deadline = nextDeadline(state)!;
    await wf.condition(
      () => isTerminal(state.status) || nextDeadline(state) !== deadline,
      Math.max(1, deadline - Date.now()),
    );
    transition(advanceClock(state, Date.now()));
  }
  await wf.condition(wf.allHandlersFinished);
  return toView(state);
}
