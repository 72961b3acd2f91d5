/**
 * The fraud defence as a send meets it (SPEC §11): the number's type and country first (no store
 * needed), then the store's one atomic admit (blocks, detector, range cap) for the live phone
 * messages the send would pay for. Sandbox sends are never checked, counted or blocked.
 */
import { isPhoneChannel, type Channel, type PhoneChannel } from '../../workflows/channels';
import type { FraudRefusalReason } from '../../workflows/errors';
import type { FraudPolicy, TenantPolicy } from '../../workflows/session-types';
import { RateLimited } from '../limits/limits';
import { parsePhone } from './phone';
import { DEFAULT_FRAUD_POLICY } from './policy';
import { staticRefusal } from './rules';
import type { FraudBlock, FraudStore, PhoneTarget } from './store';

/** The defence refused a recipient: `403 recipient_blocked` with its reason (SPEC §11). */
export class FraudRefused extends Error {
  constructor(
    readonly reason: FraudRefusalReason,
    readonly channel: PhoneChannel,
    /** suspected_fraud: seconds until the block ends. */
    readonly retryAfterSeconds?: number,
    /** The block this very send started: the tenant's operators are told of it. */
    readonly started?: FraudBlock,
  ) {
    super('This recipient cannot be sent to');
    this.name = 'FraudRefused';
  }
}

/** What the process does with the defence's decisions: metrics, never a number in a label. */
export interface FraudObserver {
  refused(channel: PhoneChannel, reason: FraudRefusalReason | 'range_cap'): void;
  /** Counts the block and tells the tenant (fraud.blocked); a failure to tell is the observer's to log. */
  blocked(tenant: TenantPolicy, block: FraudBlock): Promise<void>;
}

export interface FraudDefence {
  /**
   * Refuses the live phone messages of a send (FraudRefused, or RateLimited for the range cap),
   * having counted nothing, or counts each of them.
   */
  admit(
    tenant: TenantPolicy,
    channels: Channel[],
    recipients: Partial<Record<Channel, string>>,
  ): Promise<void>;
  /** Counts the verified sessions of these phone recipients, for the detector's conversion. */
  recordVerified(
    tenant: TenantPolicy,
    verified: { channel: PhoneChannel; recipient: string }[],
  ): Promise<void>;
  store: FraudStore;
  /** The defence's clock, for everything that reads or lifts its blocks. */
  now(): number;
}

const policyOf = (tenant: TenantPolicy): FraudPolicy => tenant.fraud ?? DEFAULT_FRAUD_POLICY;

function targetOf(channel: PhoneChannel, recipient: string): PhoneTarget | undefined {
  const parsed = parsePhone(recipient);
  return parsed && { channel, e164: parsed.e164, ...(parsed.country ? { country: parsed.country } : {}) };
}

export function createFraudDefence(
  store: FraudStore,
  observer: FraudObserver,
  clock: () => number = Date.now,
): FraudDefence {
  return {
    store,
    now: clock,
    async admit(tenant, channels, recipients) {
      const policy = policyOf(tenant);
      const targets: PhoneTarget[] = [];
      for (const channel of channels) {
        const recipient = recipients[channel];
        if (!isPhoneChannel(channel) || !recipient) continue;
        const parsed = parsePhone(recipient);
        // The API validated the number at send; one that no longer parses is refused, not sent blind.
        const reason = parsed ? staticRefusal(policy, channel, parsed) : 'number_type';
        if (reason) {
          observer.refused(channel, reason);
          throw new FraudRefused(reason, channel);
        }
        targets.push(targetOf(channel, recipient)!);
      }
      if (targets.length === 0) return;
      const verdict = await store.admit(tenant.id, policy, targets, clock());
      if (verdict.admitted) return;
      if (verdict.started) await observer.blocked(tenant, verdict.started);
      observer.refused(verdict.channel, verdict.reason);
      if (verdict.reason === 'range_cap') throw new RateLimited(verdict.retry_after, 'range');
      throw new FraudRefused('suspected_fraud', verdict.channel, verdict.retry_after, verdict.started);
    },
    async recordVerified(tenant, verified) {
      const targets = verified
        .map(({ channel, recipient }) => targetOf(channel, recipient))
        .filter((t): t is PhoneTarget => t !== undefined);
      if (targets.length > 0) await store.recordVerified(tenant.id, policyOf(tenant), targets, clock());
    },
  };
}

/** Counts nothing and tells no one: for tests and tools that run the controls without a process around them. */
export const UNOBSERVED: FraudObserver = {
  refused: () => undefined,
  blocked: async () => undefined,
};
