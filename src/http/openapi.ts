/**
 * GET /openapi.json: an OpenAPI 3.1 document generated from the zod schemas that validate
 * requests and type responses (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect).
 */
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { CHANNELS } from '../../workflows/channels';
import { ERROR_CATALOGUE, type ErrorCode } from '../../workflows/errors';
import { CURSOR_START_TIME, CURSOR_WORKFLOW_ID, encodeCursor } from '../sessions/listing';
import { TWILIO_STATUS_PATH } from '../../activities/twilio-status';
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
  fraudOverviewSchema,
  insightsResponseSchema,
  creditChangeSchema,
  verifyRequestSchema,
  verifyResponseSchema,
  API_BASE,
} from '../contract/schemas';

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
  FraudOverview: fraudOverviewSchema,
  Insights: insightsResponseSchema,
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

/** What each code means for a caller, with the extra fields its body carries (docs/API.md). */
const ERROR_MEANINGS: Record<ErrorCode, string> = {
  validation_error:
    'the body, query or a header fails the schema; `details` lists each problem with its path',
  invalid_json: 'the body is not well-formed JSON',
  invalid_api_key: '`X-API-Key` missing, unknown or revoked',
  session_not_found: "token forged, expired or another tenant's, or no such session (for this key's mode)",
  session_expired: "the session's expiry passed",
  already_verified: 'the session is already verified',
  session_locked: 'too many failed attempts; `retry_after` when the lockout ends before the session expires',
  session_cancelled: 'the session was cancelled',
  session_failed: 'delivery failed for good on every channel',
  invalid_otp: 'every submitted code was wrong; `attempts_remaining` and `results`',
  code_not_active: 'a submitted channel has no usable code (delivery failed or still under way): resend',
  max_attempts_exceeded: "this call's failures reached max_attempts: the session is now locked",
  insufficient_balance: "a live message would cost more credits than the tenant's balance",
  forbidden: 'a provider callback without a valid signature (X-Twilio-Signature)',
  recipient_blocked:
    "the fraud defence refuses this phone recipient (SPEC §11): `reason` is `number_type`, `country` or `suspected_fraud` (with `retry_after`), `channel` names the recipient's channel",
  not_found: 'no such route (or tenant)',
  method_not_allowed: 'wrong method for this route',
  payload_too_large: 'the body is over 64 KiB',
  unsupported_media_type: 'a body that is not application/json',
  idempotency_key_reused: 'the Idempotency-Key was already used with another request body',
  cooldown_active: 'a resend inside the cooldown; `retry_after` and the Retry-After header say when',
  resend_limit_reached: 'the session was already resent max_resends times',
  rate_limited:
    'a cross-session limit (per address, per client IP, failures per address, live sends per number range); see retry_after',
  internal_error: 'an unexpected failure (logged with the request id)',
  service_unavailable: 'Temporal or a store cannot be reached',
};

/** The extra fields of each code's example body. */
const ERROR_EXAMPLE_EXTRAS: Partial<Record<ErrorCode, Record<string, unknown>>> = {
  validation_error: { details: [{ path: 'recipients.email', message: 'Invalid email address' }] },
  session_locked: { retry_after: 540 },
  invalid_otp: { attempts_remaining: 2, results: { email: 'invalid' } },
  max_attempts_exceeded: { attempts_remaining: 0, results: { email: 'invalid' } },
  code_not_active: { retry_after: 2 },
  cooldown_active: { retry_after: 42 },
  rate_limited: { retry_after: 600 },
  recipient_blocked: { reason: 'suspected_fraud', channel: 'sms', retry_after: 300 },
};

const errorExample = (code: ErrorCode) => ({
  statusCode: ERROR_CATALOGUE[code].status,
  message: ERROR_CATALOGUE[code].message,
  error: STATUS_CODES[ERROR_CATALOGUE[code].status],
  code,
  ...ERROR_EXAMPLE_EXTRAS[code],
});

/** Every API answer says no-store (SPEC §7): send and resend carry tokens and sandbox codes. */
const NO_STORE = {
  'Cache-Control': { description: 'Always no-store', schema: { type: 'string', const: 'no-store' } },
};
const RETRY_AFTER = {
  'Retry-After': {
    description:
      "Seconds to wait (the body's retry_after); sent with cooldown_active, rate_limited and a recipient_blocked for suspected fraud",
    schema: { type: 'integer', minimum: 0 },
  },
};

