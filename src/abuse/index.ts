/** The abuse controls a running API uses: rate limits (Redis or in-process) and the credit ledger. */
import { createHmac } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { SessionGuards } from '../api/guards';
import type { Config } from '../config';
import { createCreditLedger } from './credits';
import { createAbuseGuards } from './guards';
import { createAbuseLimits } from './limits';

export interface AbuseControls {
  guards: SessionGuards;
  close(): Promise<void>;
}

/** Ready once the limit store answers: with REDIS_URL the API fails closed until then. */
export async function startAbuseControls(
  config: Config,
  client: Client,
  tokenSecret: string,
): Promise<AbuseControls> {
  // Recipient counters are keyed by an HMAC under a key of their own, derived from the token secret.
  const keySecret = createHmac('sha256', tokenSecret).update('durable-otp rate-limit keys').digest('hex');
  const limits = createAbuseLimits({ redisUrl: config.redisUrl, keySecret });
  await limits.ready();
  const ledger = createCreditLedger(client, config.temporal.taskQueue);
  return { guards: createAbuseGuards({ limits, ledger }), close: () => limits.close() };
}
