/**
 * Opens the fraud store a process uses (SPEC §11): Redis with REDIS_URL (shared by every API and
 * worker process, like the limits), else the in-process store with its journal in $DATA_DIR.
 */
import path from 'node:path';
import type { Config } from '../config/config';
import { openLocalFraudStore } from './local-store';
import { openRedisFraudStore } from './redis-store';
import type { FraudStore } from './store';

export function openFraudStore(config: Pick<Config, 'redisUrl' | 'dataDir'>): FraudStore {
  return config.redisUrl
    ? openRedisFraudStore({ url: config.redisUrl })
    : openLocalFraudStore({ file: path.join(config.dataDir, 'fraud.jsonl') });
}
