/**
 * The session's activities: everything that touches the outside world or a secret. The workflow
 * sees their inputs and outputs in history, so none of them carries a live code (a sandbox
 * session's code is the one exception SPEC §4 allows: it is handed to the caller anyway).
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { messageChargeKey, messageCharges, type AbuseAdmission } from '../src/limits/guards';
import { CreditStoreUnavailable, InsufficientBalance } from '../src/credits/store';
import { LimitStoreUnavailable, RateLimited } from '../src/limits/limits';
import { CHANNEL_PRICES, isPhoneChannel, type Channel } from '../workflows/channels';
import { FraudRefused } from '../src/fraud/defence';
import { FraudStoreUnavailable } from '../src/fraud/store';
import { messageSubjects } from '../src/insights';
import {
  DELIVERY_FAILED,
  DELIVERY_UNAVAILABLE,
  ERROR_CATALOGUE,
  PROVIDER_CREDENTIALS,
} from '../workflows/errors';
import type {
  AdmitResendInput,
  CheckCodesInput,
  CodeMatches,
  FollowUpStart,
  IssueCodeInput,
  IssuedCode,
  RecordVerificationInput,
  ReleaseChargesInput,
  SessionActivities,
  WebhookInput,
  WebhookResult,
} from '../workflows/activity-contract';
import type { KeyMode } from '../workflows/session-types';
import { isTestRecipient } from '../workflows/session-rules';
import { codeDigest, compareDigests, deriveCode, hashDigest, type CodeKeys } from './codes';
import { DeliveryCancelled, DeliveryError, type ChannelSender } from './delivery';
import { recordDelivery, recordWebhookAttempt, timedBcrypt } from './metrics';
import { postWebhook, WebhookRefused } from './webhooks';
import { statusCallbackUrl } from './twilio-status';

/** A provider refusing our credentials is not retried at the usual pace: a person must fix them. */
const CREDENTIALS_RETRY_DELAY = '30s';

export interface SessionActivityDependencies {
  keys: CodeKeys;
  bcryptRounds: number;
  /** A sender per channel this worker can deliver to; a missing one fails that channel for good. */
  senders: Partial<Record<Channel, ChannelSender>>;
  /** Cross-session limits and credits; without them every resend is admitted and nothing is counted. */
  admission?: AbuseAdmission;
  /** PUBLIC_BASE_URL: Twilio messages then ask for status callbacks (delivery receipts, SPEC §9). */
  publicBaseUrl?: string;
  /**
   * A tenant's webhook secret for one of its endpoints (from the tenants file), if the endpoint
   * receives events of that mode (`test`: a sandbox session's).
   */
  webhookSecret?: (tenantId: string, url: string, mode: KeyMode) => string | undefined;
  /** SPEC §12: a test recipient's fixed code (from the tenants file, never from history). */
  testRecipientCode?: (tenantId: string, recipient: string) => string | undefined;
}

/** A refusal of the abuse controls as the rule failure the API answers with. */
function admissionRefusal(err: unknown): unknown {
  const refuse = (type: keyof typeof ERROR_CATALOGUE, details: object = {}) =>
    ApplicationFailure.create({
      type,
      message: ERROR_CATALOGUE[type].message,
      nonRetryable: true,
      details: [details],
    });
  if (err instanceof RateLimited)
    return refuse('rate_limited', { retry_after: err.retryAfterSeconds, limit: err.limit });
  if (err instanceof InsufficientBalance) return refuse('insufficient_balance');
  // The caller is answered now (503) instead of waiting for the store to come back.
  if (err instanceof FraudRefused) {
    return refuse('recipient_blocked', {
      reason: err.reason,
      channel: err.channel,
      ...(err.retryAfterSeconds === undefined ? {} : { retry_after: err.retryAfterSeconds }),
    });
  }
  if (
    err instanceof LimitStoreUnavailable ||
    err instanceof CreditStoreUnavailable ||
    err instanceof FraudStoreUnavailable
  )
    return refuse('service_unavailable');
  return err;
}

