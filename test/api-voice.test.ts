/**
 * The voice channel (SPEC §12) over HTTP against the real API, worker and dev server, with
 * Twilio's Calls API played by the local fake: a call that reads the code out and whose
 * `completed` callback marks it delivered, an unanswered call whose callback moves a fallback
 * chain on, a chain that ends in a call, the price of a call, landlines allowed for voice only,
 * and the code absent from history, logs and errors.
 */
import { createHash } from 'node:crypto';
import { createTwilioSender } from '../activities/twilio';
import type { TenantsFile } from '../src/config/tenants';
import { UNOBSERVED } from '../src/fraud/defence';
import { createApiMetrics, type ApiMetrics } from '../src/http/metrics';
import type { RunningApi } from '../src/http/start';
import { startAbuseControls, type AbuseControls } from '../src/limits';
import type { SessionView } from '../workflows/session-types';
import {
  abuseDependencies,
  eventually,
  fetchJson,
  forwardingAdmission,
  lastEmailedCode,
  startApiEnv,
  TENANTS,
  type ApiTestEnv,
} from './support/api-env';
import { decodedHistoryText, rawHistoryText } from './support/history';
import { TEST_CODE_SECRET } from './support/session-env';
import {
  postStatusCallback,
  startTwilioFake,
  twilioSignature,
  type RecordedTwilioRequest,
  type TwilioFake,
} from './support/twilio-fake';

jest.setTimeout(120_000);

