/**
 * The credit store shared by several API and worker processes: one Lua script per operation, so
 * each is atomic in Redis; a tenant's keys share a hash tag (one slot in a cluster), and tenants
 * never wait for each other. Keys of a tenant T:
 * - `otp-credits:{T}:balance` — available credits (holds already taken out);
 * - `otp-credits:{T}:charge:<key>` — hash {s: state, a: amount}, expiring after RECORD_MS;
 * - `otp-credits:{T}:holds` — sorted set of held keys by expiry;
 * - `otp-credits:{T}:audit` — the newest 1,000 balance changes made by hand (JSON).
 */
import Redis, { ReplyError } from 'ioredis';
import {
  assertBalanceChange,
  CreditStoreUnavailable,
  HOLD_MS,
  InsufficientBalance,
  RECORD_MS,
  startingBalance,
  type CreditStore,
  type TenantCredits,
} from './store';
import { readiness } from '../config/redis';

/** Gives back holds past their expiry. Needs KEYS[1] balance, KEYS[2] holds; ARGV[1] now, ARGV[2] charge prefix. */
const SWEEP = `
local function sweep()
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
  for _, key in ipairs(expired) do
    local charge = ARGV[2] .. key
    if redis.call('HGET', charge, 's') == 'held' then
      redis.call('INCRBY', KEYS[1], redis.call('HGET', charge, 'a'))
      redis.call('HSET', charge, 's', 'released')
    end
    redis.call('ZREM', KEYS[2], key)
  end
end
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('UNSEEDED') end
sweep()
`;

const SCRIPTS = {
  // ARGV[3] hold ms, ARGV[4] record ms, then key/amount pairs. Returns {ok, balance, required}.
  creditsReserve: `${SWEEP}
local required = 0
local fresh = {}
for i = 5, #ARGV, 2 do
  if redis.call('EXISTS', ARGV[2] .. ARGV[i]) == 0 then
    required = required + tonumber(ARGV[i + 1])
    table.insert(fresh, i)
  end
end
local balance = tonumber(redis.call('GET', KEYS[1]))
if required > balance then return {0, balance, required} end
for _, i in ipairs(fresh) do
  local charge = ARGV[2] .. ARGV[i]
  redis.call('HSET', charge, 's', 'held', 'a', ARGV[i + 1])
  redis.call('PEXPIRE', charge, ARGV[4])
  redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[3]), ARGV[i])
end
redis.call('DECRBY', KEYS[1], required)
return {1, balance - required, required}`,
  // ARGV[3] key, ARGV[4] amount, ARGV[5] record ms. Returns 1 when the message is paid for.
  creditsCapture: `${SWEEP}
local charge = ARGV[2] .. ARGV[3]
local state = redis.call('HGET', charge, 's')
if state == 'debited' then return 1 end
if state == 'held' then
  redis.call('HSET', charge, 's', 'debited')
  redis.call('ZREM', KEYS[2], ARGV[3])
  return 1
end
local amount = tonumber(ARGV[4])
if amount > tonumber(redis.call('GET', KEYS[1])) then return 0 end
redis.call('DECRBY', KEYS[1], amount)
redis.call('HSET', charge, 's', 'debited', 'a', amount)
redis.call('PEXPIRE', charge, ARGV[5])
return 1`,
  // ARGV[3] key.
  creditsRelease: `${SWEEP}
local charge = ARGV[2] .. ARGV[3]
local state = redis.call('HGET', charge, 's')
if state ~= 'held' and state ~= 'debited' then return 0 end
redis.call('INCRBY', KEYS[1], redis.call('HGET', charge, 'a'))
redis.call('HSET', charge, 's', state == 'held' and 'released' or 'refunded')
redis.call('ZREM', KEYS[2], ARGV[3])
return 1`,
  creditsBalance: `${SWEEP}
return tonumber(redis.call('GET', KEYS[1]))`,
  // KEYS[3] audit; ARGV[3] 'set' | 'add', ARGV[4] value, ARGV[5] audit JSON (balance appended).
  creditsAdjust: `${SWEEP}
local value = tonumber(ARGV[4])
if ARGV[3] == 'add' then value = tonumber(redis.call('GET', KEYS[1])) + value end
if value < 0 then return redis.error_reply('NEGATIVE ' .. value) end
redis.call('SET', KEYS[1], value)
redis.call('LPUSH', KEYS[3], string.sub(ARGV[5], 1, -2) .. ',"balance":' .. value .. '}')
redis.call('LTRIM', KEYS[3], 0, 999)
return value`,
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptedRedis = Redis & Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

const REDIS_COMMAND_TIMEOUT_MS = 2_000;

export function openRedisCreditStore({
  url,
  now = Date.now,
}: {
  url: string;
  now?: () => number;
}): CreditStore {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  }) as ScriptedRedis;
  redis.on('error', () => undefined); // each failed command reports the outage to its caller
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 3, lua });

  const keysOf = (tenant: string) => {
    const prefix = `otp-credits:{${tenant}}:`;
    return { keys: [`${prefix}balance`, `${prefix}holds`, `${prefix}audit`], charge: `${prefix}charge:` };
  };

  const connected = readiness(redis, REDIS_COMMAND_TIMEOUT_MS);

  /** Runs a script; a tenant the store has never seen is seeded first (SET NX: one seed wins). */
  async function run<T>(name: ScriptName, tenant: TenantCredits, ...args: (string | number)[]): Promise<T> {
    await connected();
    const { keys, charge } = keysOf(tenant.id);
    const call = () => redis[name](...keys, now(), charge, ...args) as Promise<T>;
    try {
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof ReplyError) || !(err as Error).message.includes('UNSEEDED')) throw err;
        await redis.set(keys[0], startingBalance(tenant), 'NX');
        return await call();
      }
    } catch (err) {
      // A script's own refusal (ReplyError) is the caller's to read; anything else is an outage.
      if (err instanceof ReplyError) throw err;
      throw new CreditStoreUnavailable({ cause: err });
    }
  }

  return {
    async reserve(tenant, charges) {
      if (tenant.credits === undefined || charges.length === 0) return;
      const [ok, balance, required] = await run<[number, number, number]>(
        'creditsReserve',
        tenant,
        HOLD_MS,
        RECORD_MS,
        ...charges.flatMap((c) => [c.key, c.amount]),
      );
      if (!ok) throw new InsufficientBalance(balance, required);
    },

    async capture(tenant, charge) {
      if (tenant.credits === undefined) return true;
      return (await run<number>('creditsCapture', tenant, charge.key, charge.amount, RECORD_MS)) === 1;
    },

    async release(tenant, key) {
      if (tenant.credits === undefined) return;
      await run('creditsRelease', tenant, key);
    },

    async balance(tenant) {
      if (tenant.credits === undefined) return null;
      return run<number>('creditsBalance', tenant);
    },

    async adjust(tenant, change, audit) {
      assertBalanceChange(change);
      const [kind, value] = change.set !== undefined ? ['set', change.set] : ['add', change.add!];
      const entry = JSON.stringify({ at: new Date(now()).toISOString(), ...audit, change });
      try {
        return await run<number>('creditsAdjust', tenant, kind, value, entry);
      } catch (err) {
        const negative = err instanceof ReplyError ? /NEGATIVE (-?\d+)/.exec((err as Error).message) : null;
        if (negative) throw new RangeError(`the balance would become ${negative[1]}`);
        throw err;
      }
    },

    async close() {
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
