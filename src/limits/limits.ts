/**
 * Cross-session abuse limits (SPEC §5), per tenant: sends per recipient address, sends
 * per client IP, and a cap on consecutive failed verifications per recipient address that blocks
 * further sends to it. Counters live in rate-limiter-flexible: Redis when a URL is given (shared
 * by every API replica), process memory otherwise. With Redis the limits fail closed: any store
 * error refuses the request with LimitStoreUnavailable rather than letting it through uncounted.
 *
 * Addresses and IPs are never stored: a counter's key is an HMAC of the tenant and the
 * normalized subject, under the tenant's own namespace.
 */
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { ERROR_CATALOGUE } from '../../workflows/errors';
import type { LimitedTenant, TenantLimitsConfig } from '../../workflows/session-types';

/** SPEC §5 defaults, for a tenant without its own `limits`. */
export const DEFAULT_LIMITS = {
  recipient_sends: { max: 5, window_minutes: 10 },
  ip_sends: { max: 20, window_minutes: 60 },
  recipient_failures: { max: 100, block_hours: 24 },
} as const satisfies Required<NonNullable<TenantLimitsConfig['limits']>>;

/**
 * A limit refused the request. Deliberately the same for every limit and every address: only
 * when to retry, never which limit or whether the address was seen before.
 */
/** Which limit refused: for the operator's metrics only, never for the caller. */
export type LimitKind = 'recipient' | 'ip' | 'failures' | 'range';

export class RateLimited extends Error {
  readonly code = 'rate_limited' as const;

  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: LimitKind,
  ) {
    super(ERROR_CATALOGUE.rate_limited.message);
    this.name = 'RateLimited';
  }
}

/** The counter store cannot answer; the API answers 503 instead of sending uncounted. */
export class LimitStoreUnavailable extends Error {
  readonly code = 'service_unavailable' as const;

  constructor(options?: ErrorOptions) {
    super('The rate-limit store is unavailable', options);
    this.name = 'LimitStoreUnavailable';
  }
}

export interface SendRequest {
  /** The client's IP as the API determined it (socket address unless TRUST_PROXY); absent: no per-IP limit. */
  ip?: string;
  /** Every address this send delivers to, one per channel. */
  recipients: string[];
  /**
   * A sandbox send counts, and is held back, in the sandbox key space only (SPEC §7): its sends,
   * resends, per-IP count and failures never move a live counter, and it never sees one, so a
   * test key can neither exhaust a live quota nor probe whether live traffic reached an address.
   */
  sandbox?: boolean;
}

/** Failure runs of sandbox and live verifications are kept apart: a test key never moves a live counter. */
export interface VerificationScope {
  sandbox?: boolean;
}

export interface AbuseLimits {
  /** Resolves once the store answers (at once for the in-process store); LimitStoreUnavailable after 5 s. */
  ready(): Promise<void>;
  /**
   * Counts one send (first send or resend), or throws RateLimited having counted nothing. The
   * answer gives the counts back, for a send refused after it (credits).
   */
  consumeSend(tenant: LimitedTenant, request: SendRequest): Promise<GiveBack>;
  /** One more consecutive failed verification for each address; reaching the cap blocks sends to it. */
  recordFailedVerification(
    tenant: LimitedTenant,
    recipients: string[],
    scope?: VerificationScope,
  ): Promise<void>;
  /** A correct code ends the address's run of failures (and a block in force). */
  recordSuccessfulVerification(
    tenant: LimitedTenant,
    recipients: string[],
    scope?: VerificationScope,
  ): Promise<void>;
  /**
   * Runs `apply` once per key within ONCE_MS (SPEC §10, at most once per retry): a key seen
   * before answers false without running it. The key is taken atomically before `apply` runs and
   * given back if `apply` throws, so a failed attempt can be tried again.
   */
  once(key: string, apply: () => Promise<void>): Promise<boolean>;
  /** Forgets a key of `once`, so its work can be done again (what it did was given back). */
  forget(key: string): Promise<void>;
  close(): Promise<void>;
}

/** How long a key of `once` is remembered: longer than any retry of the work it names (a day). */
export const ONCE_MS = 25 * 3600_000;

export type GiveBack = () => Promise<void>;

export interface AbuseLimitsOptions {
  /** Shared Redis store; the in-process store when absent. */
  redisUrl?: string;
  /** HMAC key for counter keys (at least 32 bytes); changing it starts every counter afresh. */
  keySecret: string;
}

const KEY_PREFIX = {
  once: 'otp-once:',
  recipientSends: 'otp-limit:recipient-sends',
  ipSends: 'otp-limit:ip-sends',
  recipientFailures: 'otp-limit:recipient-failures',
} as const;

