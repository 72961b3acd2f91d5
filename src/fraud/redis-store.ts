/**
 * The fraud store shared by every API replica and worker (SPEC §11): one Lua script per
 * operation, so each is one round trip and atomic in Redis (a script runs alone: no other admit
 * reads or writes between its reads and its writes). The scripts implement the rules of
 * src/fraud/rules.ts line for line; test/fraud-store.test.ts runs one suite and random operation
 * sequences against this store and the in-process one, so any divergence fails. Keys of a tenant
 * T share a hash tag (one slot in a cluster); S is `<channel>:<scope>:<range or country>`:
 * - `otp-fraud:{T}:w:S` — hash of per-minute buckets, `s<minute>` sends and `v<minute>` verified,
 *   expiring once its newest bucket has left max(detector window, 60 min);
 * - `otp-fraud:{T}:b:S` — hash {u: until, n: count, a: start} of the latest block, kept 24 h
 *   from its start (escalation) or while in force;
 * - `otp-fraud:{T}:blocks` — sorted set of blocks in force (`<channel> <scope> <subject>`) by until;
 * - `otp-fraud:{T}:countries` — sorted set of `<channel> <country>` by last minute counted.
 */
import Redis, { ReplyError } from 'ioredis';
import { readiness } from '../config/redis';
import type { PhoneChannel } from '../../workflows/channels';
import type { FraudPolicy, FraudScope } from '../../workflows/session-types';
import { bucketMinutes, ESCALATION_MS, isSafe, MINUTE_MS, rangeOf, RANGE_CAP_MINUTES } from './rules';
import { FraudStoreUnavailable, type FraudBlock, type FraudStore, type PhoneTarget } from './store';

/**
 * Shared by every script. KEYS[1] blocks index, KEYS[2] countries index; ARGV[1] now (ms),
 * ARGV[2] key prefix, ARGV[3] bucket minutes kept.
 */
const COMMON = `
local now = tonumber(ARGV[1])
local P = ARGV[2]
local keep = tonumber(ARGV[3])
local MINUTE = ${MINUTE_MS}
local cur = math.floor(now / MINUTE)
local function int(x) return string.format('%.0f', x) end
local function inWindow(m, w) return m > cur - w and m <= cur end
-- Never shortens a key's life: a caller whose clock is behind must not expire another's buckets.
local function extend(key, ms)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, int(ms)) end
end
local function skey(channel, scope, subject) return channel .. ':' .. scope .. ':' .. subject end
local function series(s)
  local flat = redis.call('HGETALL', P .. 'w:' .. s)
  local out = {}
  for i = 1, #flat, 2 do
    local m = tonumber(string.sub(flat[i], 2))
    local b = out[m] or {s = 0, v = 0}
    out[m] = b
    if string.sub(flat[i], 1, 1) == 's' then b.s = b.s + tonumber(flat[i + 1])
    else b.v = b.v + tonumber(flat[i + 1]) end
  end
  return out
end
-- rules.ts windowTotals() after detectorFloor(block).
local function totals(buckets, w, block)
  local floor = block and math.max(math.floor(block.u / MINUTE) - 1, math.floor(block.a / MINUTE)) or nil
  local s, v = 0, 0
  for m, b in pairs(buckets) do
    if inWindow(m, w) and (not floor or m > floor) then s = s + b.s; v = v + b.v end
  end
  return s, v
end
-- One more send ('s') or verification ('v') in the current minute's bucket of S.
local function count(s, kind)
  local key = P .. 'w:' .. s
  if redis.call('HINCRBY', key, kind .. cur, 1) == 1 then
    -- A new bucket (once a minute per key): forget those no rule reads any more. Only the past:
    -- a bucket ahead of this caller's minute (another replica's clock) is still to be read.
    for _, field in ipairs(redis.call('HKEYS', key)) do
      if tonumber(string.sub(field, 2)) <= cur - keep then redis.call('HDEL', key, field) end
    end
  end
  -- Relative to the given now, not Redis's clock: the store keeps the caller's time.
  extend(key, (cur + keep + 1) * MINUTE - now)
end
local function countTarget(channel, range, country, kind)
  count(skey(channel, 'range', range), kind)
  if country ~= '' then
    count(skey(channel, 'country', country), kind)
    redis.call('ZADD', KEYS[2], cur, channel .. ' ' .. country)
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cur - keep)
    extend(KEYS[2], (cur + keep + 1) * MINUTE - now)
  end
end
`;

