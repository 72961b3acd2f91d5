/**
 * The abuse controls a running process uses: rate limits (Redis or in-process) and the credit
 * store. The API admits first sends with them; the worker admits resends and records
 * verifications for the sessions it runs. Both must share one store (REDIS_URL) when they are
 * separate processes; the embedded default runs both in one process around one in-process store.
 */
import { createHmac } from 'node:crypto';
import type { SessionGuards } from '../api/guards';
import type { Config } from '../config';
import { openCreditStore } from '../credits';
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

/** Ready once the limit store answers: with REDIS_URL the process fails closed until then. */
export async function startAbuseControls(config: Config, codeSecret: string): Promise<AbuseControls> {
  const limits = createAbuseLimits({ redisUrl: config.redisUrl, keySecret: limitKeySecret(codeSecret) });
  await limits.ready();
  const credits = openCreditStore(config);
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
