/**
 * The API as HTTP: authentication, the generic errors (404, 405, 413, 415, malformed JSON, 500,
 * 503), health and readiness, the OpenAPI document, and listing sessions (tenant scope,
 * filters, newest first, cursor paging) against a real dev server's visibility.
 */
import { Client, Connection } from '@temporalio/client';
import { noGuards } from '../src/limits/admission';
import { openApiDocument } from '../src/http/openapi';
import { readinessSchema, sessionListSchema } from '../src/contract/schemas';
import { eventually, fetchJson, KEYS, startApiEnv, type ApiTestEnv } from './support/api-env';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: ApiTestEnv;
beforeAll(async () => {
  t = await startApiEnv();
}, 60_000);
afterAll(() => t?.close());

const SEND = '/api/v1/otp/send';
const email = { channels: ['email'], recipients: { email: 'a@example.com' } };

function expectError(response: { status: number; body: Json }, status: number, code: string, error: string) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual(
    expect.objectContaining({ statusCode: status, code, error, message: expect.any(String) }),
  );
}

async function send(key: string, body: Json): Promise<Json> {
  const response = await t.call<Json>('POST', SEND, { key, body });
  expect(response.status).toBe(201);
  return response.body;
}

describe('authentication', () => {
  it.each([
    ['missing', undefined],
    ['unknown', 'sk_live_unknown'],
    ['revoked', KEYS.acmeRevoked],
  ])('answers 401 invalid_api_key for a %s key', async (_name, key) => {
    expectError(await t.call('POST', SEND, { key, body: email }), 401, 'invalid_api_key', 'Unauthorized');
    expectError(await t.call('GET', '/api/v1/otp/sessions', { key }), 401, 'invalid_api_key', 'Unauthorized');
  });
});

describe('HTTP errors in the SPEC shape', () => {
  it('404 for an unknown route, 405 for a wrong method', async () => {
    expectError(
      await t.call('GET', '/api/v1/otp/nope', { key: KEYS.acmeTest }),
      404,
      'not_found',
      'Not Found',
    );
    const wrongMethod = await t.call<Json>('GET', SEND, { key: KEYS.acmeTest });
    expectError(wrongMethod, 405, 'method_not_allowed', 'Method Not Allowed');
    expect(wrongMethod.headers.get('Allow')).toBe('POST');
    expectError(
      await t.call('DELETE', '/api/v1/otp/sessions', { key: KEYS.acmeTest }),
      405,
      'method_not_allowed',
      'Method Not Allowed',
    );
  });

  it('413 for a body over 64 KiB', async () => {
    const body = JSON.stringify({ ...email, metadata: { big: 'x'.repeat(70 * 1024) } });
    const response = await fetchJson<Json>(`${t.api.url}${SEND}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.acmeTest, 'Content-Type': 'application/json' },
      body,
    });
    expectError(response, 413, 'payload_too_large', 'Payload Too Large');
  });

  it('415 for a body that is not JSON', async () => {
    const response = await fetchJson<Json>(`${t.api.url}${SEND}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.acmeTest, 'Content-Type': 'text/plain' },
      body: 'channels=email',
    });
    expectError(response, 415, 'unsupported_media_type', 'Unsupported Media Type');
  });

  it('400 invalid_json for malformed JSON, 400 validation_error for a missing body', async () => {
    const malformed = await fetchJson<Json>(`${t.api.url}${SEND}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.acmeTest, 'Content-Type': 'application/json' },
      body: '{"channels": [',
    });
    expectError(malformed, 400, 'invalid_json', 'Bad Request');
    const missing = await t.call<Json>('POST', SEND, { key: KEYS.acmeTest });
    expectError(missing, 400, 'validation_error', 'Bad Request');
    expect(missing.body.details).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('400 validation_error for an unusable Idempotency-Key and for bad list queries', async () => {
    const key = await t.call<Json>('POST', SEND, {
      key: KEYS.acmeTest,
      body: email,
      headers: { 'Idempotency-Key': 'x'.repeat(300) },
    });
    expectError(key, 400, 'validation_error', 'Bad Request');
    for (const query of [
      'limit=101',
      'limit=0',
      'status=done',
      'channel=fax',
      "purpose=x'%20OR%20'1'='1",
      'cursor=abc',
      'created_after=yesterday',
      'sandbox=yes',
    ]) {
      expectError(
        await t.call('GET', `/api/v1/otp/sessions?${query}`, { key: KEYS.acmeTest }),
        400,
        'validation_error',
        'Bad Request',
      );
    }
  });

  it('echoes X-Request-Id, or makes one', async () => {
    const given = await t.call('GET', '/healthz', { headers: { 'X-Request-Id': 'req-123' } });
    expect(given.headers.get('X-Request-Id')).toBe('req-123');
    const made = await t.call('GET', '/healthz');
    expect(made.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('500 internal_error without internals when a handler fails', async () => {
    const failing = await t.startVariant({
      guards: {
        ...noGuards,
        beforeSend: async () => {
          throw new Error('secret internals');
        },
      },
    });
    const response = await fetchJson<Json>(`${failing.url}${SEND}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.acmeTest, 'Content-Type': 'application/json' },
      body: JSON.stringify(email),
    });
    expectError(response, 500, 'internal_error', 'Internal Server Error');
    expect(JSON.stringify(response.body)).not.toContain('secret internals');
  });
});

