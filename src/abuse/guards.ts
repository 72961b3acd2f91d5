/**
 * The API's abuse controls (SPEC §5): every send and resend passes the cross-session rate limits
 * (sandbox too) and, for a live session of a tenant with a balance, is paid for before anything
 * is sent; every verification feeds the per-address failure count.
 */
import { CHANNEL_PRICES, type Channel } from '../../workflows/channels';
import { ApiError } from '../api/errors';
import type { SendAttempt, SessionGuards, Undo } from '../api/guards';
import { InsufficientBalance, type CreditLedger } from './credits';
import { LimitStoreUnavailable, RateLimited, type AbuseLimits } from './limits';

function asApiError(err: unknown): unknown {
  if (err instanceof RateLimited) return new ApiError('rate_limited', { retry_after: err.retryAfterSeconds });
  if (err instanceof LimitStoreUnavailable) {
    return new ApiError('service_unavailable', {}, 'Rate-limit store unavailable: request refused');
  }
  if (err instanceof InsufficientBalance) return new ApiError('insufficient_balance');
  return err;
}

export function createAbuseGuards({
  limits,
  ledger,
}: {
  limits: AbuseLimits;
  ledger: CreditLedger;
}): SessionGuards {
  const addresses = (attempt: SendAttempt) =>
    attempt.channels.map((c) => attempt.recipients[c]).filter((a): a is string => Boolean(a));

  /** Rate limits, then the debit; returns the refund. */
  async function admit(attempt: SendAttempt, debitKey: string): Promise<Undo> {
    try {
      await limits.consumeSend(attempt.caller.tenant, {
        ip: attempt.clientIp,
        recipients: addresses(attempt),
      });
      const { tenant } = attempt.caller;
      if (attempt.sandbox || tenant.credits === undefined) return async () => undefined;
      const price = attempt.channels.reduce((sum, c: Channel) => sum + CHANNEL_PRICES[c], 0);
      await ledger.debit(tenant.id, tenant.credits, debitKey, price);
      return async () => void (await ledger.refund(tenant.id, debitKey));
    } catch (err) {
      throw asApiError(err);
    }
  }

  return {
    // The send's key is its session id: an Idempotency-Key repeat is never charged twice.
    beforeSend: (attempt) => admit(attempt, `${attempt.sessionId}:send`),
    beforeResend: (attempt) => admit(attempt, `${attempt.sessionId}:resend:${attempt.requestId}`),
    async afterVerify({ caller, failed, verified }) {
      try {
        if (failed.length > 0) await limits.recordFailedVerification(caller.tenant, failed);
        if (verified.length > 0) await limits.recordSuccessfulVerification(caller.tenant, verified);
      } catch (err) {
        throw asApiError(err);
      }
    },
  };
}
