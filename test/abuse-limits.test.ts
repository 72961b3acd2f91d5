/**
 * Cross-session limits (SPEC §5) of src/limits/limits.ts. The same suite runs against a
 * real redis-server started for this file and against the in-process store; Redis alone is also
 * checked for failing closed and for keeping no address in plaintext.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  createAbuseLimits,
  LimitStoreUnavailable,
  RateLimited,
  type AbuseLimits,
  type SendRequest,
} from '../src/limits/limits';
import type { LimitedTenant } from '../workflows/session-types';
import { startRedisServer, type RedisServer } from './support/redis';

const KEY_SECRET = 'abuse-limits-test-secret-0123456789abcdef';
const MINUTE = 60;
const HOUR = 3600;

let redisServer: RedisServer;
beforeAll(async () => {
  redisServer = await startRedisServer();
});
afterAll(() => redisServer?.stop());

/** A fresh tenant per test: counters never leak from one test into another. */
function tenant(limits?: LimitedTenant['limits']): LimitedTenant {
  return { id: `t-${randomUUID().slice(0, 8)}`, limits };
}

let ipSequence = 0;
/** A client IP no other send of this file used. */
const freshIp = (): string => {
  ipSequence += 1;
  return `10.${(ipSequence >> 16) & 255}.${(ipSequence >> 8) & 255}.${ipSequence & 255}`;
};

async function refusal(attempt: Promise<unknown>): Promise<RateLimited> {
  try {
    await attempt;
  } catch (err) {
    if (err instanceof RateLimited) return err;
    throw err;
  }
  throw new Error('expected the send to be rate limited');
}

async function acceptedCount(attempts: Promise<unknown>[]): Promise<{ accepted: number; refused: number }> {
  const outcomes = await Promise.allSettled(attempts);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected' && !(outcome.reason instanceof RateLimited)) throw outcome.reason;
  }
  const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
  return { accepted, refused: outcomes.length - accepted };
}

