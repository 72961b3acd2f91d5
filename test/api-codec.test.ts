/**
 * Payload encryption and the codec server (SPEC §8) against the real API, worker and dev server:
 * what a session started through the API leaves in Temporal, the remote codec protocol over
 * HTTP (token, CORS, the embedded default's local UI), and key rotation across a restart.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { createSessionActivities } from '../activities';
import { sessionWorkflowId } from '../src/sessions/sessions';
import type { RunningApi } from '../src/http/start';
import {
  codecCallAllowed,
  codecUiPath,
  newCodecCapability,
  payloadDataConverter,
  PayloadEncryptionCodec,
} from '../src/codec';
import { loadConfig } from '../src/config/config';
import { createSessionWorker } from '../src/temporal/worker';
import { initialDeliveryUpdate, otpSession, verifyUpdate } from '../workflows/otp-session';
import {
  fetchJson,
  KEYS,
  lastEmailedCode,
  startApiEnv,
  TEMPORAL_UI,
  TEST_CODEC_TOKEN,
  type ApiTestEnv,
} from './support/api-env';
import { decodedHistoryText, plaintextPayloadPaths, rawHistoryText } from './support/history';
import { digests, keys, sessionStart } from './support/session-env';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type JsonPayload = { metadata: Record<string, string>; data: string };

let t: ApiTestEnv;
beforeAll(async () => {
  t = await startApiEnv();
});
afterAll(() => t?.close());

const ADDRESS = 'codec-person@example.com';
const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});
const fromBase64 = (value: string) => Buffer.from(value, 'base64').toString('utf8');

function codecCall(
  api: RunningApi,
  operation: 'decode' | 'encode',
  payloads: unknown[],
  headers = {},
  base = '/codec',
) {
  return fetchJson<Json>(`${api.url}${base}/${operation}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: JSON.stringify({ payloads }),
  });
}
const withToken = { Authorization: `Bearer ${TEST_CODEC_TOKEN}` };

/** A live session started through the API, with metadata and an Idempotency-Key (a memo). */
let history: temporal.api.history.v1.IHistory;
let startInput: Payload;
let sessionId: string;
beforeAll(async () => {
  const sent = await t.call<Json>('POST', '/api/v1/otp/send', {
    key: KEYS.acmeLive,
    body: { channels: ['email'], recipients: { email: ADDRESS }, metadata: { order_ref: 'ORDER-4242-PII' } },
    headers: { 'Idempotency-Key': `codec-${randomBytes(8).toString('hex')}` },
  });
  expect(sent.status).toBe(201);
  sessionId = sent.body.session_id;
  const code = lastEmailedCode(t.smtp, ADDRESS)!;
  expect(
    (
      await t.call('POST', '/api/v1/otp/verify', {
        key: KEYS.acmeLive,
        body: { token: sent.body.session_token, otps: { email: code } },
      })
    ).status,
  ).toBe(200);
  history = await t.sessions.env.client.workflow
    .getHandle(sessionWorkflowId('acme', sent.body.session_id))
    .fetchHistory();
  startInput = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0] as Payload;
});

