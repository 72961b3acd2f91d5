/**
 * The abuse controls (SPEC §5, §7) as the API and the worker apply them: every send and resend
 * passes the cross-session rate limits (sandbox too) and, for a live session of a tenant with a
 * balance, is paid for before anything is sent; every verification feeds the per-address failure
 * count. A first send is admitted by the API before its session starts; a resend is admitted by
 * the session itself, after its own rules accepted it, so a refused resend takes nothing.
 */
import { CHANNEL_PRICES, type Channel } from '../../workflows/channels';
import { FraudRefused, type FraudDefence } from '../fraud/defence';
import { FraudStoreUnavailable } from '../fraud/store';
import { sessionSubjects, type InsightsStore } from '../insights';
import { ApiError } from '../contract/errors';
import type { SessionGuards } from './admission';
import {
  CreditStoreUnavailable,
  InsufficientBalance,
  type CreditStore,
  type MessageCharge,
} from '../credits/store';
import { tenantPolicyOf, type ApiCaller } from '../config/tenants';
import type { RecordVerificationInput } from '../../workflows/activity-contract';
import { LimitStoreUnavailable, RateLimited, type AbuseLimits, type GiveBack } from './limits';
import type { TenantPolicy } from '../../workflows/session-types';
import { isTestRecipient } from '../../workflows/session-rules';

/** The key of one message's credits: the same message is never paid twice. */
export const messageChargeKey = (sessionId: string, channel: Channel, issue: number): string =>
  `${sessionId}:${channel}:${issue}`;

export function messageCharges(sessionId: string, issue: number, channels: Channel[]): MessageCharge[] {
  return channels.map((c) => ({ key: messageChargeKey(sessionId, c, issue), amount: CHANNEL_PRICES[c] }));
}

export function asApiError(err: unknown): unknown {
  if (err instanceof RateLimited) {
    const refusal = new ApiError('rate_limited', { retry_after: err.retryAfterSeconds });
    refusal.limit = err.limit;
    return refusal;
  }
  if (err instanceof LimitStoreUnavailable) {
    return new ApiError('service_unavailable', {}, 'Rate-limit store unavailable: request refused');
  }
  if (err instanceof CreditStoreUnavailable) {
    return new ApiError('service_unavailable', {}, 'Credit store unavailable: request refused');
  }
  if (err instanceof InsufficientBalance) return new ApiError('insufficient_balance');
  if (err instanceof FraudRefused) {
    return new ApiError('recipient_blocked', {
      reason: err.reason,
      channel: err.channel,
      ...(err.retryAfterSeconds === undefined ? {} : { retry_after: err.retryAfterSeconds }),
    });
  }
  if (err instanceof FraudStoreUnavailable) {
    return new ApiError('service_unavailable', {}, 'Fraud-defence store unavailable: request refused');
  }
  return err;
}

export interface Admission {
  tenant: TenantPolicy;
  /** Absent when no caller asked for the message (a fallback step): only per-recipient limits apply. */
  clientIp?: string;
  sandbox: boolean;
  channels: Channel[];
  recipients: Partial<Record<Channel, string>>;
  /** With `issue`, names the messages' credits: a repeat is never charged twice. */
  sessionId: string;
  issue: number;
  /** Names the admission: a repeat (an activity's retry) counts and holds nothing more. */
  key: string;
}

/** A verification's outcome as the session reports it (its update id names it: a repeat counts nothing). */
export type VerificationRecord = RecordVerificationInput;

export interface AbuseAdmission {
  /**
   * Counts the send against the limits and holds its messages' credits, or throws RateLimited /
   * InsufficientBalance having taken nothing. Answers how to give the counts back (and forget the
   * admission, so a retry counts anew) should the send be refused after all; nothing for a repeat,
   * which took nothing. Credits need no giving back: a hold no session captures expires.
   */
  admit(admission: Admission): Promise<GiveBack | void>;
  record(verification: VerificationRecord): Promise<void>;
  /** The credits of the tenants' messages, for the delivery activity and the session. */
  credits: CreditStore;
  /** Where the delivery activity counts the messages it sent. */
  insights?: InsightsStore;
}

export function createAdmission({
  limits,
  credits,
  fraud,
  insights,
}: {
  limits: AbuseLimits;
  credits: CreditStore;
  /** SPEC §11; without it phone recipients are sent to unchecked (tests of the other controls). */
  fraud?: FraudDefence;
  /** SPEC §11's per-day counters; without it nothing is counted. */
  insights?: InsightsStore;
}): AbuseAdmission {
  return {
    credits,
    insights,
    async admit({ tenant, clientIp, sandbox, channels: asked, recipients, sessionId, issue, key }) {
      // SPEC §12: messages to test recipients send nothing, cost nothing and are counted nowhere.
      const channels = sandbox ? asked : asked.filter((c) => !isTestRecipient(tenant, recipients[c]));
      const addresses = channels.map((c) => recipients[c]).filter((a): a is string => Boolean(a));
      const onceKey = `${tenant.id}:admit:${key}`;
      let giveBack: GiveBack | undefined;
      await limits.once(onceKey, async () => {
        const counted = await limits.consumeSend(tenant, { ip: clientIp, recipients: addresses, sandbox });
        if (!sandbox) {
          const charges = messageCharges(sessionId, issue, channels);
          try {
            await credits.reserve(tenant, charges);
          } catch (err) {
            await counted();
            throw err;
          }
          try {
            // Last: its counts cannot be given back, so nothing after it may refuse the send.
            await fraud?.admit(tenant, channels, recipients);
          } catch (err) {
            // A refused send costs nothing (SPEC §7): a hold left to expire would let an attacker
            // hammering a blocked range lock up the tenant's balance meanwhile.
            await counted();
            for (const { key: charge } of charges) await credits.release(tenant, charge);
            throw err;
          }
        }
        giveBack = counted;
      });
      if (!giveBack) return;
      const counted = giveBack;
      return async () => {
        await counted();
        await limits.forget(onceKey);
      };
    },
    async record({ tenant, sandbox, failed, verified, verified_phones, verified_session, key }) {
      await limits.once(`${tenant.id}:record:${key}`, async () => {
        if (failed.length > 0) await limits.recordFailedVerification(tenant, failed, { sandbox });
        if (verified.length > 0) await limits.recordSuccessfulVerification(tenant, verified, { sandbox });
        if (!sandbox && verified_phones?.length) await fraud?.recordVerified(tenant, verified_phones);
        if (verified_session) {
          await insights?.count(
            tenant.id,
            verified_session.key_mode,
            Date.now(),
            sessionSubjects(verified_session),
            {
              verified: 1,
            },
          );
        }
      });
    },
  };
}

/** The API's hook: first sends (a session admits its own resends and records its verifications). */
export function createAbuseGuards(admission: AbuseAdmission): SessionGuards {
  const policyOf = ({ tenant }: ApiCaller): TenantPolicy => tenantPolicyOf(tenant);
  return {
    async beforeSend({ fingerprint, ...attempt }) {
      try {
        return await admission.admit({
          ...attempt,
          tenant: policyOf(attempt.caller),
          issue: 1,
          // Different bodies under one Idempotency-Key (one session id) are different sends: each
          // is counted, and the one refused with idempotency_key_reused gives its own count back.
          key: fingerprint ? `${attempt.sessionId}:send:${fingerprint}` : `${attempt.sessionId}:send`,
        });
      } catch (err) {
        throw asApiError(err);
      }
    },
  };
}
