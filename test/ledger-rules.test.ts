/**
 * Unit tests of the credit bookkeeping in workflows/ledger-rules.ts (SPEC §5 credits): no
 * Temporal, time is the `now` passed in.
 */
import { RuleViolation } from '../workflows/errors';
import {
  applyDebit,
  applyRefund,
  carriedDebits,
  checkDebit,
  checkRefund,
  IDEMPOTENCY_WINDOW_MS,
  InsufficientBalance,
  MAX_CARRIED_DEBITS,
  openLedger,
  type DebitRequest,
  type LedgerState,
} from '../workflows/ledger-rules';

const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const ledger = (balance: number): LedgerState => openLedger({ tenant_id: 'acme', initial_balance: balance });

/** What `apply` throws; fails the test when it throws nothing. */
function thrownBy(apply: () => unknown): unknown {
  try {
    apply();
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

function debitAll(state: LedgerState, requests: DebitRequest[], now = T0): LedgerState {
  return requests.reduce((s, r) => applyDebit(s, r, now).state, state);
}

describe('debit', () => {
  test('takes the amount from the balance and answers the balance left', () => {
    const { state, result } = applyDebit(ledger(10), { key: 'ses_1:send', amount: 5 }, T0);
    expect(result).toEqual({ balance: 5, debited: true });
    expect(state.balance).toBe(5);
  });

  test('may spend the balance down to exactly zero', () => {
    expect(applyDebit(ledger(5), { key: 'k', amount: 5 }, T0).result).toEqual({ balance: 0, debited: true });
  });

  test('a new key the balance cannot cover is refused with the balance and the amount required', () => {
    const before = ledger(4);
    const refusal = thrownBy(() => applyDebit(before, { key: 'k', amount: 5 }, T0));
    expect(refusal).toBeInstanceOf(InsufficientBalance);
    expect(refusal).toMatchObject({ code: 'insufficient_balance', balance: 4, required: 5 });
    expect(before.balance).toBe(4);
  });

  test('the same key debits once; a repeat answers what the first call answered', () => {
    let state = debitAll(ledger(20), [{ key: 'a', amount: 5 }]);
    state = debitAll(state, [{ key: 'b', amount: 5 }]);
    const repeat = applyDebit(state, { key: 'a', amount: 5 }, T0 + 1000);
    expect(repeat.result).toEqual({ balance: 15, debited: true });
    expect(repeat.state).toBe(state);
    expect(repeat.state.balance).toBe(10);
  });

  test('a repeat of a known key passes even when the balance could no longer cover it', () => {
    const state = debitAll(ledger(5), [{ key: 'a', amount: 5 }]);
    expect(() => checkDebit(state, { key: 'a', amount: 5 })).not.toThrow();
    expect(applyDebit(state, { key: 'a', amount: 5 }, T0).result).toEqual({ balance: 0, debited: true });
  });

  test.each([
    ['no request', undefined],
    ['an empty key', { key: '', amount: 1 }],
    ['a key too long', { key: 'k'.repeat(257), amount: 1 }],
    ['a zero amount', { key: 'k', amount: 0 }],
    ['a negative amount', { key: 'k', amount: -3 }],
    ['a fractional amount', { key: 'k', amount: 1.5 }],
    ['a string amount', { key: 'k', amount: '5' }],
  ])('refuses %s as a validation error', (_, request) => {
    const refusal = thrownBy(() => checkDebit(ledger(10), request as DebitRequest));
    expect(refusal).toBeInstanceOf(RuleViolation);
    expect(refusal).toMatchObject({ code: 'validation_error' });
  });
});

describe('refund', () => {
  test('gives a debit back once', () => {
    const debited = debitAll(ledger(10), [{ key: 'a', amount: 3 }]);
    const first = applyRefund(debited, { key: 'a' });
    expect(first.result).toEqual({ balance: 10, refunded: true });
    const second = applyRefund(first.state, { key: 'a' });
    expect(second.result).toEqual({ balance: 10, refunded: true });
    expect(second.state).toBe(first.state);
  });

  test('an unknown key changes nothing', () => {
    const state = ledger(10);
    expect(applyRefund(state, { key: 'never-debited' })).toEqual({
      state,
      result: { balance: 10, refunded: false },
    });
  });

  test('a refunded key never debits again', () => {
    const refunded = applyRefund(debitAll(ledger(10), [{ key: 'a', amount: 3 }]), { key: 'a' }).state;
    const again = applyDebit(refunded, { key: 'a', amount: 3 }, T0);
    expect(again.result).toEqual({ balance: 10, debited: false });
    expect(again.state.balance).toBe(10);
  });

  test('refuses a malformed key', () => {
    expect(thrownBy(() => checkRefund({ key: '' }))).toMatchObject({ code: 'validation_error' });
    expect(thrownBy(() => checkRefund(undefined))).toMatchObject({ code: 'validation_error' });
  });
});

describe('carried across continue-as-new', () => {
  test('balance and the keys of the last 24 h survive, with their answers and refunds', () => {
    let state = debitAll(ledger(100), [{ key: 'old', amount: 1 }], T0);
    state = debitAll(state, [{ key: 'recent', amount: 2 }], T0 + IDEMPOTENCY_WINDOW_MS / 2);
    state = debitAll(state, [{ key: 'refunded', amount: 4 }], T0 + IDEMPOTENCY_WINDOW_MS / 2);
    state = applyRefund(state, { key: 'refunded' }).state;

    const now = T0 + IDEMPOTENCY_WINDOW_MS + 1;
    const next = openLedger({
      tenant_id: 'acme',
      initial_balance: state.balance,
      recent_debits: carriedDebits(state, now),
    });
    expect(next.balance).toBe(97);
    expect([...next.debits.keys()].sort()).toEqual(['recent', 'refunded']);
    expect(applyDebit(next, { key: 'recent', amount: 2 }, now).result).toEqual({
      balance: 97,
      debited: true,
    });
    expect(applyDebit(next, { key: 'refunded', amount: 4 }, now).result).toEqual({
      balance: 97,
      debited: false,
    });
  });

  test('at most MAX_CARRIED_DEBITS keys, the newest', () => {
    const count = MAX_CARRIED_DEBITS + 10;
    const debits = new Map(
      Array.from({ length: count }, (_, i) => [
        `k${i}`,
        { amount: 1, at: T0 + i, balance_after: 0, refunded: false },
      ]),
    );
    const carried = carriedDebits({ balance: 0, debits }, T0 + count);
    expect(Object.keys(carried)).toHaveLength(MAX_CARRIED_DEBITS);
    expect(carried[`k${count - 1}`]).toBeDefined();
    expect(carried.k9).toBeUndefined();
    expect(carried.k10).toBeDefined();
  });

  test('survives the JSON round trip of a workflow argument', () => {
    const state = debitAll(ledger(10), [
      { key: '__proto__', amount: 2 },
      { key: 'ses_1:send', amount: 3 },
    ]);
    const payload = JSON.parse(
      JSON.stringify({ initial_balance: state.balance, recent_debits: carriedDebits(state, T0) }),
    );
    const next = openLedger({ tenant_id: 'acme', ...payload });
    expect(next.balance).toBe(5);
    expect(applyDebit(next, { key: '__proto__', amount: 2 }, T0).result).toEqual({
      balance: 8,
      debited: true,
    });
  });
});
