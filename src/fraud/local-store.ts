/**
 * The fraud store of the embedded default (SPEC §11): counters and blocks in this process, every
 * change appended to a journal file in $DATA_DIR before it is acknowledged, replayed at open.
 * The journal is compacted at open and again whenever it has grown well past the live state, so
 * old minute buckets and forgotten blocks do not make it grow forever. Each operation runs
 * synchronously (no await inside), so it is atomic for the process. One process only: API and
 * worker in separate processes need the Redis store.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PhoneChannel } from '../../workflows/channels';
import type { FraudPolicy, FraudScope } from '../../workflows/session-types';
import {
  blockKeptUntil,
  bucketMinutes,
  decide,
  inWindow,
  isSafe,
  minuteOf,
  rangeOf,
  RANGE_CAP_MINUTES,
  windowTotals,
  detectorFloor,
  type StoredBlock,
  type TargetState,
  type WindowStats,
} from './rules';
import type { FraudStore, PhoneTarget } from './store';

/** `n`: counts added to one minute bucket; `b`: a block set (started or lifted). */
type JournalLine =
  | { t: 'n'; tenant: string; key: string; minute: number; sends: number; verified: number; keep: number }
  | ({ t: 'b'; tenant: string; key: string } & StoredBlock);

interface Series {
  buckets: Map<number, WindowStats>;
  /** Minutes its buckets are kept (the longest any policy asked for). */
  keep: number;
}

interface TenantState {
  /** By subjectKey. */
  series: Map<string, Series>;
  blocks: Map<string, StoredBlock>;
}

/** By default, rewrite the journal once it holds this many lines more than the live state needs. */
const COMPACT_SLACK = 50_000;

const subjectKey = (channel: PhoneChannel, scope: FraudScope, subject: string) =>
  `${channel} ${scope} ${subject}`;

function parseKey(key: string): { channel: PhoneChannel; scope: FraudScope; subject: string } {
  const [channel, scope, subject] = key.split(' ');
  return { channel: channel as PhoneChannel, scope: scope as FraudScope, subject };
}

