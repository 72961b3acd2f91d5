/**
 * The credit stores (src/credits): the in-process store with its journal, and Redis. Both must
 * answer alike: holds all or none, one debit per message key, refunds once, holds nobody
 * captured coming back after HOLD_MS, exact balances under concurrency, and (journal) every
 * acknowledged change surviving a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalCreditStore } from '../src/credits/local-store';
import { openRedisCreditStore } from '../src/credits/redis-store';
import { HOLD_MS, InsufficientBalance, type CreditStore, type TenantCredits } from '../src/credits/store';
import { startRedisServer, type RedisServer } from './support/redis';

let redis: RedisServer;
let dir: string;
let clock = Date.now();
const now = () => clock;
let tenantCount = 0;
/** A fresh tenant per test, so tests never share a balance. */
const tenant = (credits?: number): TenantCredits => ({ id: `t${++tenantCount}-${Date.now()}`, credits });
const charge = (key: string, amount = 1) => ({ key, amount });

beforeAll(async () => {
  redis = await startRedisServer();
  dir = mkdtempSync(path.join(tmpdir(), 'otp-credits-'));
});

afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const journal = () => path.join(dir, 'credits.jsonl');
const stores: Record<string, () => CreditStore> = {
  local: () => openLocalCreditStore({ file: journal(), now }),
  redis: () => openRedisCreditStore({ url: redis.url, now }),
};

describe.each(Object.keys(stores))('%s store', (kind) => {
  let store: CreditStore;
  beforeAll(() => {
    store = stores[kind]();
  });
  afterAll(() => store.close());

  it("starts from the tenants file's credits; a tenant without credits is unlimited", async () => {
    expect(await store.balance(tenant(7))).toBe(7);
    const unlimited = tenant();
    await store.reserve(unlimited, [charge('s:email:1', 1000)]);
    expect(await store.capture(unlimited, charge('s:email:1', 1000))).toBe(true);
    expect(await store.balance(unlimited)).toBeNull();
  });

  it('holds all charges or none; a refusal takes nothing', async () => {
    const acme = tenant(6);
    await expect(store.reserve(acme, [charge('a:email:1', 1), charge('a:sms:1', 6)])).rejects.toBeInstanceOf(
      InsufficientBalance,
    );
    expect(await store.balance(acme)).toBe(6);
    await store.reserve(acme, [charge('a:email:1', 1), charge('a:sms:1', 5)]);
    expect(await store.balance(acme)).toBe(0);
  });

  it('one debit per message key: repeats of reserve and capture change nothing', async () => {
    const acme = tenant(10);
    await store.reserve(acme, [charge('s:email:1')]);
    await store.reserve(acme, [charge('s:email:1')]);
    expect(await store.capture(acme, charge('s:email:1'))).toBe(true);
    expect(await store.capture(acme, charge('s:email:1'))).toBe(true);
    await store.reserve(acme, [charge('s:email:1')]);
    expect(await store.balance(acme)).toBe(9);
  });

  it('a capture without a hold debits now, or refuses when the balance cannot pay', async () => {
    const acme = tenant(1);
    expect(await store.capture(acme, charge('s:email:1'))).toBe(true);
    expect(await store.capture(acme, charge('s:email:2'))).toBe(false);
    expect(await store.balance(acme)).toBe(0);
  });

  it('release gives a held or debited message back once; the key never pays again', async () => {
    const acme = tenant(5);
    await store.reserve(acme, [charge('s:email:1'), charge('s:email:2')]);
    await store.capture(acme, charge('s:email:2'));
    await store.release(acme, 's:email:1');
    await store.release(acme, 's:email:2');
    await store.release(acme, 's:email:2');
    await store.release(acme, 'unknown');
    expect(await store.balance(acme)).toBe(5);
  });

  it('a hold nobody captures comes back after HOLD_MS; a captured one stays paid', async () => {
    const acme = tenant(2);
    await store.reserve(acme, [charge('lost:email:1'), charge('kept:email:1')]);
    await store.capture(acme, charge('kept:email:1'));
    clock += HOLD_MS - 1000;
    expect(await store.balance(acme)).toBe(0);
    clock += 2000;
    expect(await store.balance(acme)).toBe(1);
  });

  it('200 simultaneous reserves against a balance for 50: exactly 50 succeed', async () => {
    const acme = tenant(50);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => store.reserve(acme, [charge(`burst${i}:email:1`)])),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(50);
    expect(
      outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof InsufficientBalance),
    ).toHaveLength(150);
    expect(await store.balance(acme)).toBe(0);
  });

  it('adjust sets or adds, refuses a negative result, and audits', async () => {
    const acme = tenant(3);
    expect(await store.adjust(acme, { add: 4 }, { actor: 'test', reason: 'top-up' })).toBe(7);
    expect(await store.adjust(acme, { set: 20 }, { actor: 'test' })).toBe(20);
    await expect(store.adjust(acme, { add: -21 }, { actor: 'test' })).rejects.toBeInstanceOf(RangeError);
    await expect(store.adjust(acme, { set: 1, add: 1 }, { actor: 'test' })).rejects.toBeInstanceOf(
      RangeError,
    );
    expect(await store.balance(acme)).toBe(20);
  });
});

describe('local store journal', () => {
  it('every acknowledged change survives a restart, and compaction keeps the idempotency keys', async () => {
    const file = path.join(dir, 'restart.jsonl');
    const acme = tenant(10);
    const first = openLocalCreditStore({ file, now });
    await first.reserve(acme, [charge('s:email:1'), charge('s:sms:1', 5)]);
    await first.capture(acme, charge('s:email:1'));
    await first.release(acme, 's:sms:1');
    // No close: as if the process were killed.
    const second = openLocalCreditStore({ file, now });
    expect(await second.balance(acme)).toBe(9);
    expect(await second.capture(acme, charge('s:email:1'))).toBe(true);
    expect(await second.balance(acme)).toBe(9);
    await second.close();
    expect(readFileSync(file, 'utf8')).not.toContain('"audit"');
  });
});
