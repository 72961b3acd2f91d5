/**
 * GET /insights (SPEC §11) over HTTP against the real API, worker and dev server: messages sent,
 * sessions verified, conversion and credits per day, by channel, country and purpose, for the
 * caller's tenant and key mode only; counts survive the store being reopened.
 */
import { createHash } from 'node:crypto';
import { startAbuseControls, type AbuseControls } from '../src/limits';
import { UNOBSERVED } from '../src/fraud/defence';
import { loadTenants, type TenantsFile } from '../src/config/tenants';
import type { RunningApi } from '../src/http/start';
import type { ChannelSender } from '../activities/delivery';
import {
  fetchJson,
  lastEmailedCode,
  startApiEnv,
  TENANTS,
  type ApiTestEnv,
  forwardingAdmission,
  abuseDependencies,
} from './support/api-env';
import { TEST_CODE_SECRET } from './support/session-env';

jest.setTimeout(120_000);

const LIVE = 'sk_live_ins_0123456789abcdef0123456789abcdef';
const TEST = 'sk_test_ins_0123456789abcdef0123456789abcdef';
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const TENANTS_FILE: TenantsFile = {
  tenants: [
    ...TENANTS.tenants,
    {
      id: 'ins',
      name: 'Insights',
      api_keys: [
        { id: 'ins-live', mode: 'live', sha256: sha256(LIVE) },
        { id: 'ins-test', mode: 'test', sha256: sha256(TEST) },
      ],
      credits: 1000,
      // The wording lastEmailedCode reads the code from.
      templates: { otp_email: { subject: 'Code', text: 'Your Acme code: {{code}}' } },
    },
  ],
};

/** SMS "delivered" by keeping the code, so a live SMS session can be verified. */
const texts = new Map<string, string>();
const sms: ChannelSender = {
  async send(message) {
    texts.set(message.to, message.code);
    return { providerMessageId: `SM${texts.size}` };
  },
};

let abuse: AbuseControls;
const admission = forwardingAdmission(() => abuse.admission);
let t: ApiTestEnv;
let api: RunningApi;

beforeAll(async () => {
  t = await startApiEnv({ admission, senders: { sms }, tenants: TENANTS_FILE });
  abuse = await startAbuseControls(t.config, TEST_CODE_SECRET, UNOBSERVED);
  api = await t.startVariant(abuseDependencies(t, abuse));
});

afterAll(async () => {
  await abuse?.close();
  await t?.close();
});

