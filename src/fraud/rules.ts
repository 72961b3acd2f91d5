/**
 * The fraud defence's rules (SPEC §11) as pure functions: no I/O, the time always passed in as
 * `now` (epoch ms). The in-process store runs `decide` itself; the Redis store runs the same rules
 * in Lua (src/fraud/redis-store.ts), and test/fraud-store.test.ts runs one suite, and random
 * operation sequences, against both so they cannot drift apart.
 */
import type { PhoneChannel } from '../../workflows/channels';
import type { FraudPolicy, FraudScope, NumberType } from '../../workflows/session-types';
import type { FraudBlock, FraudVerdict, PhoneTarget } from './store';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
/** A block started within this long of the previous one's start is escalated (doubled). */
export const ESCALATION_MS = 24 * HOUR_MS;
/** The range cap's sliding window, in minutes. */
export const RANGE_CAP_MINUTES = 60;

export interface WindowStats {
  sends: number;
  verified: number;
}

/** Per-minute buckets, keyed by minuteOf(time). */
export type Buckets = Map<number, WindowStats> | Record<number, WindowStats>;

/** A block as the stores keep it: `at` (its start) decides whether the next one is escalated. */
export interface StoredBlock {
  until: number;
  count: number;
  at: number;
}

/** A number's range: its E.164 form without its last `digits` digits ('+' kept). */
export function rangeOf(e164: string, digits: number): string {
  const kept = Math.max(1, e164.length - digits); // never less than the '+'
  return e164.slice(0, kept);
}

/** Safe-listed: equal to an entry, or an entry is a prefix of it. */
export function isSafe(e164: string, safeList: readonly string[]): boolean {
  return safeList.some((entry) => e164.startsWith(entry));
}

/**
 * Refusals that need no counters: a number type the channel does not allow, or a country its
 * allow/deny list refuses. A number of no country fails an allow list and passes a deny list.
 */
export function staticRefusal(
  policy: FraudPolicy,
  channel: PhoneChannel,
  facts: { country?: string; number_type: NumberType },
): 'number_type' | 'country' | undefined {
  if (!policy.number_types[channel].includes(facts.number_type)) return 'number_type';
  const rule = policy.countries[channel];
  if (rule) {
    if ('allow' in rule && (facts.country === undefined || !rule.allow.includes(facts.country)))
      return 'country';
    if ('deny' in rule && facts.country !== undefined && rule.deny.includes(facts.country)) return 'country';
  }
  return undefined;
}

export const minuteOf = (now: number): number => Math.floor(now / MINUTE_MS);

/** Whether minute bucket `minute` counts in a window of `windowMinutes` ending with now's minute. */
export const inWindow = (minute: number, now: number, windowMinutes: number): boolean =>
  minute > minuteOf(now) - windowMinutes && minute <= minuteOf(now);

function entries(buckets: Buckets): [number, WindowStats][] {
  return buckets instanceof Map
    ? [...buckets.entries()]
    : Object.entries(buckets).map(([minute, stats]) => [Number(minute), stats]);
}

/**
 * The last minute the detector no longer reads after a block: the sends that tripped it were
 * answered by the block, so its end (or lift) lets traffic through again, and a resumed attack is
 * blocked after as many sends as the first. Buckets are per minute: the minute the block ended is
 * read (sends during a block were refused, so not counted), unless the block also started in it.
 */
export const detectorFloor = (block: StoredBlock | undefined): number =>
  block === undefined ? -Infinity : Math.max(minuteOf(block.until) - 1, minuteOf(block.at));

/**
 * Sends and verified sessions of the last `windowMinutes` minutes, the current one included; with
 * `floor`, only the minutes after it (detectorFloor).
 */
export function windowTotals(
  buckets: Buckets,
  now: number,
  windowMinutes: number,
  floor = -Infinity,
): WindowStats {
  const total = { sends: 0, verified: 0 };
  for (const [minute, stats] of entries(buckets)) {
    if (!inWindow(minute, now, windowMinutes) || minute <= floor) continue;
    total.sends += stats.sends;
    total.verified += stats.verified;
  }
  return total;
}

/** The detector trips: enough sends in the window, too few of them verified. */
export function trips(stats: WindowStats, minSends: number, minConversion: number): boolean {
  return stats.sends >= minSends && stats.verified / stats.sends < minConversion;
}

/**
 * The block a trip starts: `first` minutes, doubled for each block started within 24 h of the
 * previous one's start (lifted ones included), never beyond `max`.
 */
export function nextBlock(
  previous: { count: number; at: number } | undefined,
  now: number,
  blockMinutes: { first: number; max: number },
): { until: number; count: number } {
  const count = previous && now - previous.at < ESCALATION_MS ? previous.count + 1 : 1;
  const minutes = Math.min(blockMinutes.first * 2 ** (count - 1), blockMinutes.max);
  // Whole ms, so the Lua twin (which stores integers) computes the very same instant.
  return { until: now + Math.round(minutes * MINUTE_MS), count };
}

