/**
 * GET /openapi.json: an OpenAPI 3.1 document generated from the zod schemas that validate
 * requests and type responses (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect).
 */
import { z } from 'zod';
import {
  errorSchema,
  healthSchema,
  idempotencyKeySchema,
  listSessionsQuerySchema,
  readinessSchema,
  resendRequestSchema,
  resendResponseSchema,
  sendRequestSchema,
  sendResponseSchema,
  sessionDetailSchema,
  sessionIdSchema,
  sessionListSchema,
  balanceResponseSchema,
  creditChangeSchema,
  verifyRequestSchema,
  verifyResponseSchema,
} from './schemas';

export const API_BASE = '/api/v1/otp';

const components = z.registry<{ id: string }>();
const named = {
  SendRequest: sendRequestSchema,
  SendResponse: sendResponseSchema,
  VerifyRequest: verifyRequestSchema,
  VerifyResponse: verifyResponseSchema,
  ResendRequest: resendRequestSchema,
  ResendResponse: resendResponseSchema,
  SessionDetail: sessionDetailSchema,
  SessionList: sessionListSchema,
  Health: healthSchema,
  Readiness: readinessSchema,
  Balance: balanceResponseSchema,
  CreditChange: creditChangeSchema,
  Error: errorSchema,
};
for (const [id, schema] of Object.entries(named)) components.add(schema, { id });

type ComponentName = keyof typeof named;

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: ComponentName) => ({ 'application/json': { schema: ref(name) } });

/** A parameter's schema: OpenAPI sets the dialect for the whole document, so `$schema` goes. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const generated: Record<string, unknown> = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  delete generated.$schema;
  return generated;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'validation_error, invalid_json, session_not_found or a session rule (see code)',
  401: 'invalid_api_key',
  402: 'insufficient_balance',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large (over 64 KiB)',
  415: 'unsupported_media_type (not application/json)',
  422: 'idempotency_key_reused: the Idempotency-Key was used with another request body',
  429: 'cooldown_active, resend_limit_reached or rate_limited; see retry_after and Retry-After',
  500: 'internal_error',
  503: 'service_unavailable (Temporal unreachable)',
};

/** Every API answer says no-store (SPEC §7): send and resend carry tokens and sandbox codes. */
const NO_STORE = {
  'Cache-Control': { description: 'Always no-store', schema: { type: 'string', const: 'no-store' } },
};

function errors(...statuses: number[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { description: ERROR_DESCRIPTIONS[status], headers: NO_STORE, content: json('Error') },
    ]),
  );
}

const jsonBody = (name: ComponentName) => ({ required: true, content: json(name) });

const answer = (description: string, name: ComponentName) => ({
  description,
  headers: NO_STORE,
  content: json(name),
});

function idempotencyKeyParameter(description: string) {
  return {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description,
    schema: jsonSchemaOf(idempotencyKeySchema),
  };
}
const RETRY_KEY = idempotencyKeyParameter(
  'A retry with the same key (same tenant, key mode and session) gets the first outcome and is not run again',
);
const sessionIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: jsonSchemaOf(sessionIdSchema),
};
const COMMON_ERRORS = [401, 500, 503];
const BODY_ERRORS = [413, 415];

function listParameters(): unknown[] {
  return Object.entries(listSessionsQuerySchema.shape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    schema: jsonSchemaOf(schema),
  }));
}

export function openApiDocument(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(components, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  });
  for (const schema of Object.values(schemas)) delete schema.$schema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'durable-otp',
      version: '1.0.0',
      description: 'OTP verification sessions over email, SMS and WhatsApp, each one a Temporal workflow.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'OTP_ADMIN_TOKEN' },
      },
    },
    paths: {
      [`${API_BASE}/send`]: {
        post: {
          operationId: 'sendOtp',
          summary: 'Start a verification session and send a code on each channel',
          parameters: [
            idempotencyKeyParameter(
              'The same key and body from the same tenant and key mode return the same session (same ' +
                'session_id and token); the same key with another body answers 422 idempotency_key_reused',
            ),
          ],
          requestBody: jsonBody('SendRequest'),
          responses: {
            '201': answer('Session started (also for an Idempotency-Key repeat)', 'SendResponse'),
            ...errors(400, 402, 422, 429, ...BODY_ERRORS, ...COMMON_ERRORS),
          },
        },
      },
      [`${API_BASE}/verify`]: {
        post: {
          operationId: 'verifyOtp',
          summary: 'Check submitted codes (any subset of the channels, in any number of calls)',
          parameters: [RETRY_KEY],
          requestBody: jsonBody('VerifyRequest'),
          responses: {
            '200': answer('At least one code was correct', 'VerifyResponse'),
            ...errors(400, 429, ...BODY_ERRORS, ...COMMON_ERRORS),
          },
        },
      },
      [`${API_BASE}/resend`]: {
        post: {
          operationId: 'resendOtp',
          summary: 'Send fresh codes to the unverified channels (or a subset)',
          parameters: [RETRY_KEY],
          requestBody: jsonBody('ResendRequest'),
          responses: {
            '200': answer('Codes resent', 'ResendResponse'),
            ...errors(400, 402, 429, ...BODY_ERRORS, ...COMMON_ERRORS),
          },
        },
      },
      [`${API_BASE}/sessions`]: {
        get: {
          operationId: 'listSessions',
          summary: "The tenant's sessions, newest first",
          parameters: listParameters(),
          responses: {
            '200': answer('A page of sessions', 'SessionList'),
            ...errors(400, ...COMMON_ERRORS),
          },
        },
      },
      [`${API_BASE}/sessions/{id}`]: {
        get: {
          operationId: 'getSession',
          summary: 'A session with its timeline and a link to its history in the Temporal UI',
          parameters: [sessionIdParameter],
          responses: {
            '200': answer('The session', 'SessionDetail'),
            ...errors(400, ...COMMON_ERRORS),
          },
        },
      },
      [`${API_BASE}/sessions/{id}/cancel`]: {
        post: {
          operationId: 'cancelSession',
          summary: 'End a pending, partial or locked session',
          parameters: [sessionIdParameter, RETRY_KEY],
          responses: {
            '200': answer('The cancelled session', 'SessionDetail'),
            ...errors(400, ...BODY_ERRORS, ...COMMON_ERRORS),
          },
        },
      },
      [`${API_BASE}/balance`]: {
        get: {
          operationId: 'getBalance',
          summary: "The caller's tenant balance in credits (null: no balance limit)",
          responses: { '200': answer('The balance', 'Balance'), ...errors(...COMMON_ERRORS) },
        },
      },
      '/api/v1/admin/tenants/{tenant}/credits': {
        post: {
          operationId: 'adjustCredits',
          summary: "Top up (add) or set a tenant's balance; kept in the credit store's audit trail",
          security: [{ adminToken: [] }],
          parameters: [{ name: 'tenant', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: jsonBody('CreditChange'),
          responses: {
            '200': answer('The new balance', 'Balance'),
            ...errors(400, 404, ...BODY_ERRORS, ...COMMON_ERRORS),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          security: [],
          responses: {
            '200': {
              description: 'OpenAPI 3.1',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Answers while the process is up',
          security: [],
          responses: { '200': { description: 'Up', content: json('Health') } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readiness',
          summary: 'Ready when Temporal answers and a worker polls the task queue',
          security: [],
          responses: {
            '200': { description: 'Ready', content: json('Readiness') },
            '503': {
              description: 'Not ready, with a reason code (the details are in the API log)',
              content: json('Readiness'),
            },
          },
        },
      },
    },
  };
}
