/**
 * Schema-driven fuzzing of the REST API: requests generated from the JSON Schemas of
 * the live GET /openapi.json, sent to the real API + worker + dev server. Every request the
 * document calls valid must get an answer the document lists for that operation, with a body
 * its schema accepts, and never a refusal the document could have stated: a request-shape error
 * (validation_error, invalid_json, 413, 415, 404, 405) or a 5xx. Refusals that depend on server
 * state (an unknown session, an expired one, a wrong code, a cooldown) are documented per
 * operation and allowed. Bounded: a fixed number of runs per operation (about a minute).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { KEYS, startApiEnv, type ApiTestEnv } from './support/api-env';
import { arbitraryOf, type JsonSchema } from './support/schema-arbitrary';
import { parsePhone } from '../src/fraud/phone';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Refusals a valid request must never get: the document could have said why. */
const REQUEST_SHAPE_ERRORS = new Set([
  'validation_error',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'invalid_api_key',
  'internal_error',
  'service_unavailable',
]);

/** Runs per operation; operations without inputs need only a few. */
const RUNS = { withInputs: 100, withoutInputs: 3 };

interface Operation {
  id: string;
  method: string;
  path: string;
  parameters: Json[];
  bodySchema?: JsonSchema;
  responses: Record<string, Json>;
}

interface FuzzRequest {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  body?: unknown;
}

let t: ApiTestEnv;
let document: Json;
let ajv: Ajv2020;
/** Real sandbox sessions, so that verify, resend, detail and cancel also reach a session's rules. */
const realSessions: { id: string; token: string }[] = [];

/** The document's local references, made resolvable by ajv under the document's own id. */
const DOCUMENT_ID = 'https://durable-otp.test/openapi.json';
const anchored = (schema: unknown): JsonSchema =>
  JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${DOCUMENT_ID}#/`));

beforeAll(async () => {
  t = await startApiEnv();
  const served = await t.call<Json>('GET', '/openapi.json');
  expect(served.status).toBe(200);
  document = served.body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The product's own format: an E.164 number valid for its country (libphonenumber decides).
  ajv.addFormat('e164', (value: string) => parsePhone(value) !== undefined);
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
  for (let i = 0; i < 3; i++) {
    const sent = await t.call<Json>('POST', '/api/v1/otp/send', {
      key: KEYS.acmeTest,
      body: {
        channels: ['email', 'sms', 'whatsapp'],
        recipients: { email: `fuzz${i}@example.com`, sms: '+14155550100', whatsapp: '+14155550101' },
        config: { resend_cooldown_seconds: 0, max_attempts: 10, max_resends: 10 },
      },
    });
    expect(sent.status).toBe(201);
    realSessions.push({ id: sent.body.session_id, token: sent.body.session_token });
  }
}, 120_000);
afterAll(() => t?.close());

/** The operations a tenant key may call with JSON or no body: everything the fuzzer can reach. */
function fuzzableOperations(): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths as Json)) {
    for (const [method, operation] of Object.entries(methods as Json)) {
      const security = (operation.security ?? document.security) as Json[];
      if (!security.some((requirement) => 'apiKey' in requirement)) continue;
      const content = operation.requestBody?.content as Json | undefined;
      if (content && !content['application/json']) continue;
      operations.push({
        id: operation.operationId,
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []) as Json[],
        bodySchema: content?.['application/json'].schema,
        responses: operation.responses,
      });
    }
  }
  return operations;
}

function requestArbitrary(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const group = (location: string) => {
    const parameters = operation.parameters.filter((p) => p.in === location);
    const model: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(
      parameters.map((p) => [p.name, arbitraryOf(p.schema, document)]),
    );
    return fc.record(model, {
      requiredKeys: parameters.filter((p) => p.required).map((p) => p.name as string),
    });
  };
  const validBody = operation.bodySchema ? ajv.compile(anchored(operation.bodySchema)) : undefined;
  const validParameter = new Map(operation.parameters.map((p) => [p.name, ajv.compile(anchored(p.schema))]));
  const validParameters = (values: Record<string, unknown>) =>
    Object.entries(values).every(([name, value]) => validParameter.get(name)!(value));
  return fc
    .record({
      path: group('path'),
      query: group('query'),
      header: group('header'),
      body: operation.bodySchema ? arbitraryOf(operation.bodySchema, document) : fc.constant(undefined),
    })
    .filter(
      (request) =>
        (!validBody || validBody(request.body)) &&
        validParameters(request.path) &&
        validParameters(request.query) &&
        validParameters(request.header),
    );
}

/** Half the runs act on a real session instead of a random (hence unknown) one. */
function onRealSession(
  request: FuzzRequest,
  session: { id: string; token: string } | undefined,
): FuzzRequest {
  if (!session) return request;
  const path = 'id' in request.path ? { ...request.path, id: session.id } : request.path;
  const body = request.body as Json | undefined;
  if (!body || typeof body !== 'object') return { ...request, path };
  const tokens = Object.fromEntries(
    ['token', 'session_token'].filter((name) => name in body).map((name) => [name, session.token]),
  );
  return { ...request, path, body: { ...body, ...tokens } };
}