describe.each(['redis', 'memory'] as const)('cross-session limits, %s store', (store) => {
  let limits: AbuseLimits;
  const send = (t: LimitedTenant, request: Partial<SendRequest> & { recipients: string[] }) =>
    limits.consumeSend(t, { ip: freshIp(), ...request });

  beforeAll(async () => {
    limits = createAbuseLimits({
      keySecret: KEY_SECRET,
      redisUrl: store === 'redis' ? redisServer.url : undefined,
    });
    await limits.ready();
  });
  afterAll(() => limits.close());

  describe('recipient_sends', () => {
    test('a send given back (refused later, e.g. for credits) leaves the quota as it was', async () => {
      const acme = tenant({ recipient_sends: { max: 2, window_minutes: 10 } });
      const giveBack = await send(acme, { recipients: ['given-back@example.com'] });
      await giveBack();
      await send(acme, { recipients: ['given-back@example.com'] });
      await send(acme, { recipients: ['given-back@example.com'] });
      await refusal(send(acme, { recipients: ['given-back@example.com'] }));
    });

    test('default: 5 sends (first sends and resends alike) per address per 10 minutes', async () => {
      const acme = tenant();
      for (let i = 0; i < 5; i++) await send(acme, { recipients: ['person@example.com'] });
      const refused = await refusal(send(acme, { recipients: ['person@example.com'] }));
      expect(refused.retryAfterSeconds).toBeGreaterThan(10 * MINUTE - 10);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(10 * MINUTE);
      await send(acme, { recipients: ['someone-else@example.com'] });
    });

    test("the tenant's override replaces the default", async () => {
      const acme = tenant({ recipient_sends: { max: 2, window_minutes: 1 } });
      await send(acme, { recipients: ['+14155550100'] });
      await send(acme, { recipients: ['+14155550100'] });
      const refused = await refusal(send(acme, { recipients: ['+14155550100'] }));
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(MINUTE);
    });

    test('an address counts as one whatever its spelling; sms and whatsapp to one number are one recipient', async () => {
      const acme = tenant({ recipient_sends: { max: 2, window_minutes: 10 } });
      await send(acme, { recipients: [' Person@Example.COM '] });
      await send(acme, { recipients: ['person@example.com'] });
      await refusal(send(acme, { recipients: ['PERSON@example.com'] }));

      await send(acme, { recipients: ['+14155550100', '+14155550100'] });
      await send(acme, { recipients: ['+14155550100', '+14155550100'] });
      await refusal(send(acme, { recipients: ['+1 415 555 0100'] }));
    });
  });

  describe('ip_sends', () => {
    test('default: 20 sends per client IP per hour, whatever the addresses', async () => {
      const acme = tenant();
      const ip = freshIp();
      for (let i = 0; i < 20; i++) await send(acme, { ip, recipients: [`person${i}@example.com`] });
      const refused = await refusal(send(acme, { ip, recipients: ['person20@example.com'] }));
      expect(refused.retryAfterSeconds).toBeGreaterThan(HOUR - 10);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(HOUR);
      await send(acme, { recipients: ['person20@example.com'] });
    });

    test('an IPv4-mapped address is its IPv4 address; an IPv6 client is its /64', async () => {
      const acme = tenant({ ip_sends: { max: 2, window_minutes: 60 } });
      const recipients = () => [`${randomUUID()}@example.com`];
      await send(acme, { ip: '::ffff:198.51.100.4', recipients: recipients() });
      await send(acme, { ip: '198.51.100.4', recipients: recipients() });
      await refusal(send(acme, { ip: '::FFFF:198.51.100.4', recipients: recipients() }));

      await send(acme, { ip: '2001:db8:1:2::1', recipients: recipients() });
      await send(acme, { ip: '2001:db8:1:2:ffff::9', recipients: recipients() });
      await refusal(send(acme, { ip: '2001:0db8:0001:0002:0:0:0:abcd', recipients: recipients() }));
      await send(acme, { ip: '2001:db8:1:3::1', recipients: recipients() });
    });
  });

  describe('concurrency', () => {
    test('50 simultaneous sends to one address let exactly max (5) through', async () => {
      const acme = tenant();
      const burst = Array.from({ length: 50 }, () => send(acme, { recipients: ['target@example.com'] }));
      expect(await acceptedCount(burst)).toEqual({ accepted: 5, refused: 45 });
      await refusal(send(acme, { recipients: ['target@example.com'] }));
    });

    test('50 simultaneous sends from one IP let exactly max (20) through', async () => {
      const acme = tenant();
      const ip = freshIp();
      const burst = Array.from({ length: 50 }, (_, i) =>
        send(acme, { ip, recipients: [`r${i}@example.com`] }),
      );
      expect(await acceptedCount(burst)).toEqual({ accepted: 20, refused: 30 });
    });

    test('refunds keep counts exact: a refused burst leaves the address where it was', async () => {
      const acme = tenant({ ip_sends: { max: 1, window_minutes: 60 } });
      const ip = freshIp();
      await limits.consumeSend(acme, { ip, recipients: ['exact@example.com'] });
      // Refused by the IP limit, each of these gives back its increment of the address.
      const burst = Array.from({ length: 30 }, () =>
        limits.consumeSend(acme, { ip, recipients: ['exact@example.com'] }),
      );
      expect(await acceptedCount(burst)).toEqual({ accepted: 0, refused: 30 });
      for (let i = 0; i < 4; i++) await send(acme, { recipients: ['exact@example.com'] });
      await refusal(send(acme, { recipients: ['exact@example.com'] }));
    });
  });

  describe('a refused request costs nothing', () => {
    test('refused by the recipient limit: the IP is not counted', async () => {
      const acme = tenant({
        recipient_sends: { max: 1, window_minutes: 10 },
        ip_sends: { max: 1, window_minutes: 60 },
      });
      await send(acme, { recipients: ['x@example.com'] });
      const ip = freshIp();
      await refusal(send(acme, { ip, recipients: ['x@example.com'] }));
      await send(acme, { ip, recipients: ['y@example.com'] });
    });

    test('refused by the IP limit: the recipients are not counted', async () => {
      const acme = tenant({
        recipient_sends: { max: 1, window_minutes: 10 },
        ip_sends: { max: 1, window_minutes: 60 },
      });
      const ip = freshIp();
      await send(acme, { ip, recipients: ['first@example.com'] });
      await refusal(send(acme, { ip, recipients: ['z@example.com', '+14155550111'] }));
      await send(acme, { recipients: ['z@example.com', '+14155550111'] });
    });

    test('refused for one of several recipients: the others are not counted', async () => {
      const acme = tenant({ recipient_sends: { max: 1, window_minutes: 10 } });
      await send(acme, { recipients: ['used@example.com'] });
      await refusal(send(acme, { recipients: ['used@example.com', 'w@example.com'] }));
      await send(acme, { recipients: ['w@example.com'] });
    });
  });

  describe('recipient_failures', () => {
    const generousSends = { max: 1000, window_minutes: 10 };

    test('consecutive failures across sessions block further sends; resends and new sessions do not reset them', async () => {
      const acme = tenant({ recipient_sends: generousSends, recipient_failures: { max: 3, block_hours: 1 } });
      const person = ['victim@example.com', '+14155550123'];
      await send(acme, { recipients: person }); // session 1
      await limits.recordFailedVerification(acme, ['victim@example.com']);
      await send(acme, { recipients: person }); // resend
      await limits.recordFailedVerification(acme, ['victim@example.com']);
      await send(acme, { recipients: person }); // session 2
      await limits.recordFailedVerification(acme, ['victim@example.com', '+14155550123']);

      const refused = await refusal(send(acme, { recipients: ['victim@example.com'] }));
      expect(refused.retryAfterSeconds).toBeGreaterThan(HOUR - 10);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(HOUR);
      // The number reached one failure only; whatsapp to it is the same recipient as sms.
      await send(acme, { recipients: ['+14155550123'] });
      // A blocked address refuses the whole send, other addresses included.
      await refusal(send(acme, { recipients: ['+14155550123', 'victim@example.com'] }));
    });

    test('a successful verification resets the run of failures', async () => {
      const acme = tenant({ recipient_sends: generousSends, recipient_failures: { max: 3, block_hours: 1 } });
      const person = ['lucky@example.com'];
      await limits.recordFailedVerification(acme, person);
      await limits.recordFailedVerification(acme, person);
      await limits.recordSuccessfulVerification(acme, person);
      await limits.recordFailedVerification(acme, person);
      await limits.recordFailedVerification(acme, person);
      await send(acme, { recipients: person });
      await limits.recordFailedVerification(acme, person);
      await refusal(send(acme, { recipients: person }));
      // A correct code (from a session opened before the block) lifts the block too.
      await limits.recordSuccessfulVerification(acme, person);
      await send(acme, { recipients: person });
    });

    test('default: 100 consecutive failures block the address for 24 hours', async () => {
      const acme = tenant();
      const person = ['brute@example.com'];
      for (let i = 0; i < 99; i++) await limits.recordFailedVerification(acme, person);
      await send(acme, { recipients: person });
      await limits.recordFailedVerification(acme, person);
      const refused = await refusal(send(acme, { recipients: person }));
      expect(refused.retryAfterSeconds).toBeGreaterThan(24 * HOUR - 10);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(24 * HOUR);
    });
  });

  test('tenants never share counters', async () => {
    const acme = tenant({ recipient_failures: { max: 3, block_hours: 1 } });
    const globex = tenant({ ip_sends: { max: 1, window_minutes: 60 } });
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await limits.consumeSend(acme, { ip, recipients: ['shared@example.com'] });
    await refusal(send(acme, { recipients: ['shared@example.com'] }));
    await limits.consumeSend(globex, { ip, recipients: ['shared@example.com'] });

    for (let i = 0; i < 3; i++) await limits.recordFailedVerification(acme, ['both@example.com']);
    await refusal(send(acme, { recipients: ['both@example.com'] }));
    await send(globex, { recipients: ['both@example.com'] });
  });

  test('retry_after is whole seconds, at least 1, and waits for the last limit to clear', async () => {
    const acme = tenant({
      recipient_sends: { max: 1, window_minutes: 0.05 },
      ip_sends: { max: 1, window_minutes: 60 },
    });
    const ip = freshIp();
    await limits.consumeSend(acme, { ip, recipients: ['a@example.com'] });
    const byRecipient = await refusal(send(acme, { recipients: ['a@example.com'] }));
    expect(Number.isInteger(byRecipient.retryAfterSeconds)).toBe(true);
    expect(byRecipient.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(byRecipient.retryAfterSeconds).toBeLessThanOrEqual(3);
    const byBoth = await refusal(limits.consumeSend(acme, { ip, recipients: ['a@example.com'] }));
    expect(byBoth.retryAfterSeconds).toBeGreaterThan(HOUR - 10);
    // The same message whichever limit refused: nothing tells which, or whether the address was known.
    expect(byBoth.message).toBe(byRecipient.message);
  });
});

describe('Redis store', () => {
  test('no address or IP appears in plaintext among the keys; keys are namespaced per tenant', async () => {
    const limits = createAbuseLimits({ keySecret: KEY_SECRET, redisUrl: redisServer.url });
    const inspector = new Redis(redisServer.url);
    try {
      await limits.ready();
      const acme = tenant();
      await limits.consumeSend(acme, {
        ip: '192.0.2.55',
        recipients: ['plaintext-probe@example.com', '+14155550199'],
      });
      await limits.recordFailedVerification(acme, ['plaintext-probe@example.com', '+14155550199']);

      const keys = await inspector.keys('*');
      const tenantKeys = keys.filter((key) => key.includes(`:${acme.id}:`));
      expect(tenantKeys.sort().map((key) => key.split(':').slice(0, 2).join(':'))).toEqual([
        'otp-limit:ip-sends',
        'otp-limit:recipient-failures',
        'otp-limit:recipient-failures',
        'otp-limit:recipient-sends',
        'otp-limit:recipient-sends',
      ]);
      // Prefix, tenant, base64url digest: no room for an "@", a "." or a "+" of an address or IP.
      for (const key of keys) {
        expect(key).toMatch(/^otp-limit:[a-z-]+:t-[0-9a-f]{8}:[A-Za-z0-9_-]{43}$/);
        expect(key).not.toContain('4155550199');
      }
    } finally {
      inspector.disconnect();
      await limits.close();
    }
  });

  test('Redis stopped: every operation fails closed with LimitStoreUnavailable', async () => {
    const doomed = await startRedisServer();
    const limits = createAbuseLimits({ keySecret: KEY_SECRET, redisUrl: doomed.url });
    try {
      await limits.ready();
      const acme = tenant();
      await limits.consumeSend(acme, { ip: freshIp(), recipients: ['a@example.com'] });
      await doomed.stop();

      await expect(
        limits.consumeSend(acme, { ip: freshIp(), recipients: ['a@example.com'] }),
      ).rejects.toBeInstanceOf(LimitStoreUnavailable);
      await expect(limits.recordFailedVerification(acme, ['a@example.com'])).rejects.toBeInstanceOf(
        LimitStoreUnavailable,
      );
      await expect(limits.recordSuccessfulVerification(acme, ['a@example.com'])).rejects.toBeInstanceOf(
        LimitStoreUnavailable,
      );
    } finally {
      await limits.close();
      await doomed.stop();
    }
  });

  test('Redis never reachable: sends are refused at once, not queued', async () => {
    const unreachable = await startRedisServer();
    await unreachable.stop();
    const limits = createAbuseLimits({ keySecret: KEY_SECRET, redisUrl: unreachable.url });
    try {
      const started = Date.now();
      await expect(
        limits.consumeSend(tenant(), { ip: freshIp(), recipients: ['a@example.com'] }),
      ).rejects.toBeInstanceOf(LimitStoreUnavailable);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await limits.close();
    }
  });
});
