/**
 * Every request and response of the REST API (SPEC §4) as zod schemas. Requests are validated
 * with them, responses are typed by them, and GET /openapi.json is generated from them, so the
 * document cannot drift from what the API accepts and answers.
 */
import { z } from 'zod';
import { CHANNELS, PHONE_CHANNELS, type Channel } from '../../workflows/channels';
import { ERROR_CATALOGUE, FRAUD_REFUSAL_REASONS, type ErrorCode } from '../../workflows/errors';
import { NUMBER_TYPES, WEBHOOK_EVENTS } from '../../workflows/session-types';
import { parsePhone } from '../fraud/phone';
import { BUILT_IN_LOCALES, supportedLocale } from '../../activities/locales';

/** Where the OTP operations live (SPEC §4). */
export const API_BASE = '/api/v1/otp';

export const channelSchema = z.enum(CHANNELS);

const distinctChannels = z
  .array(channelSchema)
  .min(1)
  .max(CHANNELS.length)
  .refine((channels) => new Set(channels).size === channels.length, 'channels must be distinct')
  .meta({ uniqueItems: true });

/** SPEC §11: parsed with libphonenumber's full metadata, not pattern-matched. */
const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number, e.g. +14155550100')
  .refine((number) => parsePhone(number) !== undefined, 'is not a valid phone number for its country')
  .meta({
    format: 'e164',
    description: 'An E.164 number valid for its country, as libphonenumber (full metadata) parses it',
  });

/**
 * SPEC §12: a BCP 47 tag of a language the product writes in, `ll` or `ll-RR` (a UN M.49 region
 * also does, `es-419`, and Chinese takes its scripts, `zh-Hans`); any region of a served language
 * is served by it.
 */
const SERVED_LANGUAGES = [
  ...new Set([...BUILT_IN_LOCALES.map((l) => new Intl.Locale(l).language), 'no', 'nn']),
]
  .filter((language) => supportedLocale(language) !== undefined)
  .sort();
export const localeSchema = z
  .string()
  .regex(
    new RegExp(`^((${SERVED_LANGUAGES.join('|')})(-([A-Z]{2}|[0-9]{3}))?|zh-Hans|zh-Hant)$`),
    'must be a served BCP 47 locale, e.g. en or pt-BR',
  );
/** A phone recipient as every request and the tenants file take it. */
export const e164Recipient = e164;

export const recipientsSchema = z.strictObject({
  email: z.email().max(254).optional(),
  sms: e164.optional(),
  whatsapp: e164.optional(),
  voice: e164.optional(),
});

export const codeTypeSchema = z.enum(['numeric', 'alphanumeric', 'alpha']);

/** The session settings of SPEC §4 with their bounds. */
export const sessionConfigSchema = z.strictObject({
  otp_length: z.int().min(4).max(8),
  code_type: codeTypeSchema,
  expiry_minutes: z.int().min(1).max(60),
  max_attempts: z.int().min(1).max(10),
  resend_cooldown_seconds: z.int().min(0).max(3600),
  max_resends: z.int().min(0).max(10),
  lockout_minutes: z.int().min(0).max(1440).nullable().describe('null: locked until the session expires'),
});

/** What a request (or a tenant's defaults) may set; the rest comes from the layer below. */
export const sessionConfigOverridesSchema = sessionConfigSchema.partial();

export const verificationSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({ mode: z.literal('any') }),
  z.strictObject({ mode: z.literal('channels'), channels: distinctChannels }),
]);

const METADATA_MAX_BYTES = 4096;

/**
 * metadata.purpose, at send and as a list filter (SPEC §7): enough for labels, nothing that could
 * leave a visibility query literal, and at most 100 ASCII bytes, so it fits the OtpPurpose keyword
 * search attribute of any SQL visibility store (≤ 255 bytes).
 */
export const PURPOSE = /^[A-Za-z0-9 _.:@/+-]{1,100}$/;
const PURPOSE_RULE = 'letters, digits, spaces and _ . : @ / + - only (1 to 100)';
const purposeSchema = z.string().regex(PURPOSE, PURPOSE_RULE);

