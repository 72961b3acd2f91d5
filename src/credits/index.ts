/**
 * Opens the credit store a process uses: Redis with REDIS_URL (shared by every API and worker
 * process), else the in-process store with its journal in $DATA_DIR (the embedded default).
 */
import path from 'node:path';
import type { Config } from '../config/config';
import { openLocalCreditStore } from './local-store';
import { openRedisCreditStore } from './redis-store';
import type { CreditStore } from './store';

export function openCreditStore(config: Pick<Config, 'redisUrl' | 'dataDir'>): CreditStore {
  return config.redisUrl
    ? openRedisCreditStore({ url: config.redisUrl })
    : openLocalCreditStore({ file: path.join(config.dataDir, 'credits.jsonl') });
}
