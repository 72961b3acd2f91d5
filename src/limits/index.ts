/**
 * The abuse controls a running process uses: rate limits (Redis or in-process), the credit
 * store and the fraud defence. The API admits first sends with them; the worker admits resends and records
 * verifications for the sessions it runs. Both must share one store (REDIS_URL) when they are
 * separate processes; the embedded default runs both in one process around one in-process store.
 */
import { createHmac } from 'node:crypto';
import type { SessionGuards } from './admission';
import { ConfigError, type Config } from '../config/config';
import { openCreditStore } from '../credits';
import { createAbuseGuards, createAdmission, type AbuseAdmission } from './guards';
import { createAbuseLimits } from './limits';
import { openFraudStore } from '../fraud';
import { openInsightsStore, type InsightsStore } from '../insights';
import { createFraudDefence, type FraudDefence, type FraudObserver } from '../fraud/defence';

export interface AbuseControls {
  guards: SessionGuards;
  admission: AbuseAdmission;
  /** SPEC §11: its store, for the admin endpoints. */
  fraud: FraudDefence;
  /** SPEC §11: the per-day counters the insights endpoint reads. */
  insights: InsightsStore;
  close(): Promise<void>;
}

/** Counter keys are HMACs under a key of their own, derived from OTP_CODE_SECRET (API and worker both hold it). */
export function limitKeySecret(codeSecret: string): string {
  return createHmac('sha256', codeSecret).update('durable-otp rate-limit keys').digest('hex');
}

/**
 * Fail closed on a split store: the API alone and the worker alone must share one store
 * (REDIS_URL), or a worker's failure counts and credit captures never reach the API. Without it
 * they start only when the operator accepts per-process limits explicitly.
 */
export function requireSharedStore(config: Config, role: 'API' | 'worker'): void {
  if (config.redisUrl || config.allowProcessLocalStore) return;
  throw new ConfigError([
    `REDIS_URL: is required to run the ${role} as a process of its own: the API and the workers must share one rate-limit and credit store (redis://host:6379), or failure counts and credits of one never reach the other. To run with a store in this process only (limits and credits per process; tests, benchmarks) set OTP_ALLOW_PROCESS_LOCAL_STORE=true; \`make run\` runs everything in one process`,
  ]);
}

/** Ready once the limit store answers: with REDIS_URL the process fails closed until then. */
export async function startAbuseControls(
  config: Config,
  codeSecret: string,
  fraudObserver: FraudObserver,
  /** The fraud defence's clock: tests move it to see a block end without waiting for it. */
  clock: () => number = Date.now,
): Promise<AbuseControls> {
  const limits = createAbuseLimits({ redisUrl: config.redisUrl, keySecret: limitKeySecret(codeSecret) });
  await limits.ready();
  const credits = openCreditStore(config);
  const fraud = createFraudDefence(openFraudStore(config), fraudObserver, clock);
  const insights = openInsightsStore(config);
  const admission = createAdmission({ limits, credits, fraud, insights });
  return {
    guards: createAbuseGuards(admission),
    admission,
    fraud,
    insights,
    async close() {
      await limits.close();
      await credits.close();
      await fraud.store.close();
      await insights.close();
    },
  };
}