export const metadataSchema = z
  .record(z.string().min(1).max(64), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .refine((metadata) => Buffer.byteLength(JSON.stringify(metadata)) <= METADATA_MAX_BYTES, {
    message: `metadata must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
  })
  .describe('A flat JSON object (string, number, boolean or null values), at most 4 KiB');

/** SPEC §9: one channel at a time; the next when the previous fails, is undelivered or not verified in time. */
export const fallbackSchema = z
  .strictObject({
    channels: distinctChannels
      .min(2)
      .describe('In order: only the first gets a code at once, each next one when the previous fails'),
    after_seconds: z
      .int()
      .min(5)
      .max(3600)
      .describe('How long each channel gets to be verified before the next one gets a code'),
  })
  .describe("Instead of channels: a fallback chain (any reached channel's code verifies the session)");

export const sendRequestSchema = z
  .strictObject({
    channels: distinctChannels.optional().describe('Every channel gets a code at once; or give fallback'),
    fallback: fallbackSchema.optional(),
    recipients: recipientsSchema,
    config: sessionConfigOverridesSchema.optional(),
    verification: verificationSchema.default({ mode: 'all' }),
    metadata: metadataSchema
      .superRefine((metadata, ctx) => {
        if ('purpose' in metadata && !purposeSchema.safeParse(metadata.purpose).success)
          ctx.addIssue({ code: 'custom', path: ['purpose'], message: `a string of ${PURPOSE_RULE}` });
      })
      .meta({
        description: `${metadataSchema.description}; \`purpose\`, when present, is a string of ${PURPOSE_RULE}`,
        properties: { purpose: { type: 'string', pattern: PURPOSE.source } },
      })
      .default({}),
    sandbox_mode: z.boolean().default(false),
    locale: localeSchema
      .optional()
      .describe(
        "SPEC §12: the messages' language, BCP 47 `ll` or `ll-RR` (e.g. `pt-BR`); default the tenant's, else the phone number's country's, else `en`",
      ),
  })
  .superRefine((body, ctx) => {
    if ((body.channels === undefined) === (body.fallback === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['channels'],
        message: 'give exactly one of channels and fallback',
      });
      return;
    }
    if (body.fallback && body.verification.mode === 'channels') {
      ctx.addIssue({
        code: 'custom',
        path: ['verification'],
        message: "a fallback session verifies with any reached channel's code: leave verification out",
      });
    }
    const channels = sessionChannelsOf(body);
    for (const channel of channels) {
      if (body.recipients[channel] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['recipients', channel],
          message: `a recipient is required for ${channel}`,
        });
      }
    }
    if (body.verification.mode === 'channels') {
      for (const [index, channel] of body.verification.channels.entries()) {
        if (!channels.includes(channel)) {
          ctx.addIssue({
            code: 'custom',
            path: ['verification', 'channels', index],
            message: `${channel} is not one of the session's channels`,
          });
        }
      }
    }
  })
  .meta({ oneOf: [{ required: ['channels'] }, { required: ['fallback'] }] });

/** The channels a send opens its session with: its `channels`, or its fallback chain in order. */
export function sessionChannelsOf(body: {
  channels?: Channel[];
  fallback?: { channels: Channel[] };
}): Channel[] {
  return body.fallback?.channels ?? body.channels ?? [];
}

const sessionToken = z.string().min(1).max(4096);

/** `token` and `session_token` name the same thing; a request gives one (or both, equal). */
/**
 * The token rule as the OpenAPI document states it: exactly one of the two names. (The API also
 * takes both when they are equal; a document cannot say "equal", so it states the stricter rule.)
 */
const ONE_TOKEN_RULE = {
  oneOf: [{ required: ['token'] }, { required: ['session_token'] }],
  description: 'Give the session token as `token` or as `session_token` (one of them)',
};

function oneToken(body: { token?: string; session_token?: string }, ctx: z.RefinementCtx): void {
  if (body.token === undefined && body.session_token === undefined) {
    ctx.addIssue({ code: 'custom', path: ['token'], message: 'token (or session_token) is required' });
  } else if (
    body.token !== undefined &&
    body.session_token !== undefined &&
    body.token !== body.session_token
  ) {
    ctx.addIssue({ code: 'custom', path: ['session_token'], message: 'token and session_token differ' });
  }
}

export const verifyRequestSchema = z
  .strictObject({
    token: sessionToken.optional(),
    session_token: sessionToken.optional().describe('alias of token'),
    otps: z
      .partialRecord(channelSchema, z.string().min(1).max(32))
      .refine((otps) => Object.keys(otps).length > 0, 'submit a code for at least one channel')
      .meta({ minProperties: 1, examples: [{ email: '482913' }] }),
  })
  .superRefine(oneToken)
  .meta(ONE_TOKEN_RULE);

export const resendRequestSchema = z
  .strictObject({
    session_token: sessionToken.optional(),
    token: sessionToken.optional().describe('alias of session_token'),
    channels: distinctChannels
      .optional()
      .describe('resend only to these channels (default: every unverified one)'),
  })
  .superRefine(oneToken)
  .meta(ONE_TOKEN_RULE);

