/**
 * Credits (SPEC §5) end to end: src/abuse/credits.ts against the tenant ledger workflow on the
 * dev server, run by the production worker (same bundle, same activities as the sessions).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createSessionActivities } from '../activities';
import {
  createCreditLedger,
  InsufficientBalance,
  ledgerWorkflowId,
  type CreditLedger,
} from '../src/abuse/credits';
import { startDevServer } from '../src/temporal/dev-server';
import { createSessionWorker } from '../src/temporal/worker';
import { tenantLedger } from '../workflows/tenant-ledger';
import { keys, testDataConverter } from './support/session-env';

let env: TestWorkflowEnvironment;
let credits: CreditLedger;
const taskQueue = `ledger-${randomUUID()}`;
let worker: { instance: Worker; running: Promise<void> };

async function startWorker() {
  const instance = await createSessionWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: createSessionActivities({ keys, bcryptRounds: 4, senders: {} }),
    dataConverter: testDataConverter,
  });
  worker = { instance, running: instance.run() };
}

async function stopWorker() {
  worker.instance.shutdown();
  await worker.running;
}

beforeAll(async () => {
  env = await startDevServer({ dataConverter: testDataConverter });
  credits = createCreditLedger(env.client, taskQueue);
  await startWorker();
});

afterAll(async () => {
  await stopWorker();
  await env?.teardown();
});

const newTenant = () => `t-${randomUUID().slice(0, 8)}`;

async function settle(debits: Promise<unknown>[]): Promise<{ debited: number; refused: number }> {
  const outcomes = await Promise.allSettled(debits);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected' && !(outcome.reason instanceof InsufficientBalance))
      throw outcome.reason;
  }
  const debited = outcomes.filter((o) => o.status === 'fulfilled').length;
  return { debited, refused: outcomes.length - debited };
}

async function acceptedUpdates(tenantId: string): Promise<number> {
  const history = await env.client.workflow.getHandle(ledgerWorkflowId(tenantId)).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

test('the first debit creates the ledger; debit, refund and balance', async () => {
  const tenant = newTenant();
  expect(await credits.balance(tenant)).toBeUndefined();

  expect(await credits.debit(tenant, 100, 'ses_1:send', 5)).toEqual({ balance: 95, debited: true });
  // The initial balance only counts at creation.
  expect(await credits.debit(tenant, 9999, 'ses_2:send', 3)).toEqual({ balance: 92, debited: true });
  expect(await credits.balance(tenant)).toBe(92);

  expect(await credits.refund(tenant, 'ses_1:send')).toEqual({ balance: 97, refunded: true });
  expect(await credits.refund(tenant, 'ses_1:send')).toEqual({ balance: 97, refunded: true });
  expect(await credits.refund(tenant, 'never-debited')).toEqual({ balance: 97, refunded: false });
  // A refunded key is spent: debiting it again changes nothing.
  expect(await credits.debit(tenant, 100, 'ses_1:send', 5)).toEqual({ balance: 97, debited: false });
  expect(await credits.balance(tenant)).toBe(97);
});

test('a debit the balance cannot cover is refused before anything is written', async () => {
  const tenant = newTenant();
  await credits.debit(tenant, 4, 'ses_1:send', 1);
  const updatesBefore = await acceptedUpdates(tenant);

  const refusal = await credits.debit(tenant, 4, 'ses_2:send', 5).catch((err: unknown) => err);
  expect(refusal).toBeInstanceOf(InsufficientBalance);
  expect(refusal).toMatchObject({ code: 'insufficient_balance', balance: 3, required: 5 });

  expect(await credits.balance(tenant)).toBe(3);
  expect(await acceptedUpdates(tenant)).toBe(updatesBefore);
  // Refused, the key was not spent: it debits once the balance covers it.
  expect(await credits.debit(tenant, 4, 'ses_2:send', 3)).toEqual({ balance: 0, debited: true });
});

test('20 parallel debits with one key debit once and all get the same answer', async () => {
  const tenant = newTenant();
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => credits.debit(tenant, 100, 'ses_1:send', 7)),
  );
  expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
    new Set([JSON.stringify({ balance: 93, debited: true })]),
  );
  expect(await credits.balance(tenant)).toBe(93);
});

test('50 parallel distinct debits against a balance of 20 × amount: exactly 20 succeed, the balance ends at 0', async () => {
  const tenant = newTenant();
  const burst = Array.from({ length: 50 }, (_, i) => credits.debit(tenant, 20 * 5, `ses_${i}:send`, 5));
  expect(await settle(burst)).toEqual({ debited: 20, refused: 30 });
  expect(await credits.balance(tenant)).toBe(0);
});

test('continue-as-new keeps the balance and the idempotency keys, also under concurrent debits', async () => {
  const tenant = newTenant();
  const first = await env.client.workflow.start(tenantLedger, {
    workflowId: ledgerWorkflowId(tenant),
    taskQueue,
    args: [{ tenant_id: tenant, initial_balance: 50, updates_per_run: 3 }],
  });

  for (let i = 1; i <= 7; i++) await credits.debit(tenant, 50, `ses_${i}:send`, 1);
  const { runId } = await env.client.workflow.getHandle(ledgerWorkflowId(tenant)).describe();
  expect(runId).not.toBe(first.firstExecutionRunId);
  expect(await credits.balance(tenant)).toBe(43);

  expect(await credits.debit(tenant, 50, 'ses_1:send', 1)).toEqual({ balance: 49, debited: true });
  expect(await credits.refund(tenant, 'ses_2:send')).toEqual({ balance: 44, refunded: true });
  expect(await credits.refund(tenant, 'ses_2:send')).toEqual({ balance: 44, refunded: true });

  // A run lasts 3 updates here, so this burst crosses several continue-as-new boundaries.
  const burst = Array.from({ length: 30 }, (_, i) => credits.debit(tenant, 50, `burst_${i}:send`, 2));
  expect(await settle(burst)).toEqual({ debited: 22, refused: 8 });
  expect(await credits.balance(tenant)).toBe(0);
});

test('a worker restart keeps the balance and the keys', async () => {
  const tenant = newTenant();
  await credits.debit(tenant, 30, 'ses_1:send', 5);
  await credits.debit(tenant, 30, 'ses_2:send', 3);

  await stopWorker();
  await startWorker();

  expect(await credits.balance(tenant)).toBe(22);
  expect(await credits.debit(tenant, 30, 'ses_1:send', 5)).toEqual({ balance: 25, debited: true });
  expect(await credits.debit(tenant, 30, 'ses_3:send', 2)).toEqual({ balance: 20, debited: true });
});

test('a ledger closed by hand is not silently reopened at the initial balance', async () => {
  const tenant = newTenant();
  await credits.debit(tenant, 30, 'ses_1:send', 5);
  await env.client.workflow.getHandle(ledgerWorkflowId(tenant)).terminate('test');

  await expect(credits.debit(tenant, 30, 'ses_2:send', 5)).rejects.toBeInstanceOf(
    WorkflowExecutionAlreadyStartedError,
  );
});
