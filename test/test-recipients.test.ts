/**
 * Test recipients (SPEC §12) over HTTP against the real API, worker and dev server: a live
 * session to one of the tenant's test recipients uses its fixed code, sends nothing, costs
 * nothing, is counted by neither the limits nor the fraud defence, says so in its detail, and
 * never holds the fixed code in history, decoded or not; a test key still reaches no live session.
 */
import { createHash } from 'node:crypto';
import type { ChannelSender } from '../activities/delivery';
import { parseTenants, type TenantsFile } from '../src/config/tenants';
import { UNOBSERVED } from '../src/fraud/defence';
import type { RunningApi } from '../src/http/start';
import { startAbuseControls, type AbuseControls } from '../src/limits';
import {
  fetchJson,
  forwardingAdmission,
  startApiEnv,
  TENANTS,
  type ApiTestEnv,
  abuseDependencies,
} from './support/api-env';
import { decodedHistoryText, rawHistoryText } from './support/history';
import { TEST_CODE_SECRET } from './support/session-env';

jest.setTimeout(120_000);

const LIVE = 'sk_live_tr_0123456789abcdef0123456789abcdef0';
const TEST = 'sk_test_tr_0123456789abcdef0123456789abcdef0';
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const REVIEW_PHONE = '+14155550142';
const REVIEW_EMAIL = 'Review@Example.com';
const TENANT = {
  id: 'tr',
  name: 'Test recipients',
  api_keys: [
    { id: 'tr-live', mode: 'live' as const, sha256: sha256(LIVE) },
    { id: 'tr-test', mode: 'test' as const, sha256: sha256(TEST) },
  ],
  credits: 100,
  limits: { recipient_sends: { max: 2, window_minutes: 10 } },
  fraud: { detector: { min_sends: { range: 2, country: 1000 } } },
  test_recipients: [
    { recipient: REVIEW_PHONE, code: '246813' },
    { recipient: 'review@example.com', code: 'R3V13W' },
  ],
  templates: { otp_email: { subject: 'Code', text: 'Your Acme code: {{code}}' } },
};
const TENANTS_FILE: TenantsFile = { tenants: [...TENANTS.tenants, TENANT] };

const sent: string[] = [];
const sms: ChannelSender = {
  async send(message) {
    sent.push(message.to);
    return { providerMessageId: `SM${sent.length}` };
  },
};

let abuse: AbuseControls;
let t: ApiTestEnv;
let api: RunningApi;

beforeAll(async () => {
  t = await startApiEnv({
    admission: forwardingAdmission(() => abuse.admission),
    senders: { sms },
    tenants: TENANTS_FILE,
  });
  abuse = await startAbuseControls(t.config, TEST_CODE_SECRET, UNOBSERVED);
  api = await t.startVariant(abuseDependencies(t, abuse));
});

afterAll(async () => {
  await abuse?.close();
  await t?.close();
});

type Json = Record<string, unknown>;
const call = (method: string, path: string, key: string, body?: unknown) =>
  fetchJson<Json>(`${api.url}/api/v1/otp${path}`, {
    method,
    headers: { 'X-API-Key': key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
const balance = async () => (await call('GET', '/balance', LIVE)).body.credits;

it('a live session to a test recipient uses its fixed code, sends nothing and costs nothing, again and again', async () => {
  const before = await balance();
  // More than the recipient limit (2) and the detector's min_sends (2), unverified: never refused.
  for (let i = 0; i < 4; i++) {
    const send = await call('POST', '/send', LIVE, {
      channels: ['sms', 'email'],
      recipients: { sms: REVIEW_PHONE, email: REVIEW_EMAIL },
    });
    expect(send.status).toBe(201);
    expect(send.body.sandbox_otps).toBeUndefined();
  }
  const send = await call('POST', '/send', LIVE, {
    channels: ['sms', 'email'],
    recipients: { sms: REVIEW_PHONE, email: REVIEW_EMAIL },
  });
  const id = String(send.body.session_id);
  const detail = await call('GET', `/sessions/${id}`, LIVE);
  const channels = detail.body.channels as Record<string, Json>;
  expect(channels.sms).toMatchObject({ test_recipient: true, delivery: 'sent', country: 'US' });
  expect(channels.email).toMatchObject({ test_recipient: true, delivery: 'sent' });
  expect(detail.body.sandbox).toBe(false);

  const verified = await call('POST', '/verify', LIVE, {
    token: send.body.session_token,
    otps: { sms: '246813', email: 'r3v13w' },
  });
  expect(verified.body).toMatchObject({ status: 'verified' });
  expect(sent).toEqual([]);
  expect(t.smtp.messages.filter((m) => m.envelope.to.includes('review@example.com'))).toEqual([]);
  expect(await balance()).toBe(before);

  // The fixed codes are hashed like any other: not in history, raw or decoded.
  const history = await t.sessions.env.client.workflow.getHandle(`otp-tr-${id}`).fetchHistory();
  const decoded = await decodedHistoryText(
    history,
    t.sessions.env.client.options.loadedDataConverter.payloadCodecs,
  );
  for (const text of [await rawHistoryText(history), decoded]) {
    expect(text).not.toContain('246813');
    expect(text.toUpperCase()).not.toContain('R3V13W');
  }
  expect(decoded).toContain(REVIEW_PHONE); // what was looked for is there to be found
});

it('other recipients of the same tenant are sent, charged and counted as usual', async () => {
  const before = await balance();
  const send = await call('POST', '/send', LIVE, { channels: ['sms'], recipients: { sms: '+14155550143' } });
  expect(send.status).toBe(201);
  const detail = await call('GET', `/sessions/${String(send.body.session_id)}`, LIVE);
  expect((detail.body.channels as Record<string, Json>).sms.test_recipient).toBeUndefined();
  expect(sent).toEqual(['+14155550143']);
  expect(await balance()).toBe(Number(before) - 5);
});

it('a test key sends a sandbox session to a test recipient, and still reaches no live session', async () => {
  const live = await call('POST', '/send', LIVE, { channels: ['sms'], recipients: { sms: REVIEW_PHONE } });
  const sandbox = await call('POST', '/send', TEST, { channels: ['sms'], recipients: { sms: REVIEW_PHONE } });
  expect(sandbox.body.sandbox_otps).toEqual({ sms: expect.stringMatching(/^\d{6}$/) });
  expect((await call('GET', `/sessions/${String(live.body.session_id)}`, TEST)).body).toMatchObject({
    code: 'session_not_found',
  });
  expect(
    (await call('POST', '/verify', TEST, { token: live.body.session_token, otps: { sms: '246813' } })).body,
  ).toMatchObject({ code: 'session_not_found' });
});

it('refuses a bad test recipient entry at start-up, naming it', () => {
  const withList = (test_recipients: unknown) => ({ tenants: [{ ...TENANT, test_recipients }] });
  expect(() => parseTenants(withList([{ recipient: '+1555', code: '123456' }]))).toThrow(
    /tenants\.0\.test_recipients\.0\.recipient/,
  );
  expect(() => parseTenants(withList([{ recipient: REVIEW_PHONE, code: '12' }]))).toThrow(
    /tenants\.0\.test_recipients\.0\.code/,
  );
  expect(() =>
    parseTenants(
      withList([
        { recipient: 'a@example.com', code: '1234' },
        { recipient: 'A@example.com', code: '5678' },
      ]),
    ),
  ).toThrow(/test recipients must be distinct/);
});
