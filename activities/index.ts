/**
 * The session's activities: everything that touches the outside world or a secret. The workflow
 * sees their inputs and outputs in history, so none of them carries a live code (a sandbox
 * session's code is the one exception SPEC §4 allows: it is handed to the caller anyway).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Channel } from '../workflows/channels';
import { DELIVERY_FAILED, DELIVERY_UNAVAILABLE } from '../workflows/errors';
import type { CodeType } from '../workflows/session-types';
import { codeDigest, compareDigests, deriveCode, hashDigest, type CodeKeys } from './codes';
import { DeliveryError, type ChannelSender, type MessageTemplates } from './delivery';

export interface IssueCodeInput {
  session_id: string;
  channel: Channel;
  recipient: string;
  issue: number;
  otp_length: number;
  code_type: CodeType;
  expiry_minutes: number;
  app_name: string;
  templates: MessageTemplates;
  sandbox: boolean;
}

export interface IssuedCode {
  code_hash: string;
  /** Sandbox sessions only. */
  sandbox_code?: string;
  provider_message_id?: string;
}

export interface CheckCodesInput {
  pairs: Partial<Record<Channel, { digest: string; hash: string }>>;
}

export interface SessionActivityDependencies {
  keys: CodeKeys;
  bcryptRounds: number;
  /** A sender per channel this worker can deliver to; a missing one fails that channel for good. */
  senders: Partial<Record<Channel, ChannelSender>>;
}

export function createSessionActivities({ keys, bcryptRounds, senders }: SessionActivityDependencies) {
  return {
    /** Makes the code of one issue for one channel, delivers it, and returns only its hash. */
    async issueCode(input: IssueCodeInput): Promise<IssuedCode> {
      const execution = Context.current().info.workflowExecution;
      if (!execution) throw ApplicationFailure.nonRetryable('issueCode runs only for a session workflow');
      const { workflowId, runId } = execution;
      const code = deriveCode(
        keys,
        { workflowId, runId, channel: input.channel, issue: input.issue },
        input.otp_length,
        input.code_type,
      );
      const code_hash = await hashDigest(
        codeDigest(keys, input.session_id, input.channel, code),
        bcryptRounds,
      );
      if (input.sandbox) return { code_hash, sandbox_code: code };

      const sender = senders[input.channel];
      if (!sender) {
        throw ApplicationFailure.nonRetryable(
          `${input.channel} delivery is not configured on this worker`,
          DELIVERY_FAILED,
        );
      }
      try {
        const receipt = await sender.send({
          channel: input.channel,
          to: input.recipient,
          code,
          expiryMinutes: input.expiry_minutes,
          appName: input.app_name,
          templates: input.templates,
        });
        return { code_hash, provider_message_id: receipt.providerMessageId };
      } catch (err) {
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
    },

    /** bcrypt comparison of submitted code digests with the active hashes. */
    async checkCodes(input: CheckCodesInput): Promise<Partial<Record<Channel, boolean>>> {
      return compareDigests(input.pairs);
    },
  };
}

export type SessionActivities = ReturnType<typeof createSessionActivities>;