/** The in-process store expires keys with setTimeout, which cannot wait longer than ~24.8 days. */
const MAX_WINDOW_SECONDS = 24 * 24 * 3600;
const READY_TIMEOUT_MS = 5_000;
/** A hung Redis must refuse sends quickly rather than hold requests open. */
const REDIS_COMMAND_TIMEOUT_MS = 2_000;

const windowSeconds = (seconds: number): number =>
  Math.min(MAX_WINDOW_SECONDS, Math.max(1, Math.round(seconds)));

const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** Emails are case-insensitive in practice; phone numbers lose formatting so sms and whatsapp to one number match. */
function normalizeRecipient(address: string): string {
  const trimmed = address.trim();
  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed.replace(/[\s().-]/g, '');
}

/**
 * The network a client sends from: its IPv4 address (also when IPv4-mapped), or its IPv6 /64,
 * since one subscriber usually holds a whole /64 and could otherwise rotate addresses freely.
 */
function clientNetwork(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  // An embedded IPv4 tail fills the last two groups; only the first four matter here.
  const groups = (part: string) =>
    part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : [];
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headGroups = groups(head);
  const tailGroups = groups(tail ?? '');
  const full =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

export function createAbuseLimits({ redisUrl, keySecret }: AbuseLimitsOptions): AbuseLimits {
  if (Buffer.byteLength(keySecret) < 32) throw new Error('keySecret must be at least 32 bytes');

  const redis = redisUrl
    ? new Redis(redisUrl, {
        // Fail closed: a command while disconnected errors at once instead of waiting in a queue.
        enableOfflineQueue: false,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      })
    : undefined;
  // ioredis reports every reconnect attempt here; each refused request already surfaces the
  // outage as LimitStoreUnavailable, where the API logs it.
  redis?.on('error', () => undefined);

  const limiters = new Map<string, RateLimiterAbstract>();

  /** One limiter per (kind, max, window): tenants with equal settings share it, their keys never. */
  function limiter(keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
    const id = `${keyPrefix}|${points}|${duration}`;
    let found = limiters.get(id);
    if (!found) {
      found = redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix,
            points,
            duration,
            rejectIfRedisNotReady: true,
          })
        : new RateLimiterMemory({ keyPrefix, points, duration });
      limiters.set(id, found);
    }
    return found;
  }

  function tenantLimiters(tenant: LimitedTenant) {
    const recipientSends = tenant.limits?.recipient_sends ?? DEFAULT_LIMITS.recipient_sends;
    const ipSends = tenant.limits?.ip_sends ?? DEFAULT_LIMITS.ip_sends;
    const failures = tenant.limits?.recipient_failures ?? DEFAULT_LIMITS.recipient_failures;
    const blockSeconds = windowSeconds(failures.block_hours * 3600);
    return {
      recipientSends: limiter(
        KEY_PREFIX.recipientSends,
        recipientSends.max,
        windowSeconds(recipientSends.window_minutes * 60),
      ),
      ipSends: limiter(KEY_PREFIX.ipSends, ipSends.max, windowSeconds(ipSends.window_minutes * 60)),
      // A run of failures counts within one block period; reaching `max` blocks for a full one.
      recipientFailures: limiter(KEY_PREFIX.recipientFailures, failures.max, blockSeconds),
      failureCap: failures.max,
      blockSeconds,
    };
  }

  /** Live and sandbox subjects hash apart, so their counters never meet (SPEC §7). */
  type SubjectKind = 'recipient' | 'ip' | 'sandbox-recipient' | 'sandbox-ip';
  const subjectKey = (tenant: LimitedTenant, kind: SubjectKind, subject: string): string =>
    `${tenant.id}:${createHmac('sha256', keySecret).update(`${tenant.id}\n${kind}\n${subject}`).digest('base64url')}`;

  /** One key per distinct address: a send to sms and whatsapp on one number counts once. */
  const recipientKeys = (
    tenant: LimitedTenant,
    recipients: string[],
    kind: SubjectKind = 'recipient',
  ): string[] => [...new Set(recipients.map((r) => subjectKey(tenant, kind, normalizeRecipient(r))))];
  const failureKeys = (tenant: LimitedTenant, recipients: string[], scope: VerificationScope = {}) =>
    recipientKeys(tenant, recipients, scope.sandbox ? 'sandbox-recipient' : 'recipient');

  /** The in-process store's `once` keys, by when each is forgotten (in insertion order). */
  const seen = new Map<string, number>();
  async function takeKey(key: string): Promise<boolean> {
    if (redis) return (await redis.set(KEY_PREFIX.once + key, '1', 'PX', ONCE_MS, 'NX')) === 'OK';
    const now = Date.now();
    for (const [old, until] of seen) {
      if (until > now) break;
      seen.delete(old);
    }
    if (seen.has(key)) return false;
    seen.set(key, now + ONCE_MS);
    return true;
  }
  async function giveKeyBack(key: string): Promise<void> {
    if (redis) await redis.del(KEY_PREFIX.once + key);
    else seen.delete(key);
  }

  async function guardStore<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      if (err instanceof RateLimited) throw err;
      throw new LimitStoreUnavailable({ cause: err });
    }
  }

  return {
    async ready() {
      if (!redis || redis.status === 'ready') return;
      await new Promise<void>((resolve, reject) => {
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          redis.off('ready', onReady);
          reject(
            new LimitStoreUnavailable({ cause: new Error(`Redis not ready after ${READY_TIMEOUT_MS} ms`) }),
          );
        }, READY_TIMEOUT_MS);
        redis.once('ready', onReady);
      });
    },

    consumeSend(tenant, { ip, recipients, sandbox }) {
      return guardStore(async () => {
        const limits = tenantLimiters(tenant);
        const addresses = recipientKeys(tenant, recipients, sandbox ? 'sandbox-recipient' : 'recipient');

        const failureRuns = await Promise.all(
          failureKeys(tenant, recipients, { sandbox }).map((key) => limits.recipientFailures.get(key)),
        );
        const blockedForMs = Math.max(
          0,
          ...failureRuns.map((run) =>
            run && run.consumedPoints >= limits.failureCap ? run.msBeforeNext : 0,
          ),
        );
        if (blockedForMs > 0) throw new RateLimited(retryAfterSeconds(blockedForMs), 'failures');

        // Each counter increments atomically in the store, so concurrent sends to one address
        // let exactly `max` through. A request refused by any counter gives back every
        // increment it made (the refusing counter's too), so a refusal costs nothing.
        const counters: { limiter: RateLimiterAbstract; key: string; kind: LimitKind }[] = [
          // No IP (a fallback step, or a send the demo's own per-IP limiter admitted): no per-IP count.
          ...(ip === undefined || ip === ''
            ? []
            : [
                {
                  limiter: limits.ipSends,
                  key: subjectKey(tenant, sandbox ? 'sandbox-ip' : 'ip', clientNetwork(ip)),
                  kind: 'ip' as const,
                },
              ]),
          ...addresses.map((key) => ({ limiter: limits.recipientSends, key, kind: 'recipient' as const })),
        ];
        const outcomes = await Promise.allSettled(counters.map(({ limiter, key }) => limiter.consume(key)));
        if (outcomes.every((outcome) => outcome.status === 'fulfilled')) {
          return async () =>
            void (await Promise.all(counters.map(({ limiter, key }) => limiter.reward(key))));
        }

        const incremented = counters.filter(
          (_, i) => outcomes[i].status === 'fulfilled' || outcomes[i].reason instanceof RateLimiterRes,
        );
        // Best effort: if the store failed meanwhile, the counters stay consumed (the safe side).
        await Promise.allSettled(incremented.map(({ limiter, key }) => limiter.reward(key)));

        const storeFailure = outcomes.find(
          (outcome) => outcome.status === 'rejected' && !(outcome.reason instanceof RateLimiterRes),
        );
        if (storeFailure) throw (storeFailure as PromiseRejectedResult).reason;
        const refusedForMs = outcomes.map((outcome) =>
          outcome.status === 'rejected' ? (outcome.reason as RateLimiterRes).msBeforeNext : 0,
        );
        const longest = refusedForMs.indexOf(Math.max(...refusedForMs));
        throw new RateLimited(retryAfterSeconds(refusedForMs[longest]), counters[longest].kind);
      });
    },

    recordFailedVerification(tenant, recipients, scope) {
      return guardStore(async () => {
        const limits = tenantLimiters(tenant);
        await Promise.all(
          failureKeys(tenant, recipients, scope).map(async (key) => {
            const run = await limits.recipientFailures.penalty(key);
            // Reaching the cap starts the block; failing again while blocked starts it over.
            if (run.consumedPoints >= limits.failureCap)
              await limits.recipientFailures.block(key, limits.blockSeconds);
          }),
        );
      });
    },

    recordSuccessfulVerification(tenant, recipients, scope) {
      return guardStore(async () => {
        const limits = tenantLimiters(tenant);
        await Promise.all(
          failureKeys(tenant, recipients, scope).map((key) => limits.recipientFailures.delete(key)),
        );
      });
    },

    async once(key, apply) {
      if (!(await guardStore(() => takeKey(key)))) return false;
      try {
        await apply();
      } catch (err) {
        // Best effort: if the store is down, the key stays taken and a retry counts nothing (the safe side).
        await giveKeyBack(key).catch(() => undefined);
        throw err;
      }
      return true;
    },

    forget(key) {
      return guardStore(() => giveKeyBack(key));
    },

    async close() {
      if (!redis) return;
      try {
        await redis.quit();
      } catch {
        // Not connected: nothing to close gracefully.
        redis.disconnect();
      }
    },
  };
}