/** Whole seconds until `until`, at least 1 (a Retry-After of 0 invites an immediate retry). */
export const secondsUntil = (until: number, now: number): number =>
  Math.max(1, Math.ceil((until - now) / 1000));

/**
 * The range cap: undefined while the range's sends of the last 60 minutes are under `cap`;
 * otherwise the seconds until enough of the oldest counted minutes have left the hour.
 */
export function rangeCapRetryAfter(hourBuckets: Buckets, now: number, cap: number): number | undefined {
  const counted = entries(hourBuckets)
    .filter(([minute, stats]) => stats.sends > 0 && inWindow(minute, now, RANGE_CAP_MINUTES))
    .sort(([a], [b]) => a - b);
  let total = counted.reduce((sum, [, stats]) => sum + stats.sends, 0);
  if (total < cap) return undefined;
  for (const [minute, stats] of counted) {
    total -= stats.sends;
    // Bucket `minute` leaves the hour when minute + 60 becomes the current minute.
    if (total < cap) return secondsUntil((minute + RANGE_CAP_MINUTES) * MINUTE_MS, now);
  }
  return undefined; // unreachable: cap >= 1, so removing every bucket goes below it
}

/** What a store knows of one target's subjects before deciding. */
export interface TargetState {
  target: PhoneTarget;
  range: string;
  safe: boolean;
  rangeBlock?: StoredBlock;
  rangeWindow: WindowStats;
  /** The range's per-minute sends of the last hour. */
  rangeHour: Buckets;
  /** Absent for a number of no country. */
  countryBlock?: StoredBlock;
  countryWindow?: WindowStats;
}

export interface Decision {
  verdict: FraudVerdict;
  /** A block to store (the detector tripped), with its start for later escalation. */
  start?: { channel: PhoneChannel; scope: FraudScope; subject: string; block: StoredBlock };
  /** True only when every target is admitted: then each counts one send in its range and country. */
  count: boolean;
}

/**
 * The verdict for one live send (SPEC §11). Targets are checked in order and the first refused
 * one decides, so one send starts at most one block. Per target: safe-listed → admitted; a block
 * in force on its range or country → suspected_fraud until the later one ends; the detector
 * tripping on its range, then its country → a new block, suspected_fraud; the range cap reached
 * → range_cap; else admitted.
 */
export function decide(policy: FraudPolicy, states: TargetState[], now: number): Decision {
  const { detector } = policy;
  for (const state of states) {
    const { channel } = state.target;
    if (state.safe) continue;
    const inForce = [state.rangeBlock, state.countryBlock].filter(
      (b): b is StoredBlock => !!b && b.until > now,
    );
    if (inForce.length > 0) {
      const until = Math.max(...inForce.map((b) => b.until));
      return refused('suspected_fraud', secondsUntil(until, now), channel);
    }
    const tripped: [FraudScope, string, StoredBlock | undefined] | undefined = trips(
      state.rangeWindow,
      detector.min_sends.range,
      detector.min_conversion,
    )
      ? ['range', state.range, state.rangeBlock]
      : state.target.country !== undefined &&
          state.countryWindow &&
          trips(state.countryWindow, detector.min_sends.country, detector.min_conversion)
        ? ['country', state.target.country, state.countryBlock]
        : undefined;
    if (tripped) {
      const [scope, subject, previous] = tripped;
      const { until, count } = nextBlock(previous, now, detector.block_minutes);
      const started: FraudBlock = { channel, scope, subject, until, count };
      return {
        verdict: { ...refused('suspected_fraud', secondsUntil(until, now), channel).verdict, started },
        start: { channel, scope, subject, block: { until, count, at: now } },
        count: false,
      };
    }
    const capped = rangeCapRetryAfter(state.rangeHour, now, policy.range_sends_per_hour);
    if (capped !== undefined) return refused('range_cap', capped, channel);
  }
  return { verdict: { admitted: true }, count: true };
}

function refused(
  reason: 'suspected_fraud' | 'range_cap',
  retryAfter: number,
  channel: PhoneChannel,
): Decision & { verdict: { admitted: false } } {
  return { verdict: { admitted: false, reason, retry_after: retryAfter, channel }, count: false };
}

/** How long a subject's minute buckets are kept: the detector's window, or the range cap's hour. */
export const bucketMinutes = (policy: FraudPolicy): number =>
  Math.max(policy.detector.window_minutes, RANGE_CAP_MINUTES);

/** How long a block is remembered: while in force, and 24 h from its start for escalation. */
export const blockKeptUntil = (block: StoredBlock): number => Math.max(block.until, block.at + ESCALATION_MS);