describe('what a session started through the API leaves in Temporal', () => {
  it('is encrypted: input, memo, activities, updates and result; no address, metadata or template in clear', async () => {
    const raw = await rawHistoryText(history);
    for (const value of [ADDRESS, 'ORDER-4242-PII', 'Your Acme code']) {
      expect({ value, inRawHistory: raw.includes(value) }).toEqual({ value, inRawHistory: false });
    }
    // The memo (the request fingerprint of the Idempotency-Key) is a payload of the codec too.
    const started = history.events![0].workflowExecutionStartedEventAttributes!;
    expect(Object.keys(started.memo?.fields ?? {})).toEqual(['request_fingerprint']);
    for (const at of plaintextPayloadPaths(history)) {
      // Search attributes, patch markers, the W3C trace context header (ids only; see
      // session-workflow's test of what the header holds) and the bookkeeping of a local
      // activity's marker (below) are not codec payloads.
      expect(at).toMatch(
        /\.searchAttributes\.indexedFields\.\w+$|\.details\.patch-data\.payloads\.0$|\.header\.fields\._tracer-data$|markerRecordedEventAttributes\.details\.data\.payloads\.0$/,
      );
    }
    // A local activity's marker: sdk-core's bookkeeping in clear (which activity, which attempt,
    // when), its result encrypted like any other payload.
    const markers = history.events!.flatMap((e) => e.markerRecordedEventAttributes ?? []);
    expect(markers.map((m) => m.markerName)).toContain('core_local_activity');
    for (const marker of markers.filter((m) => m.markerName === 'core_local_activity')) {
      const bookkeeping = JSON.parse(Buffer.from(marker.details!.data!.payloads![0]!.data!).toString('utf8'));
      expect(Object.keys(bookkeeping).sort()).toEqual(
        [
          'activity_id',
          'activity_type',
          'attempt',
          'backoff',
          'complete_time',
          'original_schedule_time',
          'seq',
        ].sort(),
      );
      expect(plaintextPayloadPaths({ events: [{ markerRecordedEventAttributes: marker }] })).toEqual([
        'events.0.markerRecordedEventAttributes.details.data.payloads.0',
      ]);
    }
    const decoded = await decodedHistoryText(
      history,
      t.sessions.env.client.options.loadedDataConverter.payloadCodecs,
    );
    for (const value of [ADDRESS, 'ORDER-4242-PII', 'Your Acme code', 'request_fingerprint']) {
      expect({ value, inDecoded: decoded.includes(value) }).toEqual({ value, inDecoded: true });
    }
  });

  it('still lists and reads the session: search attributes stay readable, and the API decrypts its own reads', async () => {
    const listed = await t.call<Json>('GET', '/api/v1/otp/sessions?status=verified', { key: KEYS.acmeLive });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((s: Json) => s.session_id)).toContain(sessionId);
    const detail = await t.call<Json>('GET', `/api/v1/otp/sessions/${sessionId}`, { key: KEYS.acmeLive });
    expect(detail.body).toMatchObject({ status: 'verified', metadata: { order_ref: 'ORDER-4242-PII' } });
  });
});