describe('health and readiness', () => {
  it('healthz answers 200; readyz 200 while a worker polls the task queue', async () => {
    expect((await t.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect(await t.call('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('readyz answers 503 with a reason code when no worker polls the task queue; the details go to the log', async () => {
    const idle = await t.startVariant({
      config: { ...t.config, temporal: { ...t.config.temporal, taskQueue: 'nobody-polls-this' } },
    });
    const response = await fetchJson<Json>(`${idle.url}/readyz`);
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'unavailable', reason: 'no_worker_polling' });
    expect(readinessSchema.parse(response.body)).toEqual(response.body);
    expect(t.logs.some((line) => line.includes('nobody-polls-this'))).toBe(true);
  });

  it('answers 503 service_unavailable, and readyz 503, when Temporal cannot be reached', async () => {
    // No retry interceptor: the unreachable address fails at once instead of after the SDK's retries.
    const connection = await Connection.lazy({ address: '127.0.0.1:1', interceptors: [] });
    const unreachable = await t.startVariant({ client: new Client({ connection }) });
    const sent = await fetchJson<Json>(`${unreachable.url}${SEND}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.acmeTest, 'Content-Type': 'application/json' },
      body: JSON.stringify(email),
    });
    expectError(sent, 503, 'service_unavailable', 'Service Unavailable');
    const ready = await fetchJson<Json>(`${unreachable.url}/readyz`);
    expect(ready.status).toBe(503);
    // A code, never the connection error's text (addresses, TLS details); that is logged.
    expect(ready.body).toEqual({ status: 'unavailable', reason: 'temporal_unreachable' });
    expect(t.logs.some((line) => line.includes('not ready: Temporal is not answering'))).toBe(true);
    await connection.close();
  });
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with every route, whose references all resolve', async () => {
    const { status, body } = await t.call<Json>('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(body.openapi).toMatch(/^3\.1\./);
    expect(body.info).toEqual(
      expect.objectContaining({ title: expect.any(String), version: expect.any(String) }),
    );
    const operations = Object.entries(body.paths as Json).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /api/v1/otp/send',
        'POST /api/v1/otp/verify',
        'POST /api/v1/otp/resend',
        'GET /api/v1/otp/sessions',
        'GET /api/v1/otp/sessions/{id}',
        'POST /api/v1/otp/sessions/{id}/cancel',
        'GET /api/v1/otp/balance',
        'GET /api/v1/otp/insights',
        'POST /api/v1/admin/tenants/{tenant}/credits',
        'GET /api/v1/admin/tenants/{tenant}/fraud',
        'DELETE /api/v1/admin/tenants/{tenant}/fraud/blocks/{scope}/{key}',
        'POST /api/v1/otp/providers/twilio/status',
        'GET /openapi.json',
        'GET /healthz',
        'GET /readyz',
      ].sort(),
    );
    const refs = JSON.stringify(body).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const target = ref.slice(8, -1).replace(/^#\//, '').split('/');
      expect(target.reduce((node: Json | undefined, part) => node?.[part], body)).toBeDefined();
    }
    for (const methods of Object.values(body.paths as Json)) {
      for (const operation of Object.values(methods as Json))
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
    }
    // Bounds come from the validating schemas themselves.
    expect(body.components.schemas.SendRequest.properties.config.properties.otp_length).toMatchObject({
      minimum: 4,
      maximum: 8,
    });
    // SPEC §7: the reused-key refusal, the Idempotency-Key of every session update, no-store, readiness codes.
    const api = (path: string) => body.paths[`/api/v1/otp${path}`];
    expect(api('/send').post.responses['422'].description).toContain('idempotency_key_reused');
    expect(body.components.schemas.Error.properties.code.enum).toContain('idempotency_key_reused');
    for (const operation of [
      api('/send').post,
      api('/verify').post,
      api('/resend').post,
      api('/sessions/{id}/cancel').post,
    ]) {
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({
          name: 'Idempotency-Key',
          in: 'header',
          schema: expect.objectContaining({ pattern: expect.any(String) }),
        }),
      );
    }
    for (const [path, method, status] of [
      ['/send', 'post', '201'],
      ['/resend', 'post', '200'],
      ['/send', 'post', '422'],
    ]) {
      expect(api(path)[method].responses[status].headers['Cache-Control'].schema.const).toBe('no-store');
    }
    expect(body.components.schemas.SendRequest.properties.metadata.properties.purpose.pattern).toBe(
      '^[A-Za-z0-9 _.:@/+-]{1,100}$',
    );
    expect(body.components.schemas.Readiness.properties.reason.enum.sort()).toEqual([
      'no_worker_polling',
      'temporal_unreachable',
    ]);
  });
});

describe('GET /sessions', () => {
  // A key lists the sessions its own mode opened (api-hardening): here a live key's, live and sandbox_mode.
  const list = async (query: string, key = KEYS.acmeLive) => {
    const response = await t.call<Json>('GET', `/api/v1/otp/sessions${query}`, { key });
    expect(response.status).toBe(200);
    return sessionListSchema.parse(response.body);
  };
  let created: Json[];
  let since: string;

  beforeAll(async () => {
    since = new Date().toISOString();
    const make = (key: string, body: Json) => send(key, { ...email, ...body });
    // One after the other, so that their start times are ordered.
    created = [];
    const sandbox = { sandbox_mode: true };
    for (const [key, body] of [
      [KEYS.acmeLive, { ...sandbox, metadata: { purpose: 'login' } }],
      [KEYS.acmeLive, { ...sandbox, metadata: { purpose: 'signup' } }],
      [
        KEYS.acmeLive,
        {
          ...sandbox,
          channels: ['sms'],
          recipients: { sms: '+14155550100' },
          metadata: { purpose: 'login' },
        },
      ],
      [KEYS.acmeLive, { metadata: { purpose: 'payment' } }],
      [KEYS.acmeLive, { ...sandbox, metadata: { purpose: 'login' } }],
    ] as const) {
      created.push(await make(key, body));
    }
    await send(KEYS.globexTest, { ...email, metadata: { purpose: 'login' } });
    // Close the second, then the first: visibility orders closed workflows by close time, so
    // newest-first has to be the API's doing.
    for (const session of [created[1], created[0]]) {
      await t.call('POST', `/api/v1/otp/sessions/${session.session_id}/cancel`, { key: KEYS.acmeLive });
    }
    await eventually(
      () => list(`?created_after=${since}&status=cancelled`),
      (page) => page.data.length === 2,
    );
  });

  const idsNewestFirst = () => created.map((s) => s.session_id).reverse();

  it("lists only the tenant's sessions, newest first, with summaries", async () => {
    const page = await list(`?created_after=${since}`);
    expect(page.data.map((s) => s.session_id)).toEqual(idsNewestFirst());
    expect(page.next_cursor).toBeNull();
    expect(page.data[4]).toMatchObject({
      status: 'cancelled',
      channels: ['email'],
      sandbox: true,
      purpose: 'login',
      closed_at: expect.any(String),
    });
    expect(page.data[0]).toMatchObject({ status: 'pending', closed_at: null });
    const globex = await list(`?created_after=${since}`, KEYS.globexTest);
    expect(globex.data).toHaveLength(1);
    expect(created.map((s) => s.session_id)).not.toContain(globex.data[0].session_id);
  });

  it('pages with an opaque cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Json = await list(`?created_after=${since}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((s: Json) => s.session_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(idsNewestFirst());
  });

  it('filters by status, channel, sandbox, purpose and creation time', async () => {
    const ids = (page: { data: { session_id: string }[] }) => page.data.map((s) => s.session_id);
    const [first, second, third, fourth, fifth] = created.map((s) => s.session_id);
    expect(ids(await list(`?created_after=${since}&status=cancelled`))).toEqual([second, first]);
    expect(ids(await list(`?created_after=${since}&status=pending&channel=email`))).toEqual([fifth, fourth]);
    expect(ids(await list(`?created_after=${since}&channel=sms`))).toEqual([third]);
    expect(ids(await list(`?created_after=${since}&sandbox=false`))).toEqual([fourth]);
    expect(ids(await list(`?created_after=${since}&purpose=login`))).toEqual([fifth, third, first]);
    const cut = (await list(`?created_after=${since}`)).data[1].created_at;
    expect(ids(await list(`?created_after=${since}&created_before=${cut}`))).toEqual([third, second, first]);
  });
});
