/**
 * The shapes a session workflow takes and returns. Views are snake_case because they are what
 * the REST API answers with (SPEC §4): the API adds only links and never reshapes rules.
 */
import type { Channel, PhoneChannel } from './channels';

/** Per-tenant message templates (SPEC §6). `{{code}}`, `{{expiry_minutes}}`, `{{app_name}}`. */
export interface ChannelTemplates {
  otp_email?: { subject: string; text: string; html?: string };
  otp_sms?: { text: string };
  otp_whatsapp?: { content_sid?: string; text?: string };
  /** Said twice in the call; `{{code}}` is spoken digit by digit (SPEC §12). */
  otp_voice?: { text: string };
}

/**
 * A tenant's templates: the default ones, and per locale (SPEC §12) those that win for it; lookup
 * falls back pt-BR → pt → the default → the built-in wording (activities/templates.ts).
 */
export interface MessageTemplates extends ChannelTemplates {
  by_locale?: Record<string, ChannelTemplates>;
}

export interface SendLimit {
  max: number;
  window_minutes: number;
}

export interface FailureLimit {
  max: number;
  block_hours: number;
}

/** The `limits` of a tenant in the tenants file (SPEC §6); every field optional. */
export interface TenantLimitsConfig {
  limits?: {
    recipient_sends?: SendLimit;
    ip_sends?: SendLimit;
    recipient_failures?: FailureLimit;
  };
}

export type LimitedTenant = TenantLimitsConfig & { id: string };

/**
 * What the abuse controls need of a tenant. A session carries it from its start, so the worker
 * that admits its resends needs no tenants file.
 */
export type TenantPolicy = LimitedTenant & {
  credits?: number;
  fraud?: FraudPolicy;
  /** The tenant's live endpoints that want `fraud.blocked` (SPEC §11). */
  fraud_webhooks?: string[];
  /**
   * SPEC §12: recipients (normalized) whose live sessions use a fixed code, send nothing and cost
   * nothing. Their codes stay in the tenants file: the worker looks them up, history never has them.
   */
  test_recipients?: string[];
};

/** libphonenumber's number types (SPEC §11). */
export const NUMBER_TYPES = [
  'MOBILE',
  'FIXED_LINE',
  'FIXED_LINE_OR_MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
  'UNKNOWN',
] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

/** Where the pumping detector counts: a number's range, or its country. */
export type FraudScope = 'range' | 'country';

/**
 * A tenant's fraud defence for paid channels (SPEC §11), every default filled in (src/fraud/policy.ts
 * reads it from the tenants file). Sessions carry it, so the worker admitting a resend needs no
 * tenants file.
 */
export interface FraudPolicy {
  /** The number types a live message may go to, per phone channel. */
  number_types: Record<PhoneChannel, NumberType[]>;
  /** ISO 3166-1 alpha-2 countries, an allow or a deny list per phone channel; absent: every country. */
  countries: Partial<Record<PhoneChannel, { allow: string[] } | { deny: string[] }>>;
  /** E.164 numbers and prefixes the range cap and the detector never block. */
  safe_list: string[];
  /** A range is the E.164 form without this many last digits. */
  range_digits: number;
  range_sends_per_hour: number;
  detector: {
    window_minutes: number;
    min_sends: Record<FraudScope, number>;
    min_conversion: number;
    block_minutes: { first: number; max: number };
  };
}

/** What a session knows of a phone recipient once parsed (SPEC §11): shown in its detail. */
export interface PhoneFacts {
  /** ISO 3166-1 alpha-2; absent for a number of no single country (e.g. +800). */
  country?: string;
  number_type: NumberType;
}

export type CodeType = 'numeric' | 'alphanumeric' | 'alpha';

/** The characters each code type draws from, uniformly (activities/codes.ts). */
export const CODE_ALPHABETS: Readonly<Record<CodeType, string>> = {
  numeric: '0123456789',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
};

export interface SessionConfig {
  otp_length: number;
  code_type: CodeType;
  expiry_minutes: number;
  max_attempts: number;
  resend_cooldown_seconds: number;
  max_resends: number;
  /** null: a locked session stays locked until it expires. */
  lockout_minutes: number | null;
}