/** Every request with a key may get these. */
const COMMON_ERRORS: ErrorCode[] = ['invalid_api_key', 'internal_error', 'service_unavailable'];
/** Every request with a JSON body may get these. */
const BODY_ERRORS: ErrorCode[] = [
  'validation_error',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
];
/** What a session that can no longer take a request answers (workflows/session-rules.ts). */
const ENDED_SESSION: ErrorCode[] = [
  'session_expired',
  'already_verified',
  'session_cancelled',
  'session_failed',
];

/**
 * The error responses of one operation, one per status: the codes it can answer with (an enum on
 * `code`, so clients get them as types), what each means, and an example body per code.
 */
function errors(...codes: ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const { status } = ERROR_CATALOGUE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      String(status),
      {
        description: statusCodes.map((code) => `\`${code}\`: ${ERROR_MEANINGS[code]}`).join('; '),
        headers: status === 429 ? { ...NO_STORE, ...RETRY_AFTER } : NO_STORE,
        content: {
          'application/json': {
            schema: {
              allOf: [
                ref('Error'),
                {
                  type: 'object',
                  required: ['code'],
                  properties: { code: { type: 'string', enum: statusCodes } },
                },
              ],
            },
            examples: Object.fromEntries(
              statusCodes.map((code) => [
                code,
                { summary: ERROR_CATALOGUE[code].message, value: errorExample(code) },
              ]),
            ),
          },
        },
      },
    ]),
  );
}

/**
 * Rules of a send body across its fields, in JSON Schema terms (the zod schema checks them with
 * refinements, which have no JSON Schema form): each listed channel (in `channels` or a fallback
 * chain) needs its recipient, and `verification.channels` names only listed channels.
 */
function sendRequestRules(): Record<string, unknown>[] {
  return CHANNELS.flatMap((channel) => [
    {
      if: { required: ['channels'], properties: { channels: { contains: { const: channel } } } },
      then: { properties: { recipients: { required: [channel] } } },
    },
    // SPEC §9: a fallback chain names its channels in `fallback.channels`, each with its recipient.
    {
      if: {
        required: ['fallback'],
        properties: {
          fallback: { required: ['channels'], properties: { channels: { contains: { const: channel } } } },
        },
      },
      then: { properties: { recipients: { required: [channel] } } },
    },
    {
      if: { properties: { channels: { not: { contains: { const: channel } } } } },
      then: {
        properties: { verification: { properties: { channels: { not: { contains: { const: channel } } } } } },
      },
    },
  ]);
}

const SEND_EXAMPLE = {
  channels: ['email', 'sms'],
  recipients: { email: 'ada@example.com', sms: '+14155550100' },
  config: { otp_length: 6, expiry_minutes: 10, resend_cooldown_seconds: 60 },
  metadata: { purpose: 'login', user_id: 'user_12345' },
};

/**
 * The cursor: base64url of the JSON array [start time, workflow id] of the last session of the
 * previous page (src/sessions/listing.ts); any other value answers validation_error.
 */
const CURSOR_FORMAT = {
  description:
    'next_cursor of the previous page, with the same filters. Opaque to clients; its format is ' +
    'base64url (no padding) of the JSON array [start time (RFC 3339, nanoseconds, UTC), workflow id] ' +
    'of the last session returned; any other value answers validation_error',
  pattern: '^[A-Za-z0-9_-]*$',
  contentEncoding: 'base64url',
  contentMediaType: 'application/json',
  contentSchema: {
    type: 'array',
    prefixItems: [
      { type: 'string', format: 'date-time', pattern: CURSOR_START_TIME.source },
      { type: 'string', pattern: CURSOR_WORKFLOW_ID.source },
    ],
    minItems: 2,
    maxItems: 2,
  },
  examples: [
    encodeCursor({
      startTime: '2026-01-15T10:50:00.123456789Z',
      workflowId: 'otp-acme-ses_0123456789abcdef0123456789abcdef',
    }),
  ],
};

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

function listParameters(): unknown[] {
  return Object.entries(listSessionsQuerySchema.shape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    schema: name === 'cursor' ? { ...jsonSchemaOf(schema), ...CURSOR_FORMAT } : jsonSchemaOf(schema),
  }));
}