const call = <T = Record<string, unknown>>(method: string, path: string, key: string, body?: unknown) =>
  fetchJson<T>(`${api.url}/api/v1/otp${path}`, {
    method,
    headers: { 'X-API-Key': key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

interface Row {
  date: string;
  value: string;
  sends: number;
  verified: number;
  conversion: number | null;
  credits: number;
}

const today = () => new Date().toISOString().slice(0, 10);
const insights = (key: string, groupBy: string) =>
  call<{ data: Row[]; from: string; to: string }>('GET', `/insights?group_by=${groupBy}`, key);
const row = (rows: Row[], value: string) => rows.find((r) => r.value === value && r.date === today());

it('counts sends, verified sessions and credits per channel, country and purpose, per key mode', async () => {
  // Live: an SMS to the US verified, an SMS to Germany not, an email verified after a resend.
  const us = await call('POST', '/send', LIVE, {
    channels: ['sms'],
    recipients: { sms: '+14155550123' },
    metadata: { purpose: 'login' },
  });
  expect(us.status).toBe(201);
  const de = await call('POST', '/send', LIVE, {
    channels: ['sms'],
    recipients: { sms: '+4915112345678' },
    metadata: { purpose: 'signup' },
  });
  expect(de.status).toBe(201);
  const mail = await call('POST', '/send', LIVE, {
    channels: ['email'],
    recipients: { email: 'ins@example.com' },
    config: { resend_cooldown_seconds: 0 },
    metadata: { purpose: 'login' },
  });
  expect(mail.status).toBe(201);
  expect((await call('POST', '/resend', LIVE, { session_token: mail.body.session_token })).status).toBe(200);
  const verify = (token: unknown, otps: Record<string, string>) =>
    call<{ status: string }>('POST', '/verify', LIVE, { token, otps });
  const usVerified = await verify(us.body.session_token, { sms: texts.get('+14155550123')! });
  expect(usVerified.body).toMatchObject({ status: 'verified' });
  // The resent code, once its email is in.
  const mails = () => t.smtp.messages.filter((m) => m.envelope.to.includes('ins@example.com')).length;
  for (let i = 0; i < 50 && mails() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const mailVerified = await verify(mail.body.session_token, {
    email: lastEmailedCode(t.smtp, 'ins@example.com')!,
  });
  expect(mailVerified.body).toMatchObject({ status: 'verified' });
  // Test key: a sandbox session, counted for test keys only.
  const sandbox = await call<{ sandbox_otps: Record<string, string>; session_token: string }>(
    'POST',
    '/send',
    TEST,
    {
      channels: ['email'],
      recipients: { email: 'sandbox@example.com' },
    },
  );
  expect(
    (
      await call('POST', '/verify', TEST, {
        token: sandbox.body.session_token,
        otps: sandbox.body.sandbox_otps,
      })
    ).status,
  ).toBe(200);

  // The verified counts come from the sessions' bookkeeping: read until they are in.
  let byChannel: Row[] = [];
  for (let i = 0; i < 50; i++) {
    byChannel = (await insights(LIVE, 'channel')).body.data;
    if ((row(byChannel, 'email')?.verified ?? 0) + (row(byChannel, 'sms')?.verified ?? 0) >= 2) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(row(byChannel, 'sms')).toMatchObject({ sends: 2, verified: 1, conversion: 0.5, credits: 10 });
  expect(row(byChannel, 'email')).toMatchObject({ sends: 2, verified: 1, conversion: 0.5, credits: 2 });

  const byCountry = (await insights(LIVE, 'country')).body.data;
  expect(row(byCountry, 'US')).toMatchObject({ sends: 1, verified: 1, credits: 5 });
  expect(row(byCountry, 'DE')).toMatchObject({ sends: 1, verified: 0, conversion: 0, credits: 5 });
  expect(row(byCountry, 'unknown')).toMatchObject({ sends: 2, verified: 1 });

  const byPurpose = (await insights(LIVE, 'purpose')).body.data;
  expect(row(byPurpose, 'login')).toMatchObject({ sends: 3, verified: 2 });
  expect(row(byPurpose, 'signup')).toMatchObject({ sends: 1, verified: 0 });

  // The test key sees its sandbox session alone: no credits, and none of the live traffic.
  const testView = (await insights(TEST, 'channel')).body.data;
  expect(testView.filter((r) => r.date === today())).toEqual([
    { date: today(), value: 'email', sends: 1, verified: 1, conversion: 1, credits: 0 },
  ]);
  // Another tenant sees nothing of it.
  const other = await fetchJson<{ data: Row[] }>(`${api.url}/api/v1/otp/insights`, {
    headers: { 'X-API-Key': 'sk_live_acme_0123456789abcdef0123456789abcdef' },
  });
  expect(other.status).toBe(200);
  expect(other.body.data).toEqual([]);

  // Reopened (a restart of the process): the journal still holds every count.
  await abuse.close();
  abuse = await startAbuseControls(t.config, TEST_CODE_SECRET, UNOBSERVED);
  api = await t.startVariant({
    tenants: loadTenants(t.config.tenantsFile),
    guards: abuse.guards,
    insights: abuse.insights,
  });
  const reread = await fetchJson<{ data: Row[] }>(`${api.url}/api/v1/otp/insights?group_by=country`, {
    headers: { 'X-API-Key': LIVE },
  });
  expect(reread.body.data).toEqual(byCountry);
});

it("counts a live key's sandbox_mode session with the sandbox traffic, never in the live figures", async () => {
  const live = async () => row((await insights(LIVE, 'channel')).body.data, 'email');
  const sandbox = async () => row((await insights(TEST, 'channel')).body.data, 'email');
  const [liveBefore, sandboxBefore] = [await live(), await sandbox()];
  const sent = await call('POST', '/send', LIVE, {
    channels: ['email'],
    recipients: { email: 'sandbox-mode@example.com' },
    sandbox_mode: true,
  });
  expect(sent.status).toBe(201);
  let after = sandboxBefore;
  for (let i = 0; i < 50 && after?.sends === sandboxBefore?.sends; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await sandbox();
  }
  expect(after).toMatchObject({ sends: (sandboxBefore?.sends ?? 0) + 1, credits: 0 });
  expect(await live()).toEqual(liveBefore);
});

it('answers validation_error for a bad range or grouping', async () => {
  for (const query of [
    'from=2026-02-30',
    'from=2026-03-02&to=2026-03-01',
    'from=2026-01-01&to=2026-06-01',
    'group_by=ip',
  ]) {
    const answer = await call<{ code: string }>('GET', `/insights?${query}`, LIVE);
    expect([answer.status, answer.body.code]).toEqual([400, 'validation_error']);
  }
  const week = await call<{ from: string; to: string }>('GET', '/insights', LIVE);
  expect(week.status).toBe(200);
  expect((Date.parse(week.body.to) - Date.parse(week.body.from)) / 86_400_000).toBe(6);
});
