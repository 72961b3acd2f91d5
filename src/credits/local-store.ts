/**
 * The credit store of the embedded default: state in this process, every change appended to a
 * journal file in $DATA_DIR before it is acknowledged, replayed (and compacted) at start. Every
 * operation runs synchronously between two awaits, so it is atomic for the process; the journal
 * survives the process being killed (it is written with the OS, not buffered in Node). One
 * process only: API and worker in separate processes need the Redis store.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  assertBalanceChange,
  HOLD_MS,
  InsufficientBalance,
  RECORD_MS,
  type AuditEntry,
  startingBalance,
  type ChargeState,
  type CreditStore,
  type TenantCredits,
} from './store';

interface ChargeRecord {
  state: ChargeState;
  amount: number;
  /** When the hold was taken (held) or the record last changed. */
  at: number;
}

type JournalLine =
  | { t: 'balance'; tenant: string; value: number }
  | { t: 'charge'; tenant: string; key: string; state: ChargeState; amount: number; at: number }
  | {
      t: 'audit';
      tenant: string;
      at: number;
      actor: string;
      reason?: string;
      change: object;
      balance: number;
    };

/** Keys in the order they were added, consumed from the front (amortised O(1)). */
class KeyQueue {
  private items: { key: string; at: number }[] = [];
  private head = 0;

  push(key: string, at: number): void {
    this.items.push({ key, at });
  }

  /** Takes keys from the front while `take` says so. */
  drain(take: (item: { key: string; at: number }) => boolean): void {
    while (this.head < this.items.length && take(this.items[this.head])) this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

interface TenantState {
  balance: number;
  records: Map<string, ChargeRecord>;
  /** Held keys in hold order: the oldest hold is checked first. */
  holds: KeyQueue;
  /** Every key in creation order, for forgetting it after RECORD_MS. */
  created: KeyQueue;
}

export function openLocalCreditStore({
  file,
  now = Date.now,
}: {
  file: string;
  now?: () => number;
}): CreditStore {
  const tenants = new Map<string, TenantState>();

  function stateOf(tenant: string): TenantState {
    let found = tenants.get(tenant);
    if (!found) {
      found = { balance: 0, records: new Map(), holds: new KeyQueue(), created: new KeyQueue() };
      tenants.set(tenant, found);
    }
    return found;
  }

  function apply(line: JournalLine): void {
    if (line.t === 'balance') stateOf(line.tenant).balance = line.value;
    else if (line.t === 'charge') {
      const state = stateOf(line.tenant);
      if (!state.records.has(line.key)) state.created.push(line.key, line.at);
      if (line.state === 'held') state.holds.push(line.key, line.at);
      state.records.set(line.key, { state: line.state, amount: line.amount, at: line.at });
    }
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const replayed: JournalLine[] = [];
  if (fs.existsSync(file)) {
    for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!text) continue;
      try {
        replayed.push(JSON.parse(text) as JournalLine);
      } catch {
        // A line cut short by a crash mid-write: the operation it belonged to was never acknowledged.
      }
    }
  }
  // Compaction: each tenant's balance and the charges still within their idempotency window.
  const latest = new Map<string, JournalLine>();
  for (const line of replayed) {
    if (line.t === 'balance') latest.set(`b\n${line.tenant}`, line);
    else if (line.t === 'charge') latest.set(`c\n${line.tenant}\n${line.key}`, line);
  }
  const cutoff = now() - RECORD_MS;
  const compacted = [...latest.values()].filter((l) => l.t !== 'charge' || l.at >= cutoff);
  compacted.sort((a, b) => (a.t === 'charge' ? a.at : 0) - (b.t === 'charge' ? b.at : 0));
  for (const line of compacted) apply(line);
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, compacted.map((l) => `${JSON.stringify(l)}\n`).join(''), { mode: 0o600 });
  fs.renameSync(temporary, file);
  const journal = fs.openSync(file, 'a', 0o600);

