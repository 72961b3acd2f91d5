/**
 * Where cross-session rate limits and credits (SPEC §5) plug into the API. Hooks run after
 * authentication and validation; a `before` hook runs before the workflow is touched, refuses a
 * request by throwing an ApiError (`rate_limited`, `insufficient_balance`,
 * `service_unavailable`) and returns what to undo if the workflow then refuses or fails. The
 * session rules themselves stay in the workflow.
 */
import type { Channel } from '../../workflows/channels';
import type { ApiCaller } from '../tenants';

export interface SendAttempt {
  caller: ApiCaller;
  /** Absent: no per-IP count here (the demo routes count their callers' IPs themselves). */
  clientIp?: string;
  sessionId: string;
  sandbox: boolean;
  channels: Channel[];
  recipients: Partial<Record<Channel, string>>;
}

export interface SessionGuards {
  beforeSend(attempt: SendAttempt): Promise<void>;
}

/** No limits, no credits: for tests of the API's own behaviour. */
export const noGuards: SessionGuards = {
  beforeSend: async () => undefined,
};