export function openApiDocument(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(components, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  });
  // OpenAPI sets the dialect; a fragment-only $id is not a valid 2020-12 $id.
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  Object.assign(schemas.SendRequest, { allOf: sendRequestRules(), examples: [SEND_EXAMPLE] });
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
            ...errors(
              ...BODY_ERRORS,
              'insufficient_balance',
              'recipient_blocked',
              'idempotency_key_reused',
              'rate_limited',
              ...COMMON_ERRORS,
            ),
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
            ...errors(
              ...BODY_ERRORS,
              'session_not_found',
              ...ENDED_SESSION,
              'session_locked',
              'invalid_otp',
              'code_not_active',
              'max_attempts_exceeded',
              'rate_limited',
              ...COMMON_ERRORS,
            ),
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
            ...errors(
              ...BODY_ERRORS,
              'session_not_found',
              ...ENDED_SESSION,
              'session_locked',
              'insufficient_balance',
              'recipient_blocked',
              'cooldown_active',
              'resend_limit_reached',
              'rate_limited',
              ...COMMON_ERRORS,
            ),
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
            ...errors('validation_error', ...COMMON_ERRORS),
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
            ...errors('session_not_found', ...COMMON_ERRORS),
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
            ...errors(...BODY_ERRORS, 'session_not_found', ...ENDED_SESSION, ...COMMON_ERRORS),
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
      [`${API_BASE}/insights`]: {
        get: {
          operationId: 'getInsights',
          summary:
            "Sends, verified sessions, conversion and credits per day, for the caller's tenant and key mode",
          parameters: [
            {
              name: 'from',
              in: 'query',
              schema: { type: 'string', format: 'date' },
              description: 'Default: six days before `to`',
            },
            {
              name: 'to',
              in: 'query',
              schema: { type: 'string', format: 'date' },
              description: 'Default: today (UTC)',
            },
            {
              name: 'group_by',
              in: 'query',
              schema: { type: 'string', enum: ['channel', 'country', 'purpose'], default: 'channel' },
            },
          ],
          responses: {
            '200': answer('One row per day and value', 'Insights'),
            ...errors('validation_error', ...COMMON_ERRORS),
          },
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
            ...errors(...BODY_ERRORS, 'not_found', ...COMMON_ERRORS),
          },
        },
      },
      '/api/v1/admin/tenants/{tenant}/fraud': {
        get: {
          operationId: 'getFraudOverview',
          summary:
            "A tenant's fraud blocks in force and each country's sends and conversion in the window (SPEC §11)",
          security: [{ adminToken: [] }],
          parameters: [{ name: 'tenant', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': answer('Blocks and window figures', 'FraudOverview'),
            ...errors('not_found', ...COMMON_ERRORS),
          },
        },
      },
      '/api/v1/admin/tenants/{tenant}/fraud/blocks/{scope}/{key}': {
        delete: {
          operationId: 'liftFraudBlock',
          summary: 'Lift one block of the pumping detector; the next block of it is still escalated',
          security: [{ adminToken: [] }],
          parameters: [
            { name: 'tenant', in: 'path', required: true, schema: { type: 'string' } },
            {
              name: 'scope',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: ['range', 'country'] },
            },
            {
              name: 'key',
              in: 'path',
              required: true,
              description: '`<channel>:<subject>` as the overview lists it, e.g. `sms:+1415555` or `sms:NG`',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '204': { description: 'Lifted' },
            ...errors('validation_error', 'not_found', ...COMMON_ERRORS),
          },
        },
      },
      [TWILIO_STATUS_PATH]: {
        post: {
          operationId: 'twilioStatusCallback',
          summary: "Twilio's delivery receipts (SPEC §9): for Twilio, not for clients",
          description:
            'Believed only with a valid X-Twilio-Signature over the exact StatusCallback URL the product ' +
            'gave Twilio (PUBLIC_BASE_URL, this path and its query) and the posted parameters. A final ' +
            "message status (delivered, read, undelivered, failed) or a call's end (completed; busy, " +
            "no-answer, failed, canceled) moves the channel's delivery; anything else, an unknown " +
            'message or call id or an ended session changes nothing.',
          security: [],
          parameters: [
            {
              name: 'X-Twilio-Signature',
              in: 'header',
              required: true,
              schema: { type: 'string' },
              description:
                "Twilio's HMAC-SHA1 (base64) of the URL and the sorted parameters, keyed with the auth token",
            },
            ...['workflow', 'channel', 'issue'].map((name) => ({
              name,
              in: 'query',
              required: true,
              schema: { type: 'string' },
              description: 'Set by the product in the StatusCallback URL it gave Twilio',
            })),
          ],
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  description:
                    "A message's callback (MessageSid, MessageStatus) or a call's (CallSid, CallStatus)",
                  properties: {
                    MessageSid: { type: 'string' },
                    MessageStatus: { type: 'string' },
                    CallSid: { type: 'string' },
                    CallStatus: { type: 'string' },
                    ErrorCode: { type: 'string' },
                  },
                },
              },
            },
          },
          responses: {
            '204': { description: 'Taken (whether or not it changed a session)', headers: NO_STORE },
            ...errors(
              'forbidden',
              'payload_too_large',
              'unsupported_media_type',
              'internal_error',
              'service_unavailable',
            ),
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
