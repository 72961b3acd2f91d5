/**
 * The abuse controls (SPEC §5, §7) as the API and the worker apply them: every send and resend
 * passes the cross-session rate limits (sandbox too) and, for a live session of a tenant with a
 * balance, is paid for before anything is sent; every verification feeds the per-address failure
 * count. A first send is admitted by the API before its session starts; a resend is admitted by
 * the session itself, after its own rules accepted it, so a refused resend takes nothing.
 */
import { CHANNEL_PRICES, type Channel } from '../../workflows/channels';
import { ApiError } from '../api/errors';
import type { SessionGuards, Undo } from '../api/guards';
import type { ApiCaller } from '../tenants';
import { InsufficientBalance, type CreditLedger } from './credits';
import { LimitStoreUnavailable, RateLimited, type AbuseLimits, type TenantPolicy } from './limits';

export function asApiError(err: unknown): unknown {
  if (err instanceof RateLimited) return new ApiError('rate_limited', { retry_after: err.retryAfterSeconds });
  if (err instanceof LimitStoreUnavailable) {
    return new ApiError('service_unavailable', {}, 'Rate-limit store unavailable: request refused');
  }
  if (err instanceof InsufficientBalance) return new ApiError('insufficient_balance');
  return err;
}

export interface Admission {
  tenant: TenantPolicy;
  clientIp: string;
  sandbox: boolean;
  channels: Channel[];
  recipients: Partial<Record<Channel, string>>;
  /** Names the debit: a repeat with the same key is never charged twice. */
  debitKey: string;
}

export interface VerificationRecord {
  tenant: TenantPolicy;
  sandbox: boolean;
  /** Addresses whose submitted code was wrong / right. */
  failed: string[];
  verified: string[];
}

export interface AbuseAdmission {
  /** Counts the send and pays for it, or throws RateLimited / InsufficientBalance having taken nothing. */
  admit(admission: Admission): Promise<Undo>;
  /** Gives back the credits debited under `debitKey`, once; rate-limit counts stay spent. */
  refund(tenant: TenantPolicy, debitKey: string): Promise<void>;
  record(verification: VerificationRecord): Promise<void>;
}

export function createAdmission({
  limits,
  ledger,
}: {
  limits: AbuseLimits;
  ledger: () => CreditLedger;
}): AbuseAdmission {
  return {
    async admit({ tenant, clientIp, sandbox, channels, recipients, debitKey }) {
      const addresses = channels.map((c) => recipients[c]).filter((a): a is string => Boolean(a));
      await limits.consumeSend(tenant, { ip: clientIp, recipients: addresses, sandbox });
      if (sandbox || tenant.credits === undefined) return async () => undefined;
      const price = channels.reduce((sum, c) => sum + CHANNEL_PRICES[c], 0);
      await ledger().debit(tenant.id, tenant.credits, debitKey, price);
      return async () => void (await ledger().refund(tenant.id, debitKey));
    },
    async refund(tenant, debitKey) {
      if (tenant.credits !== undefined) await ledger().refund(tenant.id, debitKey);
    },
    async record({ tenant, sandbox, failed, verified }) {
      if (failed.length > 0) await limits.recordFailedVerification(tenant, failed, { sandbox });
      if (verified.length > 0) await limits.recordSuccessfulVerification(tenant, verified, { sandbox });
    },
  };
}

/** The API's hooks: first sends, and the failure count of sessions that do not record their own. */
export function createAbuseGuards(admission: AbuseAdmission): SessionGuards {
  const policyOf = ({ tenant }: ApiCaller): TenantPolicy => ({
    id: tenant.id,
    limits: tenant.limits,
    credits: tenant.credits,
  });
  return {
    async beforeSend(attempt) {
      try {
        // The send's key is its session id: an Idempotency-Key repeat is never charged twice.
        return await admission.admit({
          ...attempt,
          tenant: policyOf(attempt.caller),
          debitKey: `${attempt.sessionId}:send`,
        });
      } catch (err) {
        throw asApiError(err);
      }
    },
    async afterVerify({ caller, sandbox, failed, verified }) {
      try {
        await admission.record({ tenant: policyOf(caller), sandbox, failed, verified });
      } catch (err) {
        throw asApiError(err);
      }
    },
  };
}
