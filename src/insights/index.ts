/**
 * Per-day counters behind GET /api/v1/otp/insights (SPEC §11): messages sent, sessions verified
 * and credits spent, per tenant and key mode, by channel, by country and by purpose. Redis with
 * REDIS_URL (one hash per tenant, mode and day; HINCRBY is atomic), else this process's memory
 * with a journal in $DATA_DIR replayed at start. A count is one round trip, off the request path
 * for sends (the delivery activity) and inside the verify's own once-only record for verifications.
 */
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import type { Channel } from '../../workflows/channels';
import type { KeyMode, MessageInsight, SessionInsight } from '../../workflows/session-types';
import type { Config } from '../config/config';
import { readiness } from '../config/redis';

export const INSIGHT_GROUPS = ['channel', 'country', 'purpose'] as const;
export type InsightGroup = (typeof INSIGHT_GROUPS)[number];
export const INSIGHT_METRICS = ['sends', 'verified', 'credits'] as const;
export type InsightMetric = (typeof INSIGHT_METRICS)[number];

/** What one event counts under: each value it has in each group (a session may span channels). */
export type InsightSubjects = Record<InsightGroup, string[]>;

export interface InsightRow {
  /** YYYY-MM-DD, UTC. */
  date: string;
  /** The group's value: a channel, a country (or "unknown" for email), a purpose (or "none"). */
  value: string;
  sends: number;
  verified: number;
  credits: number;
}

export interface InsightsStore {
  count(
    tenantId: string,
    mode: KeyMode,
    at: number,
    subjects: InsightSubjects,
    delta: Partial<Record<InsightMetric, number>>,
  ): Promise<void>;
  read(tenantId: string, mode: KeyMode, days: string[], group: InsightGroup): Promise<InsightRow[]>;
  close(): Promise<void>;
}

/** Kept this long: a year of history and a little more. */
const KEEP_DAYS = 400;
const REDIS_COMMAND_TIMEOUT_MS = 2_000;

export const dayOf = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** The hash fields one count increments: `group \t value \t metric`. */
function fieldsOf(
  subjects: InsightSubjects,
  delta: Partial<Record<InsightMetric, number>>,
): [string, number][] {
  const fields: [string, number][] = [];
  for (const group of INSIGHT_GROUPS) {
    for (const value of subjects[group]) {
      for (const metric of INSIGHT_METRICS) {
        const by = delta[metric];
        if (by) fields.push([`${group}\t${value}\t${metric}`, by]);
      }
    }
  }
  return fields;
}

/** One day's counters as rows of one group, in value order. */
function rowsOf(date: string, counters: Record<string, number>, group: InsightGroup): InsightRow[] {
  const rows = new Map<string, InsightRow>();
  for (const [field, count] of Object.entries(counters)) {
    const [fieldGroup, value, metric] = field.split('\t') as [InsightGroup, string, InsightMetric];
    if (fieldGroup !== group) continue;
    const row = rows.get(value) ?? { date, value, sends: 0, verified: 0, credits: 0 };
    row[metric] += Number(count);
    rows.set(value, row);
  }
  return [...rows.values()].sort((a, b) => a.value.localeCompare(b.value));
}

function openRedisInsightsStore(url: string): InsightsStore {
  const redis = new Redis(url, { enableOfflineQueue: false, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  redis.on('error', () => undefined); // each failed command reports the outage to its caller
  const connected = readiness(redis, REDIS_COMMAND_TIMEOUT_MS);
  const keyOf = (tenantId: string, mode: KeyMode, date: string) =>
    `otp-insights:{${tenantId}}:${mode}:${date}`;
  return {
    async count(tenantId, mode, at, subjects, delta) {
      const fields = fieldsOf(subjects, delta);
      if (fields.length === 0) return;
      await connected();
      const key = keyOf(tenantId, mode, dayOf(at));
      const batch = redis.multi();
      for (const [field, by] of fields) batch.hincrby(key, field, by);
      batch.expire(key, KEEP_DAYS * 86_400);
      await batch.exec();
    },
    async read(tenantId, mode, days, group) {
      await connected();
      const batch = redis.pipeline();
      for (const date of days) batch.hgetall(keyOf(tenantId, mode, date));
      const answers = (await batch.exec()) ?? [];
      return days.flatMap((date, index) => {
        const [err, counters] = answers[index] ?? [null, {}];
        if (err) throw err;
        return rowsOf(date, counters as Record<string, number>, group);
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}

type JournalLine = { k: string; f: [string, number][] };

function openLocalInsightsStore(file: string): InsightsStore {
  const days = new Map<string, Record<string, number>>();
  const apply = ({ k, f }: JournalLine) => {
    const counters = days.get(k) ?? {};
    for (const [field, by] of f) counters[field] = (counters[field] ?? 0) + by;
    days.set(k, counters);
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file)) {
    for (const text of fs.readFileSync(file, 'utf8').split('\n'))
      if (text) apply(JSON.parse(text) as JournalLine);
  }
  // Compacted at open: one line per tenant, mode and day, and days past KEEP_DAYS dropped.
  const oldest = dayOf(Date.now() - KEEP_DAYS * 86_400_000);
  for (const key of days.keys()) if (key.slice(key.lastIndexOf('\t') + 1) < oldest) days.delete(key);
  const temporary = `${file}.compacting`;
  const compacted = [...days].map(([k, counters]) => JSON.stringify({ k, f: Object.entries(counters) }));
  fs.writeFileSync(temporary, compacted.map((line) => `${line}\n`).join(''), { mode: 0o600 });
  fs.renameSync(temporary, file);
  const journal = fs.openSync(file, 'a', 0o600);
  const keyOf = (tenantId: string, mode: KeyMode, date: string) => `${tenantId}\t${mode}\t${date}`;
  return {
    async count(tenantId, mode, at, subjects, delta) {
      const line: JournalLine = { k: keyOf(tenantId, mode, dayOf(at)), f: fieldsOf(subjects, delta) };
      if (line.f.length === 0) return;
      // Written before it is counted: what was acknowledged survives the process.
      fs.writeSync(journal, `${JSON.stringify(line)}\n`);
      apply(line);
    },
    async read(tenantId, mode, dates, group) {
      return dates.flatMap((date) => rowsOf(date, days.get(keyOf(tenantId, mode, date)) ?? {}, group));
    },
    async close() {
      fs.closeSync(journal);
    },
  };
}

export function openInsightsStore(config: Pick<Config, 'redisUrl' | 'dataDir'>): InsightsStore {
  return config.redisUrl
    ? openRedisInsightsStore(config.redisUrl)
    : openLocalInsightsStore(path.join(config.dataDir, 'insights.jsonl'));
}

/** The values one message counts under; a message with no country (email) is "unknown". */
export function messageSubjects(insight: MessageInsight, channel: Channel): InsightSubjects {
  return {
    channel: [channel],
    country: [insight.country ?? 'unknown'],
    purpose: [insight.purpose ?? 'none'],
  };
}

/** The values one verified session counts under: each of its channels and countries once. */
export function sessionSubjects(insight: SessionInsight): InsightSubjects {
  return {
    channel: insight.channels,
    country: insight.countries.length ? insight.countries : ['unknown'],
    purpose: [insight.purpose ?? 'none'],
  };
}