const SCRIPTS = {
  /**
   * rules.ts decide(). ARGV[4] window minutes, [5] min sends per range, [6] per country,
   * [7] min conversion, [8] first block minutes, [9] max, [10] range sends per hour, then per
   * target: channel, range, country ('' for none), safe ('1'). Returns {1} when admitted, else
   * {0, reason, retry_after, channel[, scope, subject, until, count]} (the last four: a block it started).
   */
  fraudAdmit: `${COMMON}
local window = tonumber(ARGV[4])
local minRange, minCountry = tonumber(ARGV[5]), tonumber(ARGV[6])
local minConversion = tonumber(ARGV[7])
local first, max = tonumber(ARGV[8]), tonumber(ARGV[9])
local cap = tonumber(ARGV[10])
local function trips(s, v, minSends) return s >= minSends and v / s < minConversion end
local function secondsUntil(t)
  local s = math.ceil((t - now) / 1000)
  if s < 1 then return 1 end
  return s
end
local function block(s)
  local h = redis.call('HMGET', P .. 'b:' .. s, 'u', 'n', 'a')
  if not h[1] then return nil end
  return {u = tonumber(h[1]), n = tonumber(h[2]), a = tonumber(h[3])}
end
local function rangeCap(buckets)
  local minutes, total = {}, 0
  for m, b in pairs(buckets) do
    if b.s > 0 and inWindow(m, ${RANGE_CAP_MINUTES}) then table.insert(minutes, m); total = total + b.s end
  end
  if total < cap then return nil end
  table.sort(minutes)
  for _, m in ipairs(minutes) do
    total = total - buckets[m].s
    if total < cap then return secondsUntil((m + ${RANGE_CAP_MINUTES}) * MINUTE) end
  end
  return nil
end
local targets = {}
for i = 11, #ARGV, 4 do
  table.insert(targets, {channel = ARGV[i], range = ARGV[i + 1], country = ARGV[i + 2], safe = ARGV[i + 3] == '1'})
end
for _, t in ipairs(targets) do
  if not t.safe then
    local rs = skey(t.channel, 'range', t.range)
    local cs = t.country ~= '' and skey(t.channel, 'country', t.country) or nil
    local rb = block(rs)
    local cb = cs and block(cs) or nil
    local inForce = nil
    if rb and rb.u > now then inForce = rb.u end
    if cb and cb.u > now and (not inForce or cb.u > inForce) then inForce = cb.u end
    if inForce then return {0, 'suspected_fraud', secondsUntil(inForce), t.channel} end
    local buckets = series(rs)
    local s, v = totals(buckets, window, rb)
    local scope, subject, previous = nil, nil, nil
    if trips(s, v, minRange) then
      scope, subject, previous = 'range', t.range, rb
    elseif cs then
      local s2, v2 = totals(series(cs), window, cb)
      if trips(s2, v2, minCountry) then scope, subject, previous = 'country', t.country, cb end
    end
    if scope then
      -- rules.ts nextBlock()
      local n = 1
      if previous and now - previous.a < ${ESCALATION_MS} then n = previous.n + 1 end
      local minutes = math.min(first * 2 ^ (n - 1), max)
      local untilAt = now + math.floor(minutes * MINUTE + 0.5)
      local key = P .. 'b:' .. skey(t.channel, scope, subject)
      redis.call('HSET', key, 'u', int(untilAt), 'n', n, 'a', int(now))
      redis.call('PEXPIRE', key, int(math.max(untilAt, now + ${ESCALATION_MS}) - now))
      redis.call('ZADD', KEYS[1], int(untilAt), t.channel .. ' ' .. scope .. ' ' .. subject)
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
      extend(KEYS[1], untilAt - now)
      return {0, 'suspected_fraud', secondsUntil(untilAt), t.channel, scope, subject, int(untilAt), n}
    end
    local capped = rangeCap(buckets)
    if capped then return {0, 'range_cap', capped, t.channel} end
  end
end
for _, t in ipairs(targets) do countTarget(t.channel, t.range, t.country, 's') end
return {1}`,

  /** Per target: channel, range, country ('' for none). */
  fraudVerified: `${COMMON}
for i = 4, #ARGV, 3 do countTarget(ARGV[i], ARGV[i + 1], ARGV[i + 2], 'v') end
return 1`,

  /**
   * ARGV[4] window minutes. Returns {blocks, countries}: blocks as flat (member, until, count),
   * countries as flat (member, sends, verified).
   */
  fraudSnapshot: `${COMMON}
local window = tonumber(ARGV[4])
local blocks = {}
local inForce = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')
for _, member in ipairs(inForce) do
  local channel, scope, subject = string.match(member, '^(%S+) (%S+) (%S+)$')
  local h = redis.call('HMGET', P .. 'b:' .. skey(channel, scope, subject), 'u', 'n')
  if h[1] and tonumber(h[1]) > now then
    table.insert(blocks, member); table.insert(blocks, h[1]); table.insert(blocks, h[2])
  end
end
local countries = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], cur - window + 1, '+inf')) do
  local channel, country = string.match(member, '^(%S+) (%S+)$')
  local s, v = totals(series(skey(channel, 'country', country)), window)
  if s + v > 0 then
    table.insert(countries, member); table.insert(countries, s); table.insert(countries, v)
  end
end
return {blocks, countries}`,

  /** ARGV[4] channel, [5] scope, [6] subject. Ends the block now; its count and start stay. */
  fraudLift: `${COMMON}
local key = P .. 'b:' .. skey(ARGV[4], ARGV[5], ARGV[6])
local u = redis.call('HGET', key, 'u')
if not u or tonumber(u) <= now then return 0 end
redis.call('HSET', key, 'u', ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[4] .. ' ' .. ARGV[5] .. ' ' .. ARGV[6])
return 1`,
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptedRedis = Redis & Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

const REDIS_COMMAND_TIMEOUT_MS = 2_000;

export function openRedisFraudStore({ url }: { url: string }): FraudStore {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  }) as ScriptedRedis;
  redis.on('error', () => undefined); // each failed command reports the outage to its caller
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 2, lua });

  /** While (re)connecting, waits for the connection a little rather than failing at once. */
  const connected = readiness(redis, REDIS_COMMAND_TIMEOUT_MS);

  /** Runs a script for a tenant; any failure to get an answer is FraudStoreUnavailable (fail closed). */
  async function run<T>(
    name: ScriptName,
    tenantId: string,
    now: number,
    keep: number,
    ...args: (string | number)[]
  ): Promise<T> {
    await connected();
    // Not sent at all: ioredis would refuse it at once anyway, leaving its command timer running.
    if (redis.status !== 'ready') throw new FraudStoreUnavailable(new Error(`Redis is ${redis.status}`));
    const prefix = `otp-fraud:{${tenantId}}:`;
    try {
      return (await redis[name](`${prefix}blocks`, `${prefix}countries`, now, prefix, keep, ...args)) as T;
    } catch (err) {
      // A script's own error (ReplyError) is a bug to see as such; anything else is an outage.
      if (err instanceof ReplyError) throw err;
      throw new FraudStoreUnavailable(err);
    }
  }

  const policyArgs = (policy: FraudPolicy) => {
    const { detector } = policy;
    return [
      detector.window_minutes,
      detector.min_sends.range,
      detector.min_sends.country,
      String(detector.min_conversion),
      String(detector.block_minutes.first),
      String(detector.block_minutes.max),
      policy.range_sends_per_hour,
    ];
  };
  const targetArgs = (policy: FraudPolicy, t: PhoneTarget) => [
    t.channel,
    rangeOf(t.e164, policy.range_digits),
    t.country ?? '',
  ];

  return {
    async admit(tenantId, policy, targets, now) {
      const reply = await run<(string | number)[]>(
        'fraudAdmit',
        tenantId,
        now,
        bucketMinutes(policy),
        ...policyArgs(policy),
        ...targets.flatMap((t) => [...targetArgs(policy, t), isSafe(t.e164, policy.safe_list) ? '1' : '0']),
      );
      if (reply[0] === 1) return { admitted: true };
      const [, reason, retryAfter, channel, scope, subject, until, count] = reply;
      return {
        admitted: false,
        reason: reason as 'suspected_fraud' | 'range_cap',
        retry_after: Number(retryAfter),
        channel: channel as PhoneChannel,
        ...(scope !== undefined && {
          started: {
            channel: channel as PhoneChannel,
            scope: scope as FraudScope,
            subject: String(subject),
            until: Number(until),
            count: Number(count),
          },
        }),
      };
    },

    async recordVerified(tenantId, policy, targets, now) {
      if (targets.length === 0) return;
      await run(
        'fraudVerified',
        tenantId,
        now,
        bucketMinutes(policy),
        ...targets.flatMap((t) => targetArgs(policy, t)),
      );
    },

    async snapshot(tenantId, policy, now) {
      const [blocks, countries] = await run<[string[], (string | number)[]]>(
        'fraudSnapshot',
        tenantId,
        now,
        bucketMinutes(policy),
        policy.detector.window_minutes,
      );
      const result = {
        blocks: [] as FraudBlock[],
        countries: [] as Awaited<ReturnType<FraudStore['snapshot']>>['countries'],
      };
      for (let i = 0; i < blocks.length; i += 3) {
        const [channel, scope, subject] = blocks[i].split(' ');
        result.blocks.push({
          channel: channel as PhoneChannel,
          scope: scope as FraudScope,
          subject,
          until: Number(blocks[i + 1]),
          count: Number(blocks[i + 2]),
        });
      }
      for (let i = 0; i < countries.length; i += 3) {
        const [channel, subject] = String(countries[i]).split(' ');
        result.countries.push({
          channel: channel as PhoneChannel,
          scope: 'country',
          subject,
          sends: Number(countries[i + 1]),
          verified: Number(countries[i + 2]),
        });
      }
      return result;
    },

    async lift(tenantId, channel, scope, subject, now) {
      // keep is unused by the lift script; 0 keeps the argument layout of every script.
      return (await run<number>('fraudLift', tenantId, now, 0, channel, scope, subject)) === 1;
    },

    async close() {
      // Not connected: quit would only be refused (and leave ioredis's command timer running).
      if (redis.status !== 'ready') return redis.disconnect();
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
