/**
 * The one error catalogue (SPEC §4): each code's HTTP status and message, defined once and used
 * by the session rules, by the workflow's ApplicationFailures and by the API's error mapping.
 * Pure module: safe to import from workflow code.
 */
export const ERROR_CATALOGUE = {
  validation_error: { status: 400, message: 'Validation failed' },
  invalid_json: { status: 400, message: 'Malformed JSON body' },
  invalid_api_key: { status: 401, message: 'Invalid API key' },
  session_not_found: { status: 400, message: 'Session not found' },
  session_expired: { status: 400, message: 'OTP expired' },
  already_verified: { status: 400, message: 'Session already verified' },
  session_locked: { status: 400, message: 'Session is locked due to too many failed attempts' },
  session_cancelled: { status: 400, message: 'Session was cancelled' },
  session_failed: { status: 400, message: 'Delivery failed on every channel of this session' },
  invalid_otp: { status: 400, message: 'Invalid OTP' },
  code_not_active: { status: 400, message: 'No active code for this channel: request a resend' },
  max_attempts_exceeded: { status: 400, message: 'Maximum verification attempts exceeded' },
  insufficient_balance: { status: 402, message: 'Insufficient balance for this send' },
  forbidden: { status: 403, message: 'Missing or invalid request signature' },
  recipient_blocked: { status: 403, message: 'This recipient cannot be sent to' },
  not_found: { status: 404, message: 'Not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  payload_too_large: { status: 413, message: 'Request body exceeds 64 KiB' },
  unsupported_media_type: { status: 415, message: 'Request body must be application/json' },
  idempotency_key_reused: {
    status: 422,
    message: 'Idempotency-Key was already used with a different request body',
  },
  cooldown_active: { status: 429, message: 'Please wait before requesting another code' },
  resend_limit_reached: { status: 429, message: 'Maximum number of resends reached' },
  rate_limited: { status: 429, message: 'Too many requests' },
  internal_error: { status: 500, message: 'Internal server error' },
  service_unavailable: { status: 503, message: 'Service temporarily unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Why a recipient is blocked (SPEC §11): its number type, its country, or suspected pumping. */
export const FRAUD_REFUSAL_REASONS = ['number_type', 'country', 'suspected_fraud'] as const;
export type FraudRefusalReason = (typeof FRAUD_REFUSAL_REASONS)[number];

/** Extra fields an error body may carry besides code/message (SPEC §4). */
export interface ErrorExtras {
  retry_after?: number;
  /** recipient_blocked: why (SPEC §11), and which channel's recipient. */
  reason?: FraudRefusalReason;
  channel?: string;
  attempts_remaining?: number;
  results?: Record<string, string>;
  details?: unknown;
}

/** A session rule refused a request. The workflow turns it into an ApplicationFailure of the same type. */
export class RuleViolation extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly extras: ErrorExtras = {},
    message: string = ERROR_CATALOGUE[code].message,
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}

/** ApplicationFailure types of the delivery activity: a permanent failure is not retried. */
export const DELIVERY_FAILED = 'DeliveryFailed';
export const DELIVERY_UNAVAILABLE = 'DeliveryUnavailable';
/** The provider refused our credentials: retried slowly, counted for paging; the message did not go out. */
export const PROVIDER_CREDENTIALS = 'ProviderCredentials';