const PUBLIC_BASE_URL = 'https://otp.example.test';
const ACCOUNT_SID = `AC${'2'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-auth-token-of-the-voice-test';
const LIVE = 'sk_live_voc_0123456789abcdef0123456789abcdef';
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const TENANT = {
  id: 'voc',
  name: 'Voice Co',
  api_keys: [{ id: 'voc-live', mode: 'live' as const, sha256: sha256(LIVE) }],
  credits: 1000,
  templates: { otp_email: { subject: 'Code', text: 'Your Acme code: {{code}}' } }, // lastEmailedCode reads it
};
const TENANTS_FILE: TenantsFile = { tenants: [...TENANTS.tenants, TENANT] };
/** A London landline (FIXED_LINE), and a US premium-rate number. */
const LANDLINE = '+442079460123';
const PREMIUM = '+19005550100';

let fake: TwilioFake;
let abuse: AbuseControls;
let metrics: ApiMetrics;
let t: ApiTestEnv;
let api: RunningApi;

beforeAll(async () => {
  fake = await startTwilioFake();
  const twilioOptions = {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    smsFrom: '+15005550006',
    voiceFrom: '+15005550009',
    apiBaseUrl: fake.baseUrl,
  };
  t = await startApiEnv({
    admission: forwardingAdmission(() => abuse.admission),
    senders: {
      sms: createTwilioSender('sms', twilioOptions),
      voice: createTwilioSender('voice', twilioOptions),
    },
    env: { PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN },
    tenants: TENANTS_FILE,
  });
  abuse = await startAbuseControls(t.config, TEST_CODE_SECRET, UNOBSERVED);
  metrics = createApiMetrics();
  api = await t.startVariant({ ...abuseDependencies(t, abuse), metrics });
});

afterAll(async () => {
  await abuse?.close();
  await t?.close();
  await fake?.close();
});

type Json = Record<string, unknown>;
const call = <T = Json>(method: string, path: string, body?: unknown) =>
  fetchJson<T>(`${api.url}/api/v1/otp${path}`, {
    method,
    headers: { 'X-API-Key': LIVE, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
const send = (body: Json) =>
  call<{ session_id: string; session_token: string } & Json>('POST', '/send', body);
const detail = async (sessionId: string) => (await call<SessionView>('GET', `/sessions/${sessionId}`)).body;
const balance = async () => (await call('GET', '/balance')).body.credits as number;

/** The calls placed to `to`, oldest first. */
const callsTo = (to: string) => fake.requests.filter((r) => r.kind === 'call' && r.to === to);

/** The code a call reads out: the first run of single digits in its `<Say>`. */
function spokenCode(request: RecordedTwilioRequest): string {
  const digits = /\d(?:, \d)+/.exec(request.twiml ?? '');
  if (!digits) throw new Error('the call says no code');
  return digits[0].replace(/, /g, '');
}

/** Twilio's end-of-call callback, signed with the account's auth token over the URL the call gave. */
function callEnded(request: RecordedTwilioRequest, callStatus: string) {
  const params = {
    CallSid: fake.sidOf(request)!,
    CallStatus: callStatus,
    AccountSid: ACCOUNT_SID,
    To: request.to!,
  };
  return postStatusCallback(
    api.url,
    request.statusCallback!,
    params,
    twilioSignature(AUTH_TOKEN, request.statusCallback!, params),
  );
}

it('calls a landline and reads the code out; the completed call is delivered, costs 8 credits, and the code verifies', async () => {
  const before = await balance();
  const sent = await send({ channels: ['voice'], recipients: { voice: LANDLINE } });
  expect(sent.status).toBe(201);
  expect(sent.body.channels).toEqual({ voice: { delivery: 'sent' } });
  const [placed] = callsTo(LANDLINE);
  expect(placed).toMatchObject({ from: '+15005550009', statusCallbackEvent: 'completed' });
  expect(Object.fromEntries(new URL(placed!.statusCallback!).searchParams)).toEqual({
    workflow: `otp-voc-${sent.body.session_id}`,
    channel: 'voice',
    issue: '1',
  });
  const code = spokenCode(placed!);
  expect(code).toMatch(/^\d{6}$/);
  expect(await balance()).toBe(before - 8);

  // Steps on the way settle nothing; the end of the call does.
  expect((await callEnded(placed!, 'in-progress')).status).toBe(204);
  expect((await callEnded(placed!, 'completed')).status).toBe(204);
  const view = await eventually(
    () => detail(sent.body.session_id),
    (v) => v.channels.voice!.delivery === 'delivered',
  );
  expect(view.events.map((e) => e.type)).toEqual(['created', 'sent', 'delivered']);
  expect(view.channels.voice).toMatchObject({ country: 'GB', number_type: 'FIXED_LINE' });
  expect(view.locale).toBe('en'); // the language of the number's country

  const verified = await call('POST', '/verify', { token: sent.body.session_token, otps: { voice: code } });
  expect(verified.body).toMatchObject({ status: 'verified' });

  // Sessions are listed by channel (the OtpChannels search attribute).
  const listed = await eventually(
    () => call<{ data: { session_id: string }[] }>('GET', '/sessions?channel=voice'),
    (r) => r.body.data.some((s) => s.session_id === sent.body.session_id),
  );
  expect(listed.status).toBe(200);

  const exposition = await metrics.registry.metrics();
  expect(exposition).toMatch(/^otp_receipts_total\{channel="voice",status="delivered"\} 1$/m);
  expect(exposition).toMatch(/^otp_sends_total\{channel="voice",sandbox="false"\} [1-9]/m);

  // The code is in the call Twilio was asked to make, and nowhere else: not in history, raw or
  // decoded, not spelled out digit by digit, not in the API's logs.
  const history = await t.sessions.env.client.workflow
    .getHandle(`otp-voc-${sent.body.session_id}`)
    .fetchHistory();
  const decoded = await decodedHistoryText(
    history,
    t.sessions.env.client.options.loadedDataConverter.payloadCodecs,
  );
  const spelled = [...code].join(', ');
  for (const text of [await rawHistoryText(history), decoded, t.logs.join('')]) {
    expect(text).not.toContain(code);
    expect(text).not.toContain(spelled);
  }
  expect(decoded).toContain(LANDLINE); // what was looked for is there to be found
});

it('an unanswered call is undelivered, says why, and the chain moves on to email, whose code verifies', async () => {
  const phone = '+442079460124';
  const sent = await send({
    fallback: { channels: ['voice', 'email'], after_seconds: 600 },
    recipients: { voice: phone, email: 'voice-fallback@example.com' },
  });
  expect(sent.status).toBe(201);
  const [placed] = callsTo(phone);
  expect((await callEnded(placed!, 'no-answer')).status).toBe(204);
  const code = await eventually(
    async () => lastEmailedCode(t.smtp, 'voice-fallback@example.com'),
    (found) => found !== undefined,
  );
  const view = await detail(sent.body.session_id);
  expect(view.channels.voice!.delivery).toBe('undelivered');
  expect(view.events.map((e) => e.type)).toEqual(['created', 'sent', 'undelivered', 'fallback', 'sent']);
  expect(JSON.stringify(view.events[2])).toContain('no-answer');
  const verified = await call('POST', '/verify', { token: sent.body.session_token, otps: { email: code } });
  expect(verified.body).toMatchObject({ status: 'verified' });
  expect(callsTo(phone)).toHaveLength(1); // an unanswered call is not placed again
});

it('a chain that ends in a call: the SMS is undelivered, the call reads a code of its own', async () => {
  const mobile = '+447911123457';
  const sent = await send({
    fallback: { channels: ['sms', 'voice'], after_seconds: 600 },
    recipients: { sms: mobile, voice: mobile },
  });
  expect(sent.status).toBe(201);
  const sms = fake.requests.find((r) => r.kind === 'message' && r.to === mobile)!;
  const undelivered = { MessageSid: fake.sidOf(sms)!, MessageStatus: 'undelivered', ErrorCode: '30003' };
  const receipt = await postStatusCallback(
    api.url,
    sms.statusCallback!,
    undelivered,
    twilioSignature(AUTH_TOKEN, sms.statusCallback!, undelivered),
  );
  expect(receipt.status).toBe(204);
  const [placed] = await eventually(
    async () => callsTo(mobile),
    (calls) => calls.length === 1,
  );
  const code = spokenCode(placed!);
  expect(sms.body).not.toContain(code);
  const verified = await call('POST', '/verify', { token: sent.body.session_token, otps: { voice: code } });
  expect(verified.body).toMatchObject({ status: 'verified' });
  const view = await detail(sent.body.session_id);
  expect(view.events.map((e) => e.type).slice(0, 5)).toEqual([
    'created',
    'sent',
    'undelivered',
    'fallback',
    'sent',
  ]);
});

it.each(['busy', 'failed', 'canceled'])('a call that ends %s is undelivered', async (callStatus) => {
  const phone = `+4420794601${{ busy: '31', failed: '32', canceled: '33' }[callStatus]}`;
  const sent = await send({ channels: ['voice'], recipients: { voice: phone } });
  expect((await callEnded(callsTo(phone)[0]!, callStatus)).status).toBe(204);
  const view = await eventually(
    () => detail(sent.body.session_id),
    (v) => v.channels.voice!.delivery === 'undelivered',
  );
  expect(JSON.stringify(view.events.at(-1))).toContain(callStatus);
});

it('allows landlines for voice only, and refuses a premium-rate number for voice too', async () => {
  const sms = await send({ channels: ['sms'], recipients: { sms: LANDLINE } });
  expect(sms.status).toBe(403);
  expect(sms.body).toMatchObject({ code: 'recipient_blocked', reason: 'number_type', channel: 'sms' });
  const premium = await send({ channels: ['voice'], recipients: { voice: PREMIUM } });
  expect(premium.status).toBe(403);
  expect(premium.body).toMatchObject({ code: 'recipient_blocked', reason: 'number_type', channel: 'voice' });
  expect(callsTo(PREMIUM)).toEqual([]);
});

it('refuses a voice recipient that is not a phone number, and a send with no voice recipient', async () => {
  const email = await send({ channels: ['voice'], recipients: { voice: 'someone@example.com' } });
  expect(email.status).toBe(400);
  expect(email.body).toMatchObject({ code: 'validation_error' });
  const missing = await send({ channels: ['voice'], recipients: { sms: LANDLINE } });
  expect(missing.status).toBe(400);
  expect(JSON.stringify(missing.body)).toContain('recipients.voice');
});