export type VerificationPolicy =
  { mode: 'all' } | { mode: 'any' } | { mode: 'channels'; channels: Channel[] };

export type SessionStatus =
  'pending' | 'partial' | 'verified' | 'locked' | 'expired' | 'cancelled' | 'failed';

/**
 * waiting: a fallback channel not reached yet (no code); queued: being delivered; sent: the
 * provider accepted it; delivered / undelivered: the provider's receipt said so (SPEC §9);
 * sandbox: nothing sent; failed: given up, or never sent.
 */
export type DeliveryState =
  'waiting' | 'queued' | 'sent' | 'delivered' | 'undelivered' | 'sandbox' | 'failed';

/** SPEC §9 fallback chain: one channel at a time, the next when the previous one fails or is not verified in time. */
export interface FallbackChain {
  channels: Channel[];
  after_seconds: number;
}

/** The webhook events of SPEC §9. */
export const WEBHOOK_EVENTS = [
  'session.verified',
  'session.locked',
  'session.expired',
  'session.cancelled',
  'session.failed',
  'delivery.failed',
  'delivery.delivered',
  /** Tenant-wide, live only (SPEC §11): the pumping detector blocked a range or a country. */
  'fraud.blocked',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** A tenant's webhook endpoint as a session knows it: where and what, never its secret (the worker holds that). */
export interface WebhookSubscription {
  url: string;
  events: WebhookEventType[];
}

export type Metadata = Record<string, string | number | boolean | null>;

/**
 * SPEC §7: the mode of the key that opened a session. A test key's sessions (always sandbox) are
 * visible only to test keys; a live key's (sandbox_mode included) only to live keys.
 */
export type KeyMode = 'live' | 'test';

/** Everything a session needs to run, fixed when it starts (the workflow's argument). */
export interface SessionStart {
  session_id: string;
  tenant_id: string;
  app_name: string;
  sandbox: boolean;
  /** Which key mode opened the session (SPEC §7): the other mode's keys find no such session. */
  key_mode: KeyMode;
  channels: Channel[];
  recipients: Partial<Record<Channel, string>>;
  config: SessionConfig;
  verification: VerificationPolicy;
  metadata: Metadata;
  templates: MessageTemplates;
  /** The tenant's limits and credits when the session started: the session admits its own resends. */
  tenant_policy?: TenantPolicy;
  /** SPEC §9: `channels` is the chain, in order; only its first channel gets a code at start. */
  fallback?: FallbackChain;
  /**
   * SPEC §9: the tenant's webhook endpoints when the session started, only those that receive
   * this session's mode (a sandbox session's events go only to endpoints with `test` in modes).
   */
  webhooks?: WebhookSubscription[];
  /** What the API's parse found of each phone recipient (SPEC §11), shown in the detail. */
  phones?: Partial<Record<PhoneChannel, PhoneFacts>>;
  /** SPEC §12: the language its messages are written in, resolved at send (a BCP 47 tag). */
  locale: string;
}

export type TimelineEventType =
  | 'created'
  | 'sent'
  | 'delivery_failed'
  | 'attempt_failed'
  | 'verified'
  | 'resent'
  | 'locked'
  | 'unlocked'
  | 'expired'
  | 'cancelled'
  | 'failed'
  | 'delivered'
  | 'undelivered'
  | 'fallback'
  | 'fallback_refused'
  | 'webhook_sent'
  | 'webhook_failed';

export interface TimelineEvent {
  type: TimelineEventType;
  at: string;
  channels?: Channel[];
  reason?: string;
  /** sent: the language the message was written in (SPEC §12). */
  locale?: string;
  /**
   * webhook_sent / webhook_failed: which event went to which endpoint, and after how many
   * attempts. The endpoint is named by its host only: paths and queries may hold the receiver's secrets.
   */
  webhook?: { id: string; event: WebhookEventType; host: string; attempts: number };
}

/**
 * A provider's delivery receipt (SPEC §9), as the API passes it on once its signature checked
 * out: the channel and issue come from the signed callback URL the session's delivery gave the
 * provider, the message id and outcome from the provider.
 */
export interface ProviderReceipt {
  channel: Channel;
  issue: number;
  message_id: string;
  status: 'delivered' | 'undelivered';
  /** The provider's error code for an undelivered message. */
  error_code?: string;
}

export interface ChannelView {
  recipient: string;
  delivery: DeliveryState;
  verified: boolean;
  verified_at: string | null;
  required: boolean;
  /**
   * When the channel's current code stops verifying (SPEC §7: its own issue + expiry_minutes); null
   * once the channel is verified or while a fallback chain has not reached it.
   */
  code_expires_at: string | null;
  /** SPEC §12: a live session's test recipient (fixed code, nothing sent, nothing charged). */
  test_recipient?: true;
  /** Phone channels (SPEC §11): the number's country (ISO 3166-1 alpha-2) and libphonenumber type. */
  country?: string;
  number_type?: NumberType;
}

/** The session detail of SPEC §4 (the `status` query and the workflow's result). */
export interface SessionView {
  session_id: string;
  tenant_id: string;
  /** SPEC §12: the language of its messages. */
  locale: string;
  status: SessionStatus;
  sandbox: boolean;
  key_mode: KeyMode;
  channels: Partial<Record<Channel, ChannelView>>;
  verification: VerificationPolicy;
  verified_channels: Channel[];
  pending_channels: Channel[];
  attempts: { failed: number; max: number; remaining: number };
  resends: { used: number; max: number; remaining: number; next_resend_at: string | null };
  config: SessionConfig;
  created_at: string;
  expires_at: string;
  locked_until: string | null;
  metadata: Metadata;
  events: TimelineEvent[];
  /** Credits the session's live messages cost (0 for sandbox). */
  cost: number;
  /** Fallback sessions only: the chain, and when the next channel gets a code unless verified first. */
  fallback?: FallbackChain & { next_fallback_at: string | null };
}

/**
 * Who asks (SPEC §7 key modes): a test key acts only on sandbox sessions; a live session answers
 * it as unknown. Absent means a live key.
 */
export interface CallerMode {
  test_key?: boolean;
}

/** verify's input: per channel a keyed digest of the submitted code, never the code itself. */
export interface VerifyRequest extends CallerMode {
  code_digests: Partial<Record<Channel, string>>;
}

/** not_checked: the call's attempt budget was spent on earlier channels; this code was not compared. */
export type ChannelVerifyResult = 'verified' | 'invalid' | 'already_verified' | 'not_checked';

export interface VerifyResult {
  status: SessionStatus;
  results: Partial<Record<Channel, ChannelVerifyResult>>;
  verified_channels: Channel[];
  pending_channels: Channel[];
  attempts_remaining: number;
  session_id: string;
  /** SPEC §7: a sandbox session's verification proves nothing about a real recipient. */
  sandbox: boolean;
  metadata: Metadata;
}

export interface ResendRequest extends CallerMode {
  channels?: Channel[];
  /** The client's address, for the per-IP send limit the session's admission applies. */
  client_ip?: string;
}

export type CancelRequest = CallerMode;

/** Codes of a sandbox session, handed back to the caller; always absent for live sessions. */
export type SandboxCodes = Partial<Record<Channel, string>>;

export interface SendResult {
  session: SessionView;
  sandbox_otps?: SandboxCodes;
}

export interface ResendResult {
  sandbox: boolean;
  expires_at: string;
  resends_remaining: number;
  next_resend_at: string | null;
  channels: Channel[];
  delivery: Partial<Record<Channel, DeliveryState>>;
  sandbox_otps?: SandboxCodes;
}

/** What the insights count a message under (SPEC §11): its tenant, key mode, purpose and country. */
export interface MessageInsight {
  tenant_id: string;
  key_mode: KeyMode;
  purpose?: string;
  country?: string;
}

/** What the insights count a verified session under: every channel it was sent on, every country. */
export interface SessionInsight {
  key_mode: KeyMode;
  purpose?: string;
  channels: Channel[];
  countries: string[];
}
