/**
 * The credit balance of one tenant as one entity workflow (id `ledger-<tenantId>`), wiring the
 * bookkeeping of ledger-rules.ts to Temporal. Every debit and refund is an update, so the
 * balance is durable, exact under concurrency, and each change is visible in the Temporal UI.
 * Handlers never await: each one runs to completion before the next starts, which is all the
 * serialisation a ledger needs. Validators refuse a debit the balance cannot cover before
 * anything is written to history.
 */
import * as wf from '@temporalio/workflow';
import { rule as ruleWith } from './rule-failures';
import type { RuleViolation } from './errors';
import {
  applyDebit,
  applyRefund,
  carriedDebits,
  checkDebit,
  checkRefund,
  InsufficientBalance,
  openLedger,
  type DebitRequest,
  type DebitResult,
  type LedgerStart,
  type RefundRequest,
  type RefundResult,
} from './ledger-rules';

export const debitUpdate = wf.defineUpdate<DebitResult, [DebitRequest]>('debit');
export const refundUpdate = wf.defineUpdate<RefundResult, [RefundRequest]>('refund');
export const balanceQuery = wf.defineQuery<number>('balance');

/**
 * Temporal caps the updates one run may receive, and a long history slows replay: a fresh run
 * every 500 updates stays clear of both, and the carried keys keep idempotency across runs.
 */
const DEFAULT_UPDATES_PER_RUN = 500;

/** A refused debit carries the balance and what it needed. */
const ledgerDetails = (v: RuleViolation) =>
  v instanceof InsufficientBalance ? { balance: v.balance, required: v.required } : v.extras;
const rule = <T>(apply: () => T): T => ruleWith(apply, ledgerDetails);

export async function tenantLedger(start: LedgerStart): Promise<never> {
  let state = openLedger(start);
  let updatesHandled = 0;

  wf.setHandler(balanceQuery, () => state.balance);

  wf.setHandler(
    debitUpdate,
    (request) => {
      updatesHandled += 1;
      const outcome = rule(() => applyDebit(state, request, Date.now()));
      state = outcome.state;
      return outcome.result;
    },
    { validator: (request) => rule(() => checkDebit(state, request)) },
  );

  wf.setHandler(
    refundUpdate,
    (request) => {
      updatesHandled += 1;
      const outcome = rule(() => applyRefund(state, request));
      state = outcome.state;
      return outcome.result;
    },
    { validator: (request) => rule(() => checkRefund(request)) },
  );

  await wf.condition(
    () =>
      updatesHandled >= (start.updates_per_run ?? DEFAULT_UPDATES_PER_RUN) ||
      wf.workflowInfo().continueAsNewSuggested,
  );
  await wf.condition(wf.allHandlersFinished);
  return wf.continueAsNew<typeof tenantLedger>({
    tenant_id: start.tenant_id,
    initial_balance: state.balance,
    recent_debits: carriedDebits(state, Date.now()),
    updates_per_run: start.updates_per_run,
  });
}
