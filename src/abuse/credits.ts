/**
 * Credits (SPEC §5): the API's side of the tenant ledger workflow (workflows/tenant-ledger.ts).
 * The first debit of a tenant creates its ledger (update-with-start); every later call reaches
 * the running ledger, whichever run of it is current.
 */
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { Semaphore } from 'async-mutex';
import { CHANNEL_PRICES, type Channel } from '../../workflows/channels';
import { InsufficientBalance, type DebitResult, type RefundResult } from '../../workflows/ledger-rules';
import { balanceQuery, debitUpdate, refundUpdate, tenantLedger } from '../../workflows/tenant-ledger';

export { InsufficientBalance };
export type { DebitResult, RefundResult };

/** What one live message costs on each channel (SPEC §5); sandbox sessions cost nothing. */
export const DEFAULT_PRICES: Readonly<Record<Channel, number>> = CHANNEL_PRICES;

export function ledgerWorkflowId(tenantId: string): string {
  return `ledger-${tenantId}`;
}

export interface CreditLedger {
  /**
   * Debits `amount` once per `key`; a repeat answers as the first call did. `initialBalance` (the
   * tenant's `credits`) only counts when this call creates the ledger. Throws InsufficientBalance,
   * having changed nothing, when the balance cannot cover a new key.
   */
  debit(tenantId: string, initialBalance: number, key: string, amount: number): Promise<DebitResult>;
  /** Gives the key's debit back, once; an unknown key changes nothing. */
  refund(tenantId: string, key: string): Promise<RefundResult>;
  /** The current balance; undefined while the tenant has never been debited (no ledger yet). */
  balance(tenantId: string): Promise<number | undefined>;
}

function asInsufficientBalance(err: unknown): InsufficientBalance | undefined {
  const failure = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (!(failure instanceof ApplicationFailure) || failure.type !== 'insufficient_balance') return undefined;
  const { balance, required } = (failure.details?.[0] ?? {}) as { balance: number; required: number };
  return new InsufficientBalance(balance, required);
}

function wasNeverProcessed(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === 'UnprocessedUpdate'
  );
}

/**
 * Temporal refuses more than 10 in-flight updates per workflow by default
 * (history.maxInFlightUpdates) and the client then backs off for seconds; queueing the excess
 * here keeps a burst for one tenant fast (50 parallel debits: ~0.8 s instead of ~4 s).
 */
const IN_FLIGHT_UPDATES_PER_LEDGER = 8;
const ATTEMPTS_PER_UPDATE = 3;

export function createCreditLedger(client: Client, taskQueue: string): CreditLedger {
  const inFlight = new Map<string, Semaphore>();

  /**
   * Sends one update to a tenant's ledger. Around a continue-as-new the server may reject an
   * update its worker never processed ("UnprocessedUpdate"): it changed nothing, and keys make
   * sending it again safe.
   */
  function sendUpdate<T>(tenantId: string, update: () => Promise<T>): Promise<T> {
    let slots = inFlight.get(tenantId);
    if (!slots) inFlight.set(tenantId, (slots = new Semaphore(IN_FLIGHT_UPDATES_PER_LEDGER)));
    return slots.runExclusive(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await update();
        } catch (err) {
          if (attempt === ATTEMPTS_PER_UPDATE || !wasNeverProcessed(err)) throw err;
        }
      }
    });
  }

  return {
    async debit(tenantId, initialBalance, key, amount) {
      if (!Number.isSafeInteger(initialBalance) || initialBalance < 0) {
        throw new RangeError('initialBalance must be a non-negative integer');
      }
      try {
        return await sendUpdate(tenantId, () =>
          client.workflow.executeUpdateWithStart(debitUpdate, {
            args: [{ key, amount }],
            startWorkflowOperation: new WithStartWorkflowOperation(tenantLedger, {
              workflowId: ledgerWorkflowId(tenantId),
              taskQueue,
              args: [{ tenant_id: tenantId, initial_balance: initialBalance }],
              workflowIdConflictPolicy: 'USE_EXISTING',
              // A ledger that was closed (terminated by hand) is never silently reopened at the initial balance.
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
            }),
          }),
        );
      } catch (err) {
        throw asInsufficientBalance(err) ?? err;
      }
    },

    refund(tenantId, key) {
      return sendUpdate(tenantId, () =>
        client.workflow
          .getHandle(ledgerWorkflowId(tenantId))
          .executeUpdate(refundUpdate, { args: [{ key }] }),
      );
    },

    async balance(tenantId) {
      try {
        return await client.workflow.getHandle(ledgerWorkflowId(tenantId)).query(balanceQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    },
  };
}