export const sessionStatusSchema = z.enum([
  'pending',
  'partial',
  'verified',
  'locked',
  'expired',
  'cancelled',
  'failed',
]);

const isoDateTime = z.iso.datetime({ offset: true });
/**
 * A filter's timestamp: RFC 3339 whose instant, in UTC, falls in years 0001–9999, the range the
 * visibility query can hold (`9999-12-31T23:59:59-14:00` is in year 10000 in UTC).
 */
const queryDateTime = isoDateTime.refine((value) => {
  const year = new Date(value).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, 'must fall between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z');

export const listSessionsQuerySchema = z.strictObject({
  status: sessionStatusSchema.optional(),
  channel: channelSchema.optional(),
  sandbox: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  purpose: purposeSchema.optional().describe('metadata.purpose, exactly'),
  created_after: queryDateTime.optional(),
  created_before: queryDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(1024).optional().describe('next_cursor of the previous page'),
});

export const sessionIdSchema = z.string().regex(/^ses_[0-9a-f]{32}$/);

/** The Idempotency-Key header of send, verify, resend and cancel. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1–255 printable ASCII characters')
  .meta({
    minLength: 1,
    maxLength: 255,
    description: '1–255 printable ASCII characters (0x21–0x7E: no spaces, no control characters)',
    examples: ['order-8841-login'],
  });

// Responses.

const deliveryStateSchema = z
  .enum(['waiting', 'queued', 'sent', 'delivered', 'undelivered', 'sandbox', 'failed'])
  .describe(
    "waiting: a fallback channel not reached yet; delivered / undelivered: the provider's receipt (SPEC §9)",
  );
const sandboxOtpsSchema = z
  .partialRecord(channelSchema, z.string())
  .describe('The codes of a sandbox session; never present for a live session');
const channelDeliverySchema = z.partialRecord(
  channelSchema,
  z.strictObject({ delivery: deliveryStateSchema }),
);

const sandboxFlagSchema = z
  .boolean()
  .describe('A sandbox session: its codes were handed to the caller, no message reached anyone');

export const sendResponseSchema = z.strictObject({
  success: z.literal(true),
  session_id: sessionIdSchema,
  session_token: z.string(),
  status: sessionStatusSchema,
  expires_at: isoDateTime,
  channels: channelDeliverySchema,
  sandbox_otps: sandboxOtpsSchema.optional(),
});

const channelVerifyResultSchema = z
  .enum(['verified', 'invalid', 'already_verified', 'not_checked'])
  .describe(
    'not_checked: the call spent its remaining attempts on other channels; this code was not compared',
  );

export const verifyResponseSchema = z.strictObject({
  success: z.literal(true),
  status: sessionStatusSchema,
  results: z.partialRecord(channelSchema, channelVerifyResultSchema),
  verified_channels: z.array(channelSchema),
  pending_channels: z.array(channelSchema),
  attempts_remaining: z.int().min(0),
  session_id: sessionIdSchema,
  sandbox: sandboxFlagSchema,
  metadata: metadataSchema,
});

export const resendResponseSchema = z.strictObject({
  success: z.literal(true),
  message: z.literal('OTP resent successfully'),
  sandbox: sandboxFlagSchema,
  expires_at: isoDateTime,
  resends_remaining: z.int().min(0),
  next_resend_at: isoDateTime.nullable(),
  channels: channelDeliverySchema,
  sandbox_otps: sandboxOtpsSchema.optional(),
});

const timelineEventSchema = z.strictObject({
  type: z.enum([
    'created',
    'sent',
    'delivery_failed',
    'attempt_failed',
    'verified',
    'resent',
    'locked',
    'unlocked',
    'expired',
    'cancelled',
    'failed',
    'delivered',
    'undelivered',
    'fallback',
    'fallback_refused',
    'webhook_sent',
    'webhook_failed',
  ]),
  at: isoDateTime,
  channels: z.array(channelSchema).optional(),
  reason: z.string().optional(),
  locale: z.string().optional().describe('sent: the language the message was written in (SPEC §12)'),
  webhook: z
    .strictObject({
      id: z.string().describe('The webhook-id header: the same for every attempt of one event'),
      event: z.enum(WEBHOOK_EVENTS),
      host: z
        .string()
        .describe(
          "The endpoint's host (and port): never its path or query, which may hold the receiver's secrets",
        ),
      attempts: z
        .int()
        .min(0)
        .describe(
          'Attempts until the endpoint took it; 0 on webhook_failed, given up after 24 h (the count is not kept)',
        ),
    })
    .optional(),
});

export const sessionDetailSchema = z.strictObject({
  session_id: sessionIdSchema,
  tenant_id: z.string(),
  status: sessionStatusSchema,
  sandbox: sandboxFlagSchema,
  key_mode: z
    .enum(['live', 'test'])
    .describe('The mode of the key that opened the session; only keys of that mode see it'),
  locale: z.string().describe('The language of its messages, a BCP 47 tag (SPEC §12)'),
  channels: z.partialRecord(
    channelSchema,
    z.strictObject({
      recipient: z.string(),
      delivery: deliveryStateSchema,
      verified: z.boolean(),
      verified_at: isoDateTime.nullable(),
      required: z.boolean(),
      code_expires_at: isoDateTime
        .nullable()
        .optional()
        .describe("When this channel's current code stops working; null once verified"),
      test_recipient: z
        .literal(true)
        .optional()
        .describe(
          "One of the tenant's test recipients (SPEC §12): fixed code, nothing sent, nothing charged",
        ),
      country: z
        .string()
        .optional()
        .describe("Phone channels: the number's country, ISO 3166-1 alpha-2 (SPEC §11)"),
      number_type: z
        .enum(NUMBER_TYPES)
        .optional()
        .describe('Phone channels: the number type (libphonenumber)'),
    }),
  ),
  verification: verificationSchema,
  verified_channels: z.array(channelSchema),
  pending_channels: z.array(channelSchema),
  attempts: z.strictObject({ failed: z.int(), max: z.int(), remaining: z.int() }),
  resends: z.strictObject({
    used: z.int(),
    max: z.int(),
    remaining: z.int(),
    next_resend_at: isoDateTime.nullable(),
  }),
  config: sessionConfigSchema,
  created_at: isoDateTime,
  expires_at: isoDateTime,
  locked_until: isoDateTime.nullable(),
  metadata: metadataSchema,
  events: z.array(timelineEventSchema),
  cost: z.int().min(0).describe('Credits the live messages of this session cost (0 for sandbox)'),
  fallback: fallbackSchema
    .extend({
      next_fallback_at: isoDateTime
        .nullable()
        .describe('When the next channel gets a code unless the session is verified first'),
    })
    .optional(),
  temporal_ui_url: z
    .url()
    .nullable()
    .describe("The session's history in the Temporal Web UI (null when no UI is configured)"),
});

export const sessionSummarySchema = z.strictObject({
  session_id: sessionIdSchema,
  status: sessionStatusSchema,
  channels: z.array(channelSchema),
  sandbox: z.boolean(),
  purpose: z.string().nullable(),
  created_at: isoDateTime,
  closed_at: isoDateTime.nullable(),
});

export const sessionListSchema = z.strictObject({
  data: z.array(sessionSummarySchema).describe('Newest first'),
  next_cursor: z.string().nullable(),
});

export const healthSchema = z.strictObject({ status: z.literal('ok') });
export const readinessSchema = z.strictObject({
  status: z.enum(['ready', 'unavailable']),
  reason: z
    .enum(['temporal_unreachable', 'no_worker_polling'])
    .optional()
    .describe('Why not ready (the details are in the API log)'),
});

export const errorSchema = z.object({
  statusCode: z.int(),
  message: z.string(),
  error: z.string().describe('The HTTP reason phrase'),
  code: z.enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]]),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retry_after: z.int().optional().describe('seconds (also sent as the Retry-After header)'),
  reason: z
    .enum(FRAUD_REFUSAL_REASONS)
    .optional()
    .describe('recipient_blocked: the number type, the country, or suspected SMS pumping (SPEC §11)'),
  channel: channelSchema.optional().describe('recipient_blocked: the channel whose recipient is refused'),
  attempts_remaining: z.int().optional(),
  results: z.partialRecord(channelSchema, channelVerifyResultSchema).optional(),
});

export type SendRequest = z.infer<typeof sendRequestSchema>;
export type VerifyRequestBody = z.infer<typeof verifyRequestSchema>;
export type ResendRequestBody = z.infer<typeof resendRequestSchema>;
export type ListSessionsQuery = z.infer<typeof listSessionsQuerySchema>;
export type SendResponse = z.infer<typeof sendResponseSchema>;
export type VerifyResponse = z.infer<typeof verifyResponseSchema>;
export type ResendResponse = z.infer<typeof resendResponseSchema>;
export type SessionDetail = z.infer<typeof sessionDetailSchema>;
export type SessionSummary = z.infer<typeof sessionSummarySchema>;
export type SessionList = z.infer<typeof sessionListSchema>;
export type Readiness = z.infer<typeof readinessSchema>;

export const balanceResponseSchema = z.strictObject({
  credits: z.int().nullable().describe("The tenant's balance; null for a tenant without a balance limit"),
});
export type BalanceResponse = z.infer<typeof balanceResponseSchema>;

export const creditChangeSchema = z
  .strictObject({
    set: z.int().min(0).optional().describe('The new balance'),
    add: z.int().optional().describe('Credits to add (negative: to take away)'),
    reason: z.string().max(200).optional().describe('Kept in the audit trail'),
  })
  .refine((change) => (change.set === undefined) !== (change.add === undefined), {
    message: 'give exactly one of set and add',
  });

const phoneChannelSchema = z.enum(PHONE_CHANNELS);
const fraudScopeSchema = z.enum(['range', 'country']);

/** SPEC §11: GET /api/v1/admin/tenants/:id/fraud. */
export const fraudOverviewSchema = z.strictObject({
  window_minutes: z.int().describe("The detector's sliding window"),
  blocks: z.array(
    z.strictObject({
      channel: phoneChannelSchema,
      scope: fraudScopeSchema,
      subject: z.string().describe('The range (an E.164 prefix) or the country (ISO 3166-1 alpha-2)'),
      key: z
        .string()
        .describe('`<channel>:<subject>`: the key that lifts it (DELETE …/fraud/blocks/{scope}/{key})'),
      until: isoDateTime,
      blocks_in_24h: z.int().describe('This block included: each one within 24 h lasts twice the last'),
    }),
  ),
  countries: z.array(
    z.strictObject({
      channel: phoneChannelSchema,
      country: z.string(),
      sends: z.int(),
      verified: z.int(),
      conversion: z.number().nullable().describe('verified / sends'),
    }),
  ),
});
export type FraudOverview = z.infer<typeof fraudOverviewSchema>;

/** The path of DELETE /api/v1/admin/tenants/:id/fraud/blocks/:scope/:key. */
export const fraudBlockPathSchema = z.object({
  scope: fraudScopeSchema,
  key: z
    .string()
    .regex(
      new RegExp(`^(${PHONE_CHANNELS.join('|')}):(\\+\\d{1,15}|[A-Z]{2})$`),
      'must be <channel>:<range or country>, e.g. sms:+1415555',
    )
    .transform((key) => {
      const at = key.indexOf(':');
      return [key.slice(0, at) as (typeof PHONE_CHANNELS)[number], key.slice(at + 1)] as const;
    }),
});

const isoDate = z.iso.date();
/** How many days one insights query may span. */
export const INSIGHTS_MAX_DAYS = 92;

/** SPEC §11: GET /insights; `to` defaults to today and `from` to six days before it (UTC). */
export const insightsQuerySchema = z
  .strictObject({
    from: isoDate.optional(),
    to: isoDate.optional(),
    group_by: z.enum(['channel', 'country', 'purpose']).default('channel'),
  })
  .transform(({ from, to, group_by }) => {
    const end = to ?? new Date().toISOString().slice(0, 10);
    const start = from ?? new Date(Date.parse(end) - 6 * 86_400_000).toISOString().slice(0, 10);
    return { from: start, to: end, group_by };
  })
  .refine(({ from, to }) => from <= to, { message: 'from must not be after to', path: ['from'] })
  .refine(({ from, to }) => (Date.parse(to) - Date.parse(from)) / 86_400_000 < INSIGHTS_MAX_DAYS, {
    message: `at most ${INSIGHTS_MAX_DAYS} days`,
    path: ['from'],
  });

export const insightsResponseSchema = z.strictObject({
  from: isoDate,
  to: isoDate,
  group_by: z.enum(['channel', 'country', 'purpose']),
  data: z.array(
    z.strictObject({
      date: isoDate,
      value: z
        .string()
        .describe('The channel, country (ISO 3166-1 alpha-2, or "unknown") or purpose ("none")'),
      sends: z.int().describe('Messages sent (first sends, resends, fallback steps)'),
      verified: z
        .int()
        .describe('Sessions verified, counted under each channel and country they were sent on'),
      conversion: z.number().nullable().describe('verified / sends'),
      credits: z
        .int()
        .describe('Credits the messages cost (0 for a tenant without a balance, and in sandbox)'),
    }),
  ),
});
export type InsightsResponse = z.infer<typeof insightsResponseSchema>;