async function perform(operation: Operation, request: FuzzRequest) {
  const path = operation.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent(String(request.path[name])),
  );
  const query = new URLSearchParams(
    Object.entries(request.query).map(([name, value]) => [name, String(value)] as [string, string]),
  ).toString();
  return t.call<Json>(operation.method, `${path}${query ? `?${query}` : ''}`, {
    key: KEYS.acmeTest,
    body: request.body,
    headers: Object.fromEntries(Object.entries(request.header).map(([name, value]) => [name, String(value)])),
  });
}

/** What is wrong with an answer to a request the document calls valid, if anything. */
function problemsWith(
  operation: Operation,
  response: { status: number; headers: Headers; body: Json },
): string[] {
  const documented = operation.responses[String(response.status)];
  if (!documented) return [`status ${response.status} is not documented`];
  const problems: string[] = [];
  const schema = documented.content?.['application/json']?.schema;
  if (schema) {
    const validate = ajv.compile(anchored(schema));
    if (!validate(response.body))
      problems.push(`body does not match the schema: ${ajv.errorsText(validate.errors)}`);
  }
  const code = response.body?.code as string | undefined;
  if (response.status >= 400 && code && REQUEST_SHAPE_ERRORS.has(code)) {
    problems.push(`refused a documented-valid request with ${code}`);
  }
  for (const [name, header] of Object.entries((documented.headers ?? {}) as Json)) {
    const value = response.headers.get(name);
    if (name === 'Cache-Control' && value !== 'no-store') problems.push(`Cache-Control is ${value}`);
    if (name === 'Retry-After' && ['cooldown_active', 'rate_limited'].includes(code ?? '')) {
      if (value === null || !ajv.validate(header.schema, Number(value)))
        problems.push(`Retry-After is ${value}`);
    }
  }
  return problems;
}

describe('GET /openapi.json fuzzed against the API', () => {
  it('reaches every operation a tenant key may call', () => {
    expect(
      fuzzableOperations()
        .map((operation) => operation.id)
        .sort(),
    ).toEqual(
      [
        'cancelSession',
        'getBalance',
        'getInsights',
        'getSession',
        'listSessions',
        'resendOtp',
        'sendOtp',
        'verifyOtp',
      ].sort(),
    );
  });

  it('documents each error response with its codes and one valid example per code', () => {
    for (const operation of fuzzableOperations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const content = response.content['application/json'];
        const codes = content.schema.allOf[1].properties.code.enum as string[];
        expect(Object.keys(content.examples).sort()).toEqual([...codes].sort());
        const validate = ajv.compile(anchored(content.schema));
        for (const example of Object.values(content.examples as Json)) {
          expect(validate(example.value)).toBe(true);
          expect(example.value.statusCode).toBe(Number(status));
        }
      }
    }
    // The cursor's documented format is the one the API writes.
    const list = document.paths['/api/v1/otp/sessions'].get.parameters as Json[];
    expect(list.find((p) => p.name === 'cursor')?.schema.contentEncoding).toBe('base64url');
  });

  it('answers validation_error, not 500, for a cursor of the right shape holding an impossible date', async () => {
    const cursor = Buffer.from(
      JSON.stringify(['2026-02-30T10:00:00.000000000Z', 'otp-acme-ses_0123456789abcdef0123456789abcdef']),
    ).toString('base64url');
    const response = await t.call<Json>('GET', `/api/v1/otp/sessions?cursor=${cursor}`, {
      key: KEYS.acmeTest,
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      expect.objectContaining({
        code: 'validation_error',
        details: [{ path: 'cursor', message: 'invalid cursor' }],
      }),
    );
  });

  // One test per operation, so a failure names the operation and fast-check's shrunk request.
  it.each(['sendOtp', 'verifyOtp', 'resendOtp', 'listSessions', 'getSession', 'cancelSession', 'getBalance'])(
    '%s: every valid request gets a documented answer and no refusal the document could state',
    async (operationId) => {
      const operation = fuzzableOperations().find((candidate) => candidate.id === operationId)!;
      const withInputs = operation.parameters.length > 0 || operation.bodySchema !== undefined;
      const reachesSessions =
        operation.path.includes('{id}') || ['verifyOtp', 'resendOtp'].includes(operationId);
      const session = reachesSessions
        ? fc.option(fc.constantFrom(...realSessions), { nil: undefined, freq: 1 })
        : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(requestArbitrary(operation), session, async (generated, real) => {
          const request = onRealSession(generated, real);
          const response = await perform(operation, request);
          const problems = problemsWith(operation, response);
          if (problems.length > 0) {
            throw new Error(
              `${operation.method} ${operation.path} answered ${response.status} ${JSON.stringify(response.body)}: ${problems.join('; ')}`,
            );
          }
        }),
        { numRuns: withInputs ? RUNS.withInputs : RUNS.withoutInputs, endOnFailure: true },
      );
    },
    90_000,
  );
});