export function createSessionActivities({
  keys,
  bcryptRounds,
  senders,
  admission,
  publicBaseUrl,
  webhookSecret,
  testRecipientCode,
}: SessionActivityDependencies): SessionActivities {
  /** The insights count a message once it went out (SPEC §11); an outage of their store costs a count, not the message. */
  async function countSent(input: IssueCodeInput, credits: number): Promise<void> {
    try {
      await admission?.insights?.count(
        input.insight.tenant_id,
        input.insight.key_mode,
        Date.now(),
        messageSubjects(input.insight, input.channel),
        { sends: 1, credits },
      );
    } catch (err) {
      log.warn('issueCode could not count a message in the insights', {
        error: err instanceof Error ? err.name : typeof err,
      });
    }
  }

  return {
    /** Makes the code of one issue for one channel, delivers it, and returns only its hash. */
    async issueCode(input: IssueCodeInput): Promise<IssuedCode> {
      const execution = Context.current().info.workflowExecution;
      if (!execution) throw ApplicationFailure.nonRetryable('issueCode runs only for a session workflow');
      const { workflowId, runId } = execution;
      // SPEC §12: a live message to a test recipient is its fixed code, hashed like any other, and
      // goes nowhere: nothing sent, nothing charged, nothing counted.
      if (!input.sandbox && input.tenant && isTestRecipient(input.tenant, input.recipient)) {
        const fixed = testRecipientCode?.(input.tenant.id, input.recipient);
        if (fixed === undefined) {
          throw ApplicationFailure.nonRetryable(
            `a test recipient of tenant ${input.tenant.id} has no code in this worker's tenants file (OTP_TENANTS_FILE)`,
            DELIVERY_FAILED,
          );
        }
        recordDelivery(input.channel, 'test_recipient');
        return {
          code_hash: await timedBcrypt('hash', () =>
            hashDigest(codeDigest(keys, input.session_id, input.channel, fixed), bcryptRounds),
          ),
        };
      }
      const code = deriveCode(
        keys,
        { workflowId, runId, channel: input.channel, issue: input.issue },
        input.otp_length,
        input.code_type,
      );
      const code_hash = await timedBcrypt('hash', () =>
        hashDigest(codeDigest(keys, input.session_id, input.channel, code), bcryptRounds),
      );
      if (input.sandbox) {
        recordDelivery(input.channel, 'sandbox');
        await countSent(input, 0);
        return { code_hash, sandbox_code: code };
      }

      const sender = senders[input.channel];
      if (!sender) {
        throw ApplicationFailure.nonRetryable(
          `${input.channel} delivery is not configured on this worker`,
          DELIVERY_FAILED,
        );
      }
      // A resend cancels the delivery it supersedes. The cancellation reaches an activity with the
      // answer to a heartbeat, so it beats from here until the provider has answered (the SDK
      // sends at most one per 80 % of the heartbeat timeout; the beats in between cost nothing).
      const context = Context.current();
      const cancellation = context.cancellationSignal;
      context.heartbeat();
      const beatEveryMs = Math.max(50, Math.min(1000, (context.info.heartbeatTimeoutMs ?? 4000) / 4));
      const beating = setInterval(() => context.heartbeat(), beatEveryMs);
      const chargeKey = messageChargeKey(input.session_id, input.channel, input.issue);
      /**
       * Cancelled before the provider accepted the message: the activity alone knows that, so it
       * gives back what the message was paid (or held), then ends the attempt as cancelled. A later
       * attempt (when a worker shutdown, not the session, stopped this one) pays again.
       */
      const giveBackAndStop = async (): Promise<never> => {
        if (input.tenant && admission) {
          try {
            await admission.credits.release(input.tenant, chargeKey);
          } catch (err) {
            log.warn('issueCode could not give back the credits of a cancelled message', {
              error: err instanceof Error ? err.name : typeof err,
            });
          }
        }
        throw cancellation.reason;
      };
      try {
        // Superseded already: nothing is paid, nothing is sent.
        if (cancellation.aborted) await giveBackAndStop();
        // Paid right before it is handed over (idempotent: a retry pays nothing more).
        if (input.tenant && admission) {
          const charge = { key: chargeKey, amount: CHANNEL_PRICES[input.channel] };
          if (!(await admission.credits.capture(input.tenant, charge))) {
            recordDelivery(input.channel, 'unpaid');
            throw ApplicationFailure.nonRetryable('No credits left for this message', DELIVERY_FAILED);
          }
        }
        // Superseded while it was paid for: nothing is sent.
        if (cancellation.aborted) await giveBackAndStop();
        const sending = performance.now();
        const took = () => performance.now() - sending;
        try {
          const receipt = await sender.send(
            {
              channel: input.channel,
              to: input.recipient,
              code,
              expiryMinutes: input.expiry_minutes,
              appName: input.app_name,
              templates: input.templates,
              locale: input.locale,
              ...(publicBaseUrl && input.channel !== 'email'
                ? {
                    statusCallback: statusCallbackUrl(publicBaseUrl, {
                      workflowId,
                      channel: input.channel,
                      issue: input.issue,
                    }),
                  }
                : {}),
            },
            // Aborts the provider call when the session cancels this delivery (a resend).
            { signal: cancellation },
          );
          recordDelivery(input.channel, 'sent', took());
          await countSent(input, input.tenant?.credits === undefined ? 0 : CHANNEL_PRICES[input.channel]);
          return { code_hash, provider_message_id: receipt.providerMessageId };
        } catch (err) {
          if (err instanceof DeliveryCancelled && cancellation.aborted) {
            // Torn down before the provider accepted it.
            recordDelivery(input.channel, 'cancelled', took());
            await giveBackAndStop();
          }
          if (err instanceof DeliveryError && err.credentials) {
            recordDelivery(input.channel, 'credentials', took());
            // Retried slowly while an operator fixes the credentials; the metric pages them.
            throw ApplicationFailure.create({
              message: err.message,
              type: PROVIDER_CREDENTIALS,
              nextRetryDelay: CREDENTIALS_RETRY_DELAY,
              details: err.providerCode === undefined ? [] : [String(err.providerCode)],
            });
          }
          recordDelivery(
            input.channel,
            err instanceof DeliveryError && err.permanent ? 'refused' : 'retrying',
            took(),
          );
          if (err instanceof DeliveryError) {
            throw ApplicationFailure.create({
              message: err.message,
              type: err.permanent ? DELIVERY_FAILED : DELIVERY_UNAVAILABLE,
              nonRetryable: err.permanent,
              details: err.providerCode === undefined ? [] : [String(err.providerCode)],
            });
          }
          // An unclassified error is retried, but its text stays out of history: a provider
          // library's error can carry the request, and so the code.
          throw ApplicationFailure.retryable(
            `${input.channel} delivery failed (${err instanceof Error ? err.name : typeof err})`,
            DELIVERY_UNAVAILABLE,
          );
        }
      } finally {
        clearInterval(beating);
      }
    },

    /**
     * bcrypt comparison of submitted code digests with the active hashes; given `record`, the
     * recipient's verification is recorded right after it.
     */
    async checkCodes({ pairs, record }: CheckCodesInput): Promise<CodeMatches> {
      const matches = await timedBcrypt('compare', () => compareDigests(pairs));
      if (!record) return matches;
      const matched = Object.values(matches).some(Boolean);
      const { recipient, channel, verifies_session, ...scope } = record;
      try {
        await admission?.record({
          ...scope,
          failed: matched ? [] : [recipient],
          verified: matched ? [recipient] : [],
          ...(matched && isPhoneChannel(channel) ? { verified_phones: [{ channel, recipient }] } : {}),
          ...(matched && verifies_session ? { verified_session: verifies_session } : {}),
        });
      } catch (err) {
        // The session records it itself then, durably (recordVerification retries for a day).
        log.warn('checkCodes could not record the verification; the session will', {
          error: err instanceof Error ? err.name : typeof err,
        });
        return matches;
      }
      return { ...matches, recorded: true };
    },

    /**
     * Counts a resend the session's rules accepted against the cross-session limits and pays for
     * it; a refusal takes nothing and fails with the rule code the API answers.
     */
    async admitResend(input: AdmitResendInput): Promise<void> {
      try {
        await admission?.admit({
          tenant: input.tenant,
          ...(input.client_ip === undefined ? {} : { clientIp: input.client_ip }),
          sandbox: input.sandbox,
          channels: input.channels,
          recipients: input.recipients,
          sessionId: input.session_id,
          issue: input.issue,
          key: input.key,
        });
      } catch (err) {
        throw admissionRefusal(err);
      }
    },

    /** Gives back the credits of messages that did not go out (held or debited), once each. */
    async releaseCharges(input: ReleaseChargesInput): Promise<void> {
      for (const { key } of messageCharges(input.session_id, input.issue, input.channels)) {
        await admission?.credits.release(input.tenant, key);
      }
    },

    /**
     * Posts one event to one of the tenant's endpoints, signed (SPEC §9). Any failure is retried by
     * the session's retry policy (exponential, for a day); the attempt that got through is reported.
     */
    async deliverWebhook(input: WebhookInput): Promise<WebhookResult> {
      // SPEC §7: a sandbox session's event is signed only for an endpoint that takes test events.
      const sandbox = (input.payload.data as { sandbox?: unknown } | null)?.sandbox === true;
      const secret = webhookSecret?.(input.tenant_id, input.url, sandbox ? 'test' : 'live');
      const event = input.payload.type;
      if (!secret) {
        recordWebhookAttempt(event, 'not_configured');
        // Retried too: the endpoint may be back in the worker's tenants file by the next attempt.
        throw ApplicationFailure.retryable(
          `no ${sandbox ? 'test' : 'live'}-mode webhook endpoint ${new URL(input.url).host} of tenant ${input.tenant_id} in this worker's tenants file (OTP_TENANTS_FILE)`,
          'WebhookNotConfigured',
        );
      }
      try {
        await postWebhook({ url: input.url, secret, id: input.id, body: JSON.stringify(input.payload) });
      } catch (err) {
        recordWebhookAttempt(event, 'refused');
        if (err instanceof WebhookRefused) throw ApplicationFailure.retryable(err.message, 'WebhookRefused');
        throw err;
      }
      recordWebhookAttempt(event, 'delivered');
      return { attempts: Context.current().info.attempt };
    },

    /**
     * Starts a session's follow-up workflow (a webhook event, bookkeeping that may outlive the
     * session). Its id is stable, so a retry of this activity finds it started and is done.
     */
    async startFollowUp({ workflow, workflow_id, args }: FollowUpStart): Promise<void> {
      const { client, info } = Context.current();
      try {
        await client.workflow.start(workflow, {
          workflowId: workflow_id,
          taskQueue: info.taskQueue,
          args,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },

    /**
     * Feeds the per-address failure count. Retried by the session until the store answers, so an
     * outage delays the count but never loses it.
     */
    async recordVerification(input: RecordVerificationInput): Promise<void> {
      try {
        await admission?.record(input);
      } catch (err) {
        if (err instanceof LimitStoreUnavailable) {
          throw ApplicationFailure.retryable('The rate-limit store is unavailable', 'LimitStoreUnavailable');
        }
        throw err;
      }
    },
  };
}
