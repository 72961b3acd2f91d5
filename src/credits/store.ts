/**
 * Credits (SPEC §5, §7): a tenant's balance, paid per live message, exactly once.
 *
 * A message's credits move in two steps, each idempotent by the message's key
 * (`<session>:<channel>:<issue>`):
 * - `reserve` — the API (first send) or the session (resend) holds the credits of the messages it
 *   is about to send, all or none, or refuses with InsufficientBalance having taken nothing;
 * - `capture` — the delivery activity, right before it hands the message to its provider, turns
 *   the hold into a debit (or debits now, if the hold is gone);
 * - `release` — the session, once it knows a message did not go out, gives its credits back.
 * A hold nobody captured (its sender crashed before the session started) returns by itself after
 * HOLD_MS. Keys are remembered for RECORD_MS, so a repeat within a day is never charged twice.
 *
 * Two stores implement it: one in process with a journal file (the embedded default: one process,
 * no extra server) and Redis (several API and worker processes share one exact balance). Each
 * operation is atomic for its tenant, and tenants never wait for each other.
 */

export const HOLD_MS = 15 * 60_000;
export const RECORD_MS = 25 * 3600_000;

/** What the store needs of a tenant: its starting balance from the tenants file (none: unlimited). */
export interface TenantCredits {
  id: string;
  credits?: number;
}

export interface MessageCharge {
  /** `<session>:<channel>:<issue>`: one message. */
  key: string;
  amount: number;
}

export type ChargeState = 'held' | 'debited' | 'released' | 'refunded';

export interface BalanceChange {
  /** The new balance, or an amount to add (negative to take away). */
  set?: number;
  add?: number;
}

export interface AuditEntry {
  actor: string;
  reason?: string;
}

export class InsufficientBalance extends Error {
  constructor(
    readonly balance: number,
    readonly required: number,
  ) {
    super(`Insufficient balance: ${balance} available, ${required} required`);
    this.name = 'InsufficientBalance';
  }
}

/** The store cannot answer (Redis down): the request is refused (503), never let through unpaid. */
export class CreditStoreUnavailable extends Error {
  constructor(options?: ErrorOptions) {
    super('The credit store is unavailable', options);
    this.name = 'CreditStoreUnavailable';
  }
}

export interface CreditStore {
  /** Holds the credits of messages about to be sent, all or none; keys seen before change nothing. */
  reserve(tenant: TenantCredits, charges: MessageCharge[]): Promise<void>;
  /** Right before the provider call: false when the message has no credits behind it and cannot get them. */
  capture(tenant: TenantCredits, charge: MessageCharge): Promise<boolean>;
  /** The message did not go out: its credits come back, once. */
  release(tenant: TenantCredits, key: string): Promise<void>;
  /** The tenant's balance; null for a tenant without a balance limit. */
  balance(tenant: TenantCredits): Promise<number | null>;
  /** Tops up or sets a balance, with an audit entry; answers the new balance. */
  adjust(tenant: TenantCredits, change: BalanceChange, audit: AuditEntry): Promise<number>;
  close(): Promise<void>;
}

/** Where a tenant's balance starts the first time the store sees it: the tenants file's `credits`. */
export const startingBalance = (tenant: TenantCredits): number => tenant.credits ?? 0;

export function assertBalanceChange(change: BalanceChange): void {
  const { set, add } = change;
  if ((set === undefined) === (add === undefined)) throw new RangeError('give exactly one of set and add');
  if (set !== undefined && (!Number.isSafeInteger(set) || set < 0))
    throw new RangeError('set must be a non-negative integer');
  if (add !== undefined && !Number.isSafeInteger(add)) throw new RangeError('add must be an integer');
}
