/**
 * The fraud defence's rules for one recipient (SPEC §11) over HTTP against the real API, worker
 * and dev server: numbers parsed (validation_error naming the field), number types and countries
 * refused with recipient_blocked, sandbox sessions validated but never refused, the detail's
 * country and number type, a tenants file entry that stops start-up, and a block that survives
 * the API and worker restarting and is lifted by an operator.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import type { ChannelSender } from '../activities/delivery';
import { parseTenants, type TenantsFile } from '../src/config/tenants';
import { apiFraudObserver } from '../src/http/fraud-observer';
import { createApiMetrics, type ApiMetrics } from '../src/http/metrics';
import type { RunningApi } from '../src/http/start';
import { startAbuseControls, type AbuseControls } from '../src/limits';
import {
  eventually,
  fetchJson,
  forwardingAdmission,
  startApiEnv,
  TENANTS,
  type ApiTestEnv,
  abuseDependencies,
} from './support/api-env';
import { TEST_CODE_SECRET } from './support/session-env';

jest.setTimeout(120_000);

const LIVE = 'sk_live_frd_0123456789abcdef0123456789abcdef';
const TEST = 'sk_test_frd_0123456789abcdef0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-that-is-long-enough-0123456789abcdef';
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const FRAUD_TENANT = {
  id: 'frd',
  name: 'Fraud',
  api_keys: [
    { id: 'frd-live', mode: 'live' as const, sha256: sha256(LIVE) },
    { id: 'frd-test', mode: 'test' as const, sha256: sha256(TEST) },
  ],
  fraud: {
    countries: { whatsapp: { deny: ['NG'] } },
    detector: { min_sends: { range: 3, country: 1000 } },
  },
};
const HOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
/** The tenant's endpoint for fraud.blocked (SPEC §11): what it received. */
const hooks: { headers: Record<string, string>; body: string }[] = [];
let receiver: Server;
let hooksUrl: string;

const sent: string[] = [];
const phone: ChannelSender = {
  async send(message) {
    sent.push(message.to);
    return { providerMessageId: `SM${sent.length}` };
  },
};

let abuse: AbuseControls;
let metrics: ApiMetrics;
const admission = forwardingAdmission(() => abuse.admission);
let t: ApiTestEnv;
let api: RunningApi;

/** The API and the worker's abuse controls, (re)started on the same $DATA_DIR: a restart of both. */
async function start(): Promise<void> {
  metrics = createApiMetrics();
  const { client } = t.sessions.env;
  const observer = apiFraudObserver({
    metrics,
    client,
    taskQueue: t.sessions.taskQueue,
    logger: pino({ level: 'silent' }),
  });
  abuse = await startAbuseControls(t.config, TEST_CODE_SECRET, observer);
  api = await t.startVariant({
    ...abuseDependencies(t, abuse),
    metrics,
    config: { ...t.config, adminToken: ADMIN_TOKEN },
  });
}

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    hooks.push({
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hooksUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fraud`;
  const TENANTS_FILE: TenantsFile = {
    tenants: [
      ...TENANTS.tenants,
      { ...FRAUD_TENANT, webhooks: [{ url: hooksUrl, secret: HOOK_SECRET, events: ['fraud.blocked'] }] },
    ],
  };
  t = await startApiEnv({ admission, senders: { sms: phone, whatsapp: phone }, tenants: TENANTS_FILE });
  await start();
});

afterAll(async () => {
  await abuse?.close();
  await t?.close();
  receiver?.close();
});

type Json = Record<string, unknown>;
const send = (key: string, recipients: Json, extra: Json = {}) =>
  fetchJson<Json>(`${api.url}/api/v1/otp/send`, {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channels: Object.keys(recipients), recipients, ...extra }),
  });
const admin = (method: string, path: string) =>
  fetchJson<Json>(`${api.url}/api/v1/admin/tenants/frd${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });

it('parses numbers: one not valid for its country is a validation_error naming the field', async () => {
  for (const sms of ['+1555012345', '+4400000000', '+999123456789']) {
    const r = await send(LIVE, { sms });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      code: 'validation_error',
      details: [{ path: 'recipients.sms', message: 'is not a valid phone number for its country' }],
    });
  }
});

it("shows each phone channel's country and number type in the detail", async () => {
  const r = await send(LIVE, { sms: '+447911123456', whatsapp: '+4915112345678' });
  expect(r.status).toBe(201);
  const detail = await fetchJson<{ channels: Record<string, Json> }>(
    `${api.url}/api/v1/otp/sessions/${String(r.body.session_id)}`,
    { headers: { 'X-API-Key': LIVE } },
  );
  expect(detail.body.channels.sms).toMatchObject({ country: 'GG', number_type: 'MOBILE' });
  expect(detail.body.channels.whatsapp).toMatchObject({ country: 'DE', number_type: 'MOBILE' });
});

