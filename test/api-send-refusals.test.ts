/**
 * Refused sends and list filters, over HTTP against the real API, worker and dev
 * server: a send refused after it was counted (`422 idempotency_key_reused` lost to a
 * simultaneous send under the same key, or a session that never started) gives its rate-limit
 * counts back; an out-of-range date filter on GET /sessions answers 400, not 500.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { startAbuseControls, type AbuseControls } from '../src/limits';
import type { SessionGuards } from '../src/limits/admission';
import type { RunningApi } from '../src/http/start';
import { loadTenants, type TenantsFile } from '../src/config/tenants';
import { fetchJson, KEYS, startApiEnv, TENANTS, type ApiTestEnv } from './support/api-env';
import { TEST_CODE_SECRET } from './support/session-env';
import { UNOBSERVED } from '../src/fraud/defence';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = 'sk_test_refunds_0123456789abcdef0123456789abcdef';
const MAX_PER_RECIPIENT = 2;
const REFUNDS_TENANTS: TenantsFile = {
  tenants: [
    ...TENANTS.tenants,
    {
      id: 'refunds',
      name: 'Refunds',
      api_keys: [{ id: 'test', mode: 'test', sha256: createHash('sha256').update(KEY).digest('hex') }],
      defaults: { resend_cooldown_seconds: 0 },
      limits: {
        recipient_sends: { max: MAX_PER_RECIPIENT, window_minutes: 10 },
        ip_sends: { max: 1000, window_minutes: 60 },
      },
    },
  ],
};

let t: ApiTestEnv;
let abuse: AbuseControls;
let tenantsFile: string;
beforeAll(async () => {
  t = await startApiEnv({ tenants: REFUNDS_TENANTS });
  abuse = await startAbuseControls(t.config, TEST_CODE_SECRET, UNOBSERVED);
  tenantsFile = path.join(mkdtempSync(path.join(tmpdir(), 'otp-refunds-')), 'tenants.json');
  writeFileSync(tenantsFile, JSON.stringify(REFUNDS_TENANTS));
});
afterAll(async () => {
  await abuse?.close();
  await t?.close();
});

/** A variant with the real limits of `abuse` (one store for all variants of this file). */
const withLimits = (overrides: { guards?: SessionGuards; client?: Client } = {}) =>
  t.startVariant({
    tenants: loadTenants(tenantsFile),
    guards: abuse.guards,
    credits: abuse.admission.credits,
    ...overrides,
  });

let n = 0;
const address = () => `refund${++n}-${randomBytes(4).toString('hex')}@example.com`;

function send(api: RunningApi, email: string, idempotencyKey?: string) {
  return fetchJson<Json>(`${api.url}/api/v1/otp/send`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-API-Key': KEY,
      ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
    },
    body: JSON.stringify({ channels: ['email'], recipients: { email } }),
  });
}

/** How many sends to `email` the limits still let through (up to MAX_PER_RECIPIENT + 1 tries). */
async function sendsLeft(api: RunningApi, email: string): Promise<number> {
  let admitted = 0;
  for (let i = 0; i <= MAX_PER_RECIPIENT; i++) {
    const response = await send(api, email);
    if (response.status === 429) return admitted;
    expect(response.status).toBe(201);
    admitted++;
  }
  return admitted;
}

describe('a send refused after it was counted gives its quota back', () => {
  it('the send that loses an Idempotency-Key race (422 idempotency_key_reused) leaves its recipient’s quota whole; the winner is counted', async () => {
    let releaseLoser!: () => void;
    const loserMayGoOn = new Promise<void>((resolve) => (releaseLoser = resolve));
    let loserAdmitted!: () => void;
    const loserHeld = new Promise<void>((resolve) => (loserAdmitted = resolve));
    const loser = address();
    const winner = address();
    // The loser is counted first and held until the winner has started the session.
    const api = await withLimits({
      guards: {
        async beforeSend(attempt) {
          const undo = await abuse.guards.beforeSend(attempt);
          if (attempt.recipients.email === loser) {
            loserAdmitted();
            await loserMayGoOn;
          }
          return undo;
        },
      },
    });
    const key = `race-${randomBytes(8).toString('hex')}`;
    const losing = send(api, loser, key);
    await loserHeld;
    const won = await send(api, winner, key);
    expect(won.status).toBe(201);
    releaseLoser();
    const lost = await losing;
    expect(lost.status).toBe(422);
    expect(lost.body.code).toBe('idempotency_key_reused');

    expect({ loser: await sendsLeft(api, loser), winner: await sendsLeft(api, winner) }).toEqual({
      loser: MAX_PER_RECIPIENT,
      winner: MAX_PER_RECIPIENT - 1,
    });
  });

  it('a send whose session failed to start leaves its recipient’s quota whole', async () => {
    const broken = await withLimits({
      // A namespace the cluster does not have: the session cannot start.
      client: new Client({
        connection: t.sessions.env.connection,
        namespace: `missing-${randomBytes(4).toString('hex')}`,
        dataConverter: t.sessions.env.client.options.dataConverter,
      }),
    });
    const person = address();
    for (let i = 0; i < MAX_PER_RECIPIENT; i++) {
      const failed = await send(broken, person);
      expect(failed.status).toBeGreaterThanOrEqual(500);
    }
    // With an Idempotency-Key too, and its retry is counted anew.
    const key = `failed-${randomBytes(8).toString('hex')}`;
    expect((await send(broken, person, key)).status).toBeGreaterThanOrEqual(500);

    const working = await withLimits();
    const retried = await send(working, person, key);
    expect(retried.status).toBe(201);
    expect(await sendsLeft(working, person)).toBe(MAX_PER_RECIPIENT - 1);
  });
});

describe('GET /sessions date filters', () => {
  const list = (query: string) =>
    fetchJson<Json>(`${t.api.url}/api/v1/otp/sessions?${query}`, { headers: { 'X-API-Key': KEYS.acmeLive } });

  it.each([
    'created_after=9999-12-31T23:59:59-14:00',
    'created_before=9999-12-31T23:59:59-14:00',
    'created_after=0000-01-01T00:00:00%2B01:00',
    'created_after=0000-01-01T00:00:00Z',
  ])('answers 400 validation_error, not 500, for an out-of-range date: %s', async (query) => {
    const response = await list(query);
    expect({ status: response.status, code: response.body.code }).toEqual({
      status: 400,
      code: 'validation_error',
    });
    expect(JSON.stringify(response.body)).toMatch(/created_(after|before)/);
  });

  it('takes the last representable instant', async () => {
    const response = await list(
      'created_before=9999-12-31T23:59:59Z&created_after=2000-01-01T00:00:00%2B14:00',
    );
    expect(response.status).toBe(200);
  });
});
