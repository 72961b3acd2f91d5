/**
 * What the workflows need of their activities: each activity's signature, input and result.
 * activities/index.ts implements this interface; the workflows know nothing else of it, so the
 * deterministic side never imports the side that touches the outside world.
 */
import type { Channel, PhoneChannel } from './channels';
import type { WebhookEvent } from './session-rules';
import type {
  CodeType,
  MessageInsight,
  MessageTemplates,
  SessionInsight,
  TenantPolicy,
} from './session-types';

export interface IssueCodeInput {
  session_id: string;
  channel: Channel;
  recipient: string;
  issue: number;
  otp_length: number;
  code_type: CodeType;
  expiry_minutes: number;
  app_name: string;
  templates: MessageTemplates;
  /** SPEC §12: the session's locale. */
  locale: string;
  sandbox: boolean;
  /** What the insights count the message under (SPEC §11). */
  insight: MessageInsight;
  /** Live sessions: whose credits pay for the message. */
  tenant?: TenantPolicy;
}

export interface IssuedCode {
  code_hash: string;
  /** Sandbox sessions only. */
  sandbox_code?: string;
  provider_message_id?: string;
}

/** Whose verification a check records: the recipient of its one channel, in the session's scope. */
export type CheckRecord = Omit<
  RecordVerificationInput,
  'failed' | 'verified' | 'verified_phones' | 'verified_session'
> & {
  channel: Channel;
  recipient: string;
  /** Given when a match verifies the session: recorded as `verified_session` then. */
  verifies_session?: SessionInsight;
};

export interface CheckCodesInput {
  pairs: Partial<Record<Channel, { digest: string; hash: string }>>;
  /**
   * Given when the check's outcome rests on the compare alone (one channel, attempts left): its
   * recipient's verification is recorded here, a failure counted or a match's reset, as
   * recordVerification would after it.
   */
  record?: CheckRecord;
}

/**
 * Per channel, whether its digest matched. `recorded`: the outcome was also recorded
 * (CheckCodesInput.record), so the session owes no recordVerification for it.
 */
export type CodeMatches = Partial<Record<Channel, boolean>> & { recorded?: true };

export interface AdmitResendInput {
  session_id: string;
  /** The issue the resend creates: with the session, it names the debit. */
  issue: number;
  tenant: TenantPolicy;
  sandbox: boolean;
  channels: Channel[];
  recipients: Partial<Record<Channel, string>>;
  /** The caller's address; absent for a fallback step, which no caller asked for (per-recipient limits only). */
  client_ip?: string;
  /** Names this admission: a retry of the activity counts and holds nothing more (SPEC §10). */
  key: string;
}

export interface ReleaseChargesInput {
  session_id: string;
  issue: number;
  tenant: TenantPolicy;
  channels: Channel[];
}

export interface RecordVerificationInput {
  tenant: TenantPolicy;
  sandbox: boolean;
  failed: string[];
  verified: string[];
  /** The phone channels among `verified`: the fraud defence's conversion (SPEC §11). */
  verified_phones?: { channel: PhoneChannel; recipient: string }[];
  /** This verify verified the session: the insights count it once (SPEC §11). */
  verified_session?: SessionInsight;
  /** The verify's update id: a retry of the activity counts nothing more (SPEC §10). */
  key: string;
}

export interface WebhookInput {
  tenant_id: string;
  url: string;
  /** Stable per event: every attempt carries the same webhook-id. */
  id: string;
  /** `{ type, timestamp, data }`, never a code. */
  payload: { type: string; timestamp: string; data: unknown };
}

export interface WebhookResult {
  attempts: number;
}

export interface WebhookEventInput {
  tenant_id: string;
  /** Told each outcome while it still runs (its timeline); none for a tenant-wide event (fraud.blocked). */
  session_workflow_id?: string;
  event: WebhookEvent;
  payload: WebhookInput['payload'];
  urls: string[];
}

/** What startFollowUp starts: one of the workflows below, by name, with its id and arguments. */
export type FollowUpStart =
  | { workflow: 'webhookEvent'; workflow_id: string; args: [WebhookEventInput] }
  | { workflow: 'sessionBookkeeping'; workflow_id: string; args: [BookkeepingTask] };

export type BookkeepingTask =
  | { kind: 'recordVerification'; input: RecordVerificationInput }
  | { kind: 'releaseCharges'; input: ReleaseChargesInput };

export interface SessionActivities {
  /** Derives (or, in a sandbox session, draws) a code, hashes it and delivers it; admits and charges a live message. */
  issueCode(input: IssueCodeInput): Promise<IssuedCode>;
  /** Compares each digest with its hash. */
  checkCodes(input: CheckCodesInput): Promise<CodeMatches>;
  /** Counts a resend against the cross-session limits and holds its credits. */
  admitResend(input: AdmitResendInput): Promise<void>;
  /** Gives back the credits of messages that were never sent. */
  releaseCharges(input: ReleaseChargesInput): Promise<void>;
  /** One signed POST of one event to one endpoint. */
  deliverWebhook(input: WebhookInput): Promise<WebhookResult>;
  /** Starts a follow-up workflow; a second start of the same id is refused by Temporal. */
  startFollowUp(start: FollowUpStart): Promise<void>;
  /** Records verified and failed recipients for the cross-session failure limit. */
  recordVerification(input: RecordVerificationInput): Promise<void>;
}
