/**
 * Where cross-session rate limits and credits (SPEC §5, issue 5) plug into the API. Each hook
 * runs after authentication and validation and before the workflow is touched; it refuses a
 * request by throwing an ApiError (`rate_limited` with `retry_after`, `insufficient_balance`).
 * The API itself enforces none of these rules.
 */
import type { Channel } from '../../workflows/channels';
import type { SessionConfig } from '../../workflows/session-types';
import type { ApiCaller } from '../tenants';

export interface SendAttempt {
  caller: ApiCaller;
  clientIp: string;
  sandbox: boolean;
  channels: Channel[];
  recipients: Partial<Record<Channel, string>>;
  config: SessionConfig;
  /** Set when the request carries an Idempotency-Key (a repeat must not be charged twice). */
  idempotent: boolean;
}

export interface SessionAttempt {
  caller: ApiCaller;
  clientIp: string;
  sessionId: string;
}

export interface SessionGuards {
  beforeSend(attempt: SendAttempt): Promise<void>;
  beforeResend(attempt: SessionAttempt): Promise<void>;
  beforeVerify(attempt: SessionAttempt): Promise<void>;
}

/** Until issue 5: every request passes. */
export const noGuards: SessionGuards = {
  beforeSend: async () => undefined,
  beforeResend: async () => undefined,
  beforeVerify: async () => undefined,
};