  function write(lines: JournalLine[]): void {
    fs.writeSync(journal, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    for (const line of lines) apply(line);
  }

  /** Holds older than HOLD_MS that nobody captured go back to the balance; old keys are forgotten. */
  function sweep(tenant: string, at: number): void {
    const state = stateOf(tenant);
    const released: JournalLine[] = [];
    let balance = state.balance;
    state.holds.drain(({ key, at: heldAt }) => {
      const record = state.records.get(key);
      if (record?.state !== 'held' || record.at !== heldAt) return true; // captured or released since
      if (heldAt + HOLD_MS > at) return false;
      balance += record.amount;
      released.push({ t: 'charge', tenant, key, state: 'released', amount: record.amount, at });
      return true;
    });
    if (released.length > 0) write([...released, { t: 'balance', tenant, value: balance }]);
    state.created.drain(({ key, at: createdAt }) => {
      if (createdAt + RECORD_MS >= at) return false;
      if (state.records.get(key)?.state !== 'held') state.records.delete(key);
      return true;
    });
  }

  /** Seeds a tenant on first sight, then runs `operate` synchronously on its swept state. */
  async function withTenant<T>(
    tenant: TenantCredits,
    operate: (state: TenantState, at: number) => T,
  ): Promise<T> {
    if (!tenants.has(tenant.id)) write([{ t: 'balance', tenant: tenant.id, value: startingBalance(tenant) }]);
    const at = now();
    sweep(tenant.id, at);
    return operate(stateOf(tenant.id), at);
  }

  return {
    async reserve(tenant, requested) {
      if (tenant.credits === undefined) return;
      await withTenant(tenant, (state, at) => {
        const fresh = requested.filter((c) => !state.records.has(c.key));
        const required = fresh.reduce((sum, c) => sum + c.amount, 0);
        if (required > state.balance) throw new InsufficientBalance(state.balance, required);
        if (fresh.length === 0) return;
        write([
          ...fresh.map((c): JournalLine => ({
            t: 'charge',
            tenant: tenant.id,
            key: c.key,
            state: 'held',
            amount: c.amount,
            at,
          })),
          { t: 'balance', tenant: tenant.id, value: state.balance - required },
        ]);
      });
    },

    async capture(tenant, charge) {
      if (tenant.credits === undefined) return true;
      return withTenant(tenant, (state, at) => {
        const record = state.records.get(charge.key);
        if (record?.state === 'debited') return true;
        if (record?.state === 'held') {
          write([
            { t: 'charge', tenant: tenant.id, key: charge.key, state: 'debited', amount: record.amount, at },
          ]);
          return true;
        }
        // No hold (it expired, or the session predates holds): debit now if the balance allows.
        if (charge.amount > state.balance) return false;
        write([
          { t: 'charge', tenant: tenant.id, key: charge.key, state: 'debited', amount: charge.amount, at },
          { t: 'balance', tenant: tenant.id, value: state.balance - charge.amount },
        ]);
        return true;
      });
    },

    async release(tenant, key) {
      if (tenant.credits === undefined) return;
      await withTenant(tenant, (state, at) => {
        const record = state.records.get(key);
        if (record?.state !== 'held' && record?.state !== 'debited') return;
        write([
          {
            t: 'charge',
            tenant: tenant.id,
            key,
            state: record.state === 'held' ? 'released' : 'refunded',
            amount: record.amount,
            at,
          },
          { t: 'balance', tenant: tenant.id, value: state.balance + record.amount },
        ]);
      });
    },

    async balance(tenant) {
      if (tenant.credits === undefined) return null;
      return withTenant(tenant, (state) => state.balance);
    },

    async adjust(tenant, change, audit: AuditEntry) {
      assertBalanceChange(change);
      return withTenant(tenant, (state, at) => {
        const value = change.set ?? state.balance + change.add!;
        if (value < 0) throw new RangeError(`the balance would become ${value}`);
        write([
          { t: 'balance', tenant: tenant.id, value },
          {
            t: 'audit',
            tenant: tenant.id,
            at,
            actor: audit.actor,
            reason: audit.reason,
            change,
            balance: value,
          },
        ]);
        return value;
      });
    },

    async close() {
      fs.closeSync(journal);
    },
  };
}