describe('POST /codec/decode and /codec/encode (Temporal remote codec protocol)', () => {
  it('decodes an encrypted payload of a real history to its plaintext', async () => {
    const response = await codecCall(t.api, 'decode', [toJson(startInput)], withToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const [decoded] = response.body.payloads as JsonPayload[];
    expect(fromBase64(decoded.metadata.encoding)).toBe('json/plain');
    expect(JSON.parse(fromBase64(decoded.data))).toMatchObject({
      tenant_id: 'acme',
      recipients: { email: ADDRESS },
      metadata: { order_ref: 'ORDER-4242-PII' },
    });
  });

  it('encodes as the product does, and decodes that back; a plaintext payload (a search attribute) comes back as stored', async () => {
    const plain = toJson(defaultPayloadConverter.toPayload({ hello: 'codec' }));
    const encoded = await codecCall(t.api, 'encode', [plain], withToken);
    expect(encoded.status).toBe(200);
    const [sealed] = encoded.body.payloads as JsonPayload[];
    expect(fromBase64(sealed.metadata.encoding)).toBe('binary/encrypted');
    expect(fromBase64(sealed.metadata['encryption-key-id'])).toBe('test-1');
    const decoded = await codecCall(t.api, 'decode', [plain, sealed, plain], withToken);
    expect(decoded.body.payloads).toEqual([plain, plain, plain]);
    // Proto JSON, as the Temporal CLI sends it, leaves an empty list out.
    const none = await fetchJson<Json>(`${t.api.url}/codec/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...withToken },
      body: '{}',
    });
    expect(none).toMatchObject({ status: 200, body: { payloads: [] } });
  });

  it('answers 401 without the bearer token or with a wrong one', async () => {
    for (const headers of [
      {},
      { Authorization: 'Bearer wrong-token' },
      { Authorization: TEST_CODEC_TOKEN },
    ]) {
      const response = await codecCall(t.api, 'decode', [toJson(startInput)], headers);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'invalid_api_key' });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(JSON.stringify(response.body)).not.toContain(ADDRESS);
    }
  });

  it('answers 400 with a clear message for a tampered payload or a malformed body', async () => {
    const tampered = toJson(startInput);
    const bytes = Buffer.from(tampered.data, 'base64');
    bytes[bytes.length - 1] ^= 1;
    tampered.data = bytes.toString('base64');
    const refused = await codecCall(t.api, 'decode', [tampered], withToken);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/failed authentication with key "test-1"/);
    const malformed = await codecCall(t.api, 'decode', [{ data: 'not base64!' }], withToken);
    expect(malformed.status).toBe(400);
  });

  it('answers the CORS preflight of the Temporal UI origin, and no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.api.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type,x-namespace',
        },
      });
    const ui = await preflight(TEMPORAL_UI);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI);
    expect(ui.headers.get('access-control-allow-methods')).toBe('POST');
    expect(ui.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, X-Namespace');
    expect(ui.headers.get('vary')).toMatch(/Origin/);

    const other = await preflight('http://elsewhere.test');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    // The answer itself: readable by the UI's page, by no other origin's.
    const fromUi = await codecCall(t.api, 'decode', [], { ...withToken, Origin: TEMPORAL_UI });
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI);
    const fromOther = await codecCall(t.api, 'decode', [], { ...withToken, Origin: 'http://elsewhere.test' });
    expect(fromOther.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('in the embedded default, no header stands in for the token: the UI Origin from loopback gets 401', async () => {
    const embedded = await t.startVariant({ codecUiCapability: newCodecCapability() });
    const payloads = [toJson(startInput)];
    // What any local process could send before: the UI's Origin, from 127.0.0.1, no token.
    for (const headers of [{ Origin: TEMPORAL_UI }, {}, { Origin: 'http://elsewhere.test' }]) {
      const response = await codecCall(embedded, 'decode', payloads, headers);
      expect({ headers, status: response.status }).toEqual({ headers, status: 401 });
      expect(JSON.stringify(response.body)).not.toContain(ADDRESS);
    }
    // CORS for the UI stays: the browser can read the refusal.
    const refused = await codecCall(embedded, 'decode', payloads, { Origin: TEMPORAL_UI });
    expect(refused.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI);
    // The bearer token still works there.
    const bearer = await codecCall(embedded, 'decode', payloads, withToken);
    expect(bearer.status).toBe(200);
    expect(fromBase64(bearer.body.payloads[0].data)).toContain(ADDRESS);
  });

  it("in the embedded default, the UI decodes through this start's capability path, and a wrong capability does not", async () => {
    const capability = newCodecCapability();
    expect(capability).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(newCodecCapability()).not.toBe(capability);
    const embedded = await t.startVariant({ codecUiCapability: capability });
    const payloads = [toJson(startInput)];

    const fromUi = await codecCall(
      embedded,
      'decode',
      payloads,
      { Origin: TEMPORAL_UI },
      codecUiPath(capability),
    );
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI);
    expect(fromUi.headers.get('cache-control')).toBe('no-store');
    expect(fromBase64(fromUi.body.payloads[0].data)).toContain(ADDRESS);
    // The UI's preflight on its path.
    const preflight = await fetch(`${embedded.url}${codecUiPath(capability)}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: TEMPORAL_UI, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI);

    // A wrong capability (another start's, one character off, the token) is a path that does not exist.
    const oneOff = `${capability.slice(0, -1)}${capability.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of [newCodecCapability(), oneOff, TEST_CODEC_TOKEN]) {
      const response = await codecCall(
        embedded,
        'decode',
        payloads,
        { Origin: TEMPORAL_UI },
        codecUiPath(wrong),
      );
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain(ADDRESS);
      expect(JSON.stringify(response.body)).not.toContain(capability);
    }
    // Outside the embedded default there is no capability path at all, whatever is presented.
    expect(
      (await codecCall(t.api, 'decode', payloads, { Origin: TEMPORAL_UI }, codecUiPath(capability))).status,
    ).toBe(404);
    expect((await codecCall(t.api, 'decode', payloads, { Origin: TEMPORAL_UI })).status).toBe(401);
    // The rule itself: the capability on its path, the bearer token elsewhere, nothing else.
    const access = { token: TEST_CODEC_TOKEN, uiOrigin: TEMPORAL_UI, uiCapability: capability };
    expect(codecCallAllowed({ authorization: '', capability }, access)).toBe(true);
    expect(codecCallAllowed({ authorization: `Bearer ${TEST_CODEC_TOKEN}` }, access)).toBe(true);
    expect(codecCallAllowed({ authorization: '' }, access)).toBe(false);
    expect(codecCallAllowed({ authorization: '', capability }, { ...access, uiCapability: undefined })).toBe(
      false,
    );
  });

  it('does not exist without OTP_CODEC_TOKEN outside the embedded default', async () => {
    const off = await t.startVariant({ config: { ...t.config, codecToken: undefined } });
    expect((await codecCall(off, 'decode', [toJson(startInput)], withToken)).status).toBe(404);
  });
});

describe('key rotation', () => {
  const keyA = `a:${randomBytes(32).toString('base64')}`;
  const keyB = `b:${randomBytes(32).toString('base64')}`;
  /** As a process reads OTP_PAYLOAD_KEYS at start-up. */
  const converterFor = (list: string) =>
    payloadDataConverter(loadConfig({ OTP_PAYLOAD_KEYS: list }).payloadKeys!);

  async function startProcesses(list: string, taskQueue: string) {
    const dataConverter = converterFor(list);
    const worker = await createSessionWorker({
      connection: t.sessions.env.nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: createSessionActivities({ keys, bcryptRounds: 4, senders: {} }),
      dataConverter,
    });
    const running = worker.run();
    const client = new Client({ connection: t.sessions.env.connection, dataConverter });
    return {
      client,
      async stop() {
        worker.shutdown();
        await running;
      },
    };
  }

  const keyIdOf = (payload: Payload | null | undefined) =>
    Buffer.from(payload?.metadata?.['encryption-key-id'] ?? []).toString('utf8');

  it('a session started under key A verifies after B becomes current (OTP_PAYLOAD_KEYS=B,A)', async () => {
    const taskQueue = `rotation-${randomBytes(4).toString('hex')}`;
    const start = sessionStart();
    const workflowId = `otp-${start.tenant_id}-${start.session_id}`;

    const underA = await startProcesses(keyA, taskQueue);
    const handleA = await underA.client.workflow.start(otpSession, { taskQueue, workflowId, args: [start] });
    const { sandbox_otps } = await handleA.executeUpdate(initialDeliveryUpdate);
    await underA.stop();

    // Worker and client restarted with the new list: the new worker replays A's history.
    const rotated = await startProcesses(`${keyB},${keyA}`, taskQueue);
    try {
      const handleB = rotated.client.workflow.getHandle<typeof otpSession>(workflowId);
      const verified = await handleB.executeUpdate(verifyUpdate, {
        args: [digests(start.session_id, sandbox_otps!)],
      });
      expect(verified.status).toBe('verified');
      expect((await handleB.result()).status).toBe('verified');

      const events = (await handleB.fetchHistory()).events!;
      const input = events[0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
      const verifyArgs = events.find(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'verify',
      )!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads![0];
      expect({ input: keyIdOf(input), verify: keyIdOf(verifyArgs) }).toEqual({ input: 'a', verify: 'b' });
      // Why A stays listed: without it, the session's first payloads cannot be read.
      const onlyB = new PayloadEncryptionCodec(loadConfig({ OTP_PAYLOAD_KEYS: keyB }).payloadKeys!);
      await expect(onlyB.decode([input as Payload])).rejects.toThrow(
        /encrypted with key "a", which is not in OTP_PAYLOAD_KEYS/,
      );
    } finally {
      await rotated.stop();
    }
  });
});
