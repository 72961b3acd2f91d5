/**
 * Where cross-session rate limits and credits (SPEC §5) plug into the API. Hooks run after
 * authentication and validation; a `before` hook runs before the workflow is touched, refuses a
 * request by throwing an ApiError (`rate_limited`, `insufficient_balance`,
 * `service_unavailable`) and returns what to undo if the workflow then refuses or fails. The
 * session rules themselves stay in the workflow.
 */
import type { Channel } from '../../workflows/channels';
import type { ApiCaller } from '../config/tenants';

export interface SendAttempt {
  caller: ApiCaller;
  /** Absent: no per-IP count here (the demo routes count their callers' IPs themselves). */
  clientIp?: string;
  sessionId: string;
  sandbox: boolean;
  channels: Channel[];
  recipients: Partial<Record<Channel, string>>;
  /** The request fingerprint of a send with an Idempotency-Key. */
  fingerprint?: string;
}

/** Gives back what an admitted send took, when the send is refused or its session never started. */
export type UndoSend = () => Promise<void>;

export interface SessionGuards {
  beforeSend(attempt: SendAttempt): Promise<UndoSend | void>;
}

/** No limits, no credits: for tests of the API's own behaviour. */
export const noGuards: SessionGuards = {
  beforeSend: async () => undefined,
};
