/**
 * Where the fraud defence keeps its counters and blocks (SPEC §11): Redis with REDIS_URL (shared by
 * every API replica and worker), a journal in $DATA_DIR otherwise. Every operation is atomic and
 * one round trip to the store; counters and blocks survive a restart.
 */
import type { PhoneChannel } from '../../workflows/channels';
import type { FraudPolicy, FraudScope } from '../../workflows/session-types';

/** One live message to one phone number, as the defence sees it. */
export interface PhoneTarget {
  channel: PhoneChannel;
  /** The E.164 number. */
  e164: string;
  /** Absent for a number of no single country: the country scope then does not count it. */
  country?: string;
}

export interface FraudBlock {
  channel: PhoneChannel;
  scope: FraudScope;
  /** The range (an E.164 prefix) or the country code. */
  subject: string;
  /** Epoch ms. */
  until: number;
  /** How many times it was blocked within 24 h, this one included (1: the first). */
  count: number;
}

export type FraudVerdict =
  | {
      admitted: true;
    }
  | {
      admitted: false;
      /** `suspected_fraud`: a block in force (or started by this send); `range_cap`: the hourly range cap. */
      reason: 'suspected_fraud' | 'range_cap';
      /** Seconds until the send could be admitted. */
      retry_after: number;
      channel: PhoneChannel;
      /** A block this very send started (the detector tripped): the operators are told of it. */
      started?: FraudBlock;
    };

export interface FraudWindowStats {
  channel: PhoneChannel;
  scope: FraudScope;
  subject: string;
  sends: number;
  verified: number;
}

export interface FraudSnapshot {
  blocks: FraudBlock[];
  /** Per channel and country: sends and verified sessions in the detector's window. */
  countries: FraudWindowStats[];
}

export interface FraudStore {
  /**
   * Checks every target (block in force, detector, range cap; safe-listed targets are never
   * refused) and, only when all are admitted, counts a send for each, in its range and its country.
   * A target the detector trips starts a block (escalated per the policy) and is refused. One
   * round trip; atomic against concurrent admits.
   */
  admit(tenantId: string, policy: FraudPolicy, targets: PhoneTarget[], now: number): Promise<FraudVerdict>;
  /** Counts one verified session for each target, in its range and its country. */
  recordVerified(tenantId: string, policy: FraudPolicy, targets: PhoneTarget[], now: number): Promise<void>;
  /** Blocks in force and the per-country figures of the window, for the admin endpoint. */
  snapshot(tenantId: string, policy: FraudPolicy, now: number): Promise<FraudSnapshot>;
  /**
   * Lifts a block at `now`; false when none was in force. Its escalation history stays, and the
   * detector counts the subject's sends from then on.
   */
  lift(
    tenantId: string,
    channel: PhoneChannel,
    scope: FraudScope,
    subject: string,
    now: number,
  ): Promise<boolean>;
  close(): Promise<void>;
}

/** The store did not answer: live sends are refused (fail closed), like the rate limits. */
export class FraudStoreUnavailable extends Error {
  constructor(cause?: unknown) {
    super('Fraud-defence store unavailable', { cause });
    this.name = 'FraudStoreUnavailable';
  }
}