export function openLocalFraudStore({
  file,
  now: clock = Date.now,
  compactSlack = COMPACT_SLACK,
}: {
  file: string;
  /** Lines beyond the live state's after which the journal is rewritten (tests lower it). */
  compactSlack?: number;
  /** The time the journal is compacted against at open (tests move it). */
  now?: () => number;
}): FraudStore {
  const tenants = new Map<string, TenantState>();

  function tenantOf(id: string): TenantState {
    let found = tenants.get(id);
    if (!found) {
      found = { series: new Map(), blocks: new Map() };
      tenants.set(id, found);
    }
    return found;
  }

  function apply(line: JournalLine): void {
    const state = tenantOf(line.tenant);
    if (line.t === 'b') {
      state.blocks.set(line.key, { until: line.until, count: line.count, at: line.at });
      return;
    }
    let series = state.series.get(line.key);
    if (!series) {
      series = { buckets: new Map(), keep: line.keep };
      state.series.set(line.key, series);
    }
    series.keep = Math.max(series.keep, line.keep);
    const bucket = series.buckets.get(line.minute) ?? { sends: 0, verified: 0 };
    series.buckets.set(line.minute, {
      sends: bucket.sends + line.sends,
      verified: bucket.verified + line.verified,
    });
  }

  /** Drops buckets and blocks that no rule can read any more. */
  function prune(at: number): void {
    for (const [tenant, state] of tenants) {
      for (const [key, series] of state.series) {
        // Only the past: a bucket ahead of this clock (a clock set back) is still to be read.
        for (const minute of series.buckets.keys())
          if (minute <= minuteOf(at) - series.keep) series.buckets.delete(minute);
        if (series.buckets.size === 0) state.series.delete(key);
      }
      for (const [key, block] of state.blocks) if (blockKeptUntil(block) <= at) state.blocks.delete(key);
      if (state.series.size === 0 && state.blocks.size === 0) tenants.delete(tenant);
    }
  }

  /** The live state as journal lines, in an order whose replay rebuilds it. */
  function liveLines(): JournalLine[] {
    const lines: JournalLine[] = [];
    for (const [tenant, state] of tenants) {
      for (const [key, series] of state.series)
        for (const [minute, b] of series.buckets)
          lines.push({
            t: 'n',
            tenant,
            key,
            minute,
            sends: b.sends,
            verified: b.verified,
            keep: series.keep,
          });
      for (const [key, block] of state.blocks) lines.push({ t: 'b', tenant, key, ...block });
    }
    return lines;
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file)) {
    for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!text) continue;
      try {
        apply(JSON.parse(text) as JournalLine);
      } catch {
        // A line cut short by a crash mid-write: the operation it belonged to was never acknowledged.
      }
    }
  }

  let journal = -1;
  let written = 0;
  let live = 0;
  function compact(at: number): void {
    prune(at);
    const lines = liveLines();
    const temporary = `${file}.tmp`;
    fs.writeFileSync(temporary, lines.map((l) => `${JSON.stringify(l)}\n`).join(''), { mode: 0o600 });
    fs.renameSync(temporary, file);
    if (journal >= 0) fs.closeSync(journal);
    journal = fs.openSync(file, 'a', 0o600);
    written = live = lines.length;
  }
  compact(clock());

  /** Appends, then applies: nothing is acknowledged before the OS has it. */
  function write(lines: JournalLine[], at: number): void {
    if (lines.length === 0) return;
    fs.writeSync(journal, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    for (const line of lines) apply(line);
    written += lines.length;
    if (written - live > compactSlack && written > 4 * live) compact(at);
  }

  const seriesOf = (state: TenantState, key: string) => state.series.get(key)?.buckets ?? new Map();

  /** The target's range and country, and what to write to count one send or one verification. */
  function subjectsOf(policy: FraudPolicy, target: PhoneTarget) {
    const range = rangeOf(target.e164, policy.range_digits);
    const keys = [subjectKey(target.channel, 'range', range)];
    if (target.country !== undefined) keys.push(subjectKey(target.channel, 'country', target.country));
    return { range, keys };
  }

  function counts(
    tenant: string,
    policy: FraudPolicy,
    targets: PhoneTarget[],
    at: number,
    kind: 'sends' | 'verified',
  ): JournalLine[] {
    const keep = bucketMinutes(policy);
    const minute = minuteOf(at);
    return targets.flatMap((target) =>
      subjectsOf(policy, target).keys.map((key): JournalLine => ({
        t: 'n',
        tenant,
        key,
        minute,
        sends: kind === 'sends' ? 1 : 0,
        verified: kind === 'verified' ? 1 : 0,
        keep,
      })),
    );
  }

  return {
    async admit(tenantId, policy, targets, now) {
      const state = tenantOf(tenantId);
      const window = policy.detector.window_minutes;
      const states = targets.map((target): TargetState => {
        const { range } = subjectsOf(policy, target);
        const rangeKey = subjectKey(target.channel, 'range', range);
        const rangeBuckets = seriesOf(state, rangeKey);
        const countryKey =
          target.country === undefined ? undefined : subjectKey(target.channel, 'country', target.country);
        return {
          target,
          range,
          safe: isSafe(target.e164, policy.safe_list),
          rangeBlock: state.blocks.get(rangeKey),
          rangeWindow: windowTotals(rangeBuckets, now, window, detectorFloor(state.blocks.get(rangeKey))),
          rangeHour: new Map(
            [...rangeBuckets].filter(([minute]) => inWindow(minute, now, RANGE_CAP_MINUTES)),
          ),
          ...(countryKey && {
            countryBlock: state.blocks.get(countryKey),
            countryWindow: windowTotals(
              seriesOf(state, countryKey),
              now,
              window,
              detectorFloor(state.blocks.get(countryKey)),
            ),
          }),
        };
      });
      const decision = decide(policy, states, now);
      const lines: JournalLine[] = [];
      if (decision.start) {
        const { channel, scope, subject, block } = decision.start;
        lines.push({ t: 'b', tenant: tenantId, key: subjectKey(channel, scope, subject), ...block });
      }
      if (decision.count) lines.push(...counts(tenantId, policy, targets, now, 'sends'));
      write(lines, now);
      return decision.verdict;
    },

    async recordVerified(tenantId, policy, targets, now) {
      write(counts(tenantId, policy, targets, now, 'verified'), now);
    },

    async snapshot(tenantId, policy, now) {
      const state = tenants.get(tenantId);
      if (!state) return { blocks: [], countries: [] };
      const blocks = [...state.blocks]
        .filter(([, block]) => block.until > now)
        .map(([key, block]) => ({ ...parseKey(key), until: block.until, count: block.count }));
      const countries = [...state.series]
        .map(([key, series]) => ({
          ...parseKey(key),
          ...windowTotals(series.buckets, now, policy.detector.window_minutes),
        }))
        .filter((stats) => stats.scope === 'country' && stats.sends + stats.verified > 0);
      return { blocks, countries };
    },

    async lift(tenantId, channel, scope, subject, at) {
      const key = subjectKey(channel, scope, subject);
      const block = tenants.get(tenantId)?.blocks.get(key);
      if (!block || block.until <= at) return false;
      // Ends now, keeping its count and start: the next block within 24 h is still escalated.
      write([{ t: 'b', tenant: tenantId, key, ...block, until: at }], at);
      return true;
    },

    async close() {
      if (journal >= 0) fs.closeSync(journal);
      journal = -1;
    },
  };
}
