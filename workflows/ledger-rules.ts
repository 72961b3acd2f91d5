/**
 * The credit ledger of one tenant (SPEC §5 credits) as pure bookkeeping: the balance, debits
 * made exactly once by idempotency key, refunds, and what one run hands to the next. No Temporal
 * import: workflows/tenant-ledger.ts wires these functions to updates and continue-as-new, and
 * every rule is unit-testable without a server.
 */
import { ERROR_CATALOGUE, RuleViolation } from './errors';

export interface LedgerStart {
  tenant_id: string;
  /** The tenant's credits when the ledger is created; the carried balance after continue-as-new. */
  initial_balance: number;
  /** Debits carried over by continue-as-new, so that their keys stay idempotent. */
  recent_debits?: Record<string, DebitEntry>;
  /** Continue-as-new after this many handled updates; small in tests. */
  updates_per_run?: number;
}

export interface DebitRequest {
  /** Names what is paid for, e.g. `<sessionId>:send`: the same key debits once. */
  key: string;
  amount: number;
}

export interface DebitResult {
  /** The balance right after this key's debit, repeated as is to a repeat of the key. */
  balance: number;
  /** False only once the key's debit has been refunded (the key never debits again). */
  debited: boolean;
}

export interface RefundRequest {
  key: string;
}

export interface RefundResult {
  balance: number;
  /** Whether the key's debit is refunded (by this call or an earlier one); false for an unknown key. */
  refunded: boolean;
}

export interface DebitEntry {
  amount: number;
  /** Epoch ms: keys older than the idempotency window are not carried into the next run. */
  at: number;
  balance_after: number;
  refunded: boolean;
}

export interface LedgerState {
  balance: number;
  debits: ReadonlyMap<string, DebitEntry>;
}

/** How long a debit's key stays idempotent: far beyond any retry of a send or a refund. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
/** Bounds what continue-as-new carries (about 100 bytes a key), whatever a tenant's volume. */
export const MAX_CARRIED_DEBITS = 5_000;
export const MAX_KEY_LENGTH = 256;

/** A debit the balance cannot cover. Its code is the catalogue's `insufficient_balance` (HTTP 402). */
export class InsufficientBalance extends RuleViolation {
  constructor(
    readonly balance: number,
    readonly required: number,
  ) {
    super('insufficient_balance', {}, ERROR_CATALOGUE.insufficient_balance.message);
    this.name = 'InsufficientBalance';
  }
}

function invalid(message: string): RuleViolation {
  return new RuleViolation('validation_error', {}, message);
}

function checkKey(request: { key?: unknown } | undefined): string {
  const key = request?.key;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalid(`key must be a string of 1 to ${MAX_KEY_LENGTH} characters`);
  }
  return key;
}

export function openLedger(start: LedgerStart): LedgerState {
  return { balance: start.initial_balance, debits: new Map(Object.entries(start.recent_debits ?? {})) };
}

/** Refuses a malformed debit, or a new key the balance cannot cover. A known key always passes. */
export function checkDebit(state: LedgerState, request: DebitRequest | undefined): void {
  const key = checkKey(request);
  const amount = request!.amount;
  if (!Number.isSafeInteger(amount) || amount < 1) throw invalid('amount must be a positive integer');
  if (!state.debits.has(key) && amount > state.balance) throw new InsufficientBalance(state.balance, amount);
}

export function applyDebit(
  state: LedgerState,
  request: DebitRequest,
  now: number,
): { state: LedgerState; result: DebitResult } {
  checkDebit(state, request);
  const known = state.debits.get(request.key);
  if (known) {
    return {
      state,
      result: known.refunded
        ? { balance: state.balance, debited: false }
        : { balance: known.balance_after, debited: true },
    };
  }
  const balance = state.balance - request.amount;
  const entry: DebitEntry = { amount: request.amount, at: now, balance_after: balance, refunded: false };
  return {
    state: { balance, debits: new Map(state.debits).set(request.key, entry) },
    result: { balance, debited: true },
  };
}

export function checkRefund(request: RefundRequest | undefined): void {
  checkKey(request);
}

/** Gives a debit back once; refunding an unknown or already refunded key changes nothing. */
export function applyRefund(
  state: LedgerState,
  request: RefundRequest,
): { state: LedgerState; result: RefundResult } {
  checkRefund(request);
  const known = state.debits.get(request.key);
  if (!known) return { state, result: { balance: state.balance, refunded: false } };
  if (known.refunded) return { state, result: { balance: state.balance, refunded: true } };
  const balance = state.balance + known.amount;
  return {
    state: { balance, debits: new Map(state.debits).set(request.key, { ...known, refunded: true }) },
    result: { balance, refunded: true },
  };
}

/** The debits the next run must still recognise: those of the last 24 h, newest first, bounded. */
export function carriedDebits(state: LedgerState, now: number): Record<string, DebitEntry> {
  const recent = [...state.debits].filter(([, entry]) => now - entry.at < IDEMPOTENCY_WINDOW_MS);
  recent.sort(([, a], [, b]) => b.at - a.at);
  return Object.fromEntries(recent.slice(0, MAX_CARRIED_DEBITS));
}
