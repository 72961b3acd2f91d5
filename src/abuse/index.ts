/**
 * The abuse controls a running process uses: rate limits (Redis or in-process) and the credit
 * ledger. The API admits first sends with them; the worker admits resends and records
 * verifications for the sessions it runs. Both must share one store (REDIS_URL) when they are
 * separate processes; the embedded default runs both in one process around one in-process store.
 */
import { createHmac } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { SessionGuards } from '../api/guards';
import type { Config } from '../config';
import { openCreditStore } from '../credits';
import type { BalanceSeed } from '../credits/store';
import { createCreditLedger } from './credits';
import { createAbuseGuards, createAdmission, type AbuseAdmission } from './guards';
import { createAbuseLimits } from './limits';

export interface AbuseControls {
  guards: SessionGuards;
  admission: AbuseAdmission;
  close(): Promise<void>;
}

/** Counter keys are HMACs under a key of their own, derived from OTP_CODE_SECRET (API and worker both hold it). */
export function limitKeySecret(codeSecret: string): string {
  return createHmac('sha256', codeSecret).update('durable-otp rate-limit keys').digest('hex');
}

/**
 * A tenant's balance the first time the credit store sees it: what its ledger workflow of an
 * earlier version holds (carried over once), else the tenants file's `credits`.
 */
function carriedOverBalance(client: () => Client, taskQueue: string): BalanceSeed {
  return async (tenant) =>
    (await createCreditLedger(client(), taskQueue).balance(tenant.id)) ?? tenant.credits ?? 0;
}

/**
 * Ready once the limit store answers: with REDIS_URL the process fails closed until then.
 * `client` reaches the earlier versions' ledgers; a worker passes a function that returns its
 * activities' client.
 */
export async function startAbuseControls(
  config: Config,
  client: Client | (() => Client),
  codeSecret: string,
): Promise<AbuseControls> {
  const limits = createAbuseLimits({ redisUrl: config.redisUrl, keySecret: limitKeySecret(codeSecret) });
  await limits.ready();
  const clientOf = typeof client === 'function' ? client : () => client;
  const credits = openCreditStore(config, carriedOverBalance(clientOf, config.temporal.taskQueue));
  const admission = createAdmission({ limits, credits });
  return {
    guards: createAbuseGuards(admission),
    admission,
    async close() {
      await limits.close();
      await credits.close();
    },
  };
}