it('refuses a number type or a country the tenant does not allow, and never in sandbox', async () => {
  // +1 900: premium rate.
  expect((await send(LIVE, { sms: '+19005550100' })).body).toMatchObject({
    statusCode: 403,
    code: 'recipient_blocked',
    reason: 'number_type',
    channel: 'sms',
  });
  expect((await send(LIVE, { whatsapp: '+2348031234567' })).body).toMatchObject({
    statusCode: 403,
    code: 'recipient_blocked',
    reason: 'country',
    channel: 'whatsapp',
  });
  // The same number by SMS: the deny list is the WhatsApp channel's.
  expect((await send(LIVE, { sms: '+2348031234567' })).status).toBe(201);
  expect((await send(TEST, { sms: '+19005550100' })).status).toBe(201);
  expect((await send(LIVE, { sms: '+19005550100' }, { sandbox_mode: true })).status).toBe(201);
});

it('keeps a block across a restart of the API and the worker, until an operator lifts it', async () => {
  const range = '+1202555';
  const first = await send(LIVE, { sms: `${range}0100` }, { config: { resend_cooldown_seconds: 0 } });
  expect(first.status).toBe(201);
  for (let i = 1; i < 3; i++) expect((await send(LIVE, { sms: `${range}010${i}` })).status).toBe(201);
  const tripped = await send(LIVE, { sms: `${range}0109` });
  expect(tripped.body).toMatchObject({
    code: 'recipient_blocked',
    reason: 'suspected_fraud',
    retry_after: 300,
  });
  expect(tripped.headers.get('Retry-After')).toBe('300');
  // A resend into the blocked range is refused the same way: the session admits it (the worker).
  const resend = await fetchJson<Json>(`${api.url}/api/v1/otp/resend`, {
    method: 'POST',
    headers: { 'X-API-Key': LIVE, 'Content-Type': 'application/json' },
    body: JSON.stringify({ session_token: first.body.session_token }),
  });
  expect(resend.body).toMatchObject({ code: 'recipient_blocked', reason: 'suspected_fraud', channel: 'sms' });

  // The tenant is told, signed like every event; the operator's metrics count it, never the range.
  await eventually(
    async () => hooks.length,
    (n) => n > 0,
    20_000,
  );
  expect(hooks).toHaveLength(1);
  expect(() => new Webhook(HOOK_SECRET).verify(hooks[0].body, hooks[0].headers)).not.toThrow();
  expect(JSON.parse(hooks[0].body)).toMatchObject({
    type: 'fraud.blocked',
    data: { channel: 'sms', scope: 'range', range, blocks_in_24h: 1, until: expect.any(String) },
  });
  const exposition = await (await fetch(`${api.url}/metrics`)).text();
  expect(exposition).toMatch(/^otp_fraud_blocks_total\{channel="sms",scope="range"\} 1$/m);
  expect(exposition).toMatch(/^otp_fraud_refusals_total\{channel="sms",reason="suspected_fraud"\} 2$/m);
  expect(exposition).toMatch(/^otp_fraud_refusals_total\{channel="sms",reason="number_type"\} 1$/m);
  expect(exposition).not.toContain(range.slice(1));

  await abuse.close();
  await start();
  expect((await send(LIVE, { sms: `${range}0108` })).body).toMatchObject({ reason: 'suspected_fraud' });
  const overview = await admin('GET', '/fraud');
  expect(overview.body.blocks).toEqual([
    expect.objectContaining({ scope: 'range', subject: range, key: `sms:${range}`, blocks_in_24h: 1 }),
  ]);
  expect((await admin('DELETE', `/fraud/blocks/range/${encodeURIComponent(`sms:${range}`)}`)).status).toBe(
    204,
  );
  expect((await admin('DELETE', `/fraud/blocks/range/${encodeURIComponent(`sms:${range}`)}`)).status).toBe(
    404,
  );
  expect((await send(LIVE, { sms: `${range}0108` })).status).toBe(201);
});

it('stops start-up on a bad fraud entry in the tenants file, naming it', () => {
  const withFraud = (fraud: unknown) => ({ tenants: [{ ...FRAUD_TENANT, fraud }] });
  expect(() => parseTenants(withFraud({ range_digit: 4 }))).toThrow(/tenants\.0\.fraud/);
  expect(() => parseTenants(withFraud({ countries: { sms: { allow: ['USA'] } } }))).toThrow(
    /tenants\.0\.fraud\.countries\.sms/,
  );
  expect(() => parseTenants(withFraud({ number_types: { sms: ['CELL'] } }))).toThrow(
    /tenants\.0\.fraud\.number_types\.sms/,
  );
});
