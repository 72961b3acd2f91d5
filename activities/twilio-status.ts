/**
 * Twilio status callbacks (SPEC §9 delivery receipts): the URL a session's SMS or WhatsApp message,
 * or voice call (SPEC §12), gives Twilio as its `StatusCallback`, and what the API makes of a callback once Twilio's
 * signature over that exact URL and the posted parameters checked out.
 *
 * The URL names the session's workflow, the channel and the issue: Twilio signs it with the
 * account's auth token, so these cannot be forged, and a receipt never needs a lookup table.
 */
import { CHANNELS, type Channel } from '../workflows/channels';
import type { ProviderReceipt } from '../workflows/session-types';

export const TWILIO_STATUS_PATH = '/api/v1/otp/providers/twilio/status';

export interface ReceiptRef {
  workflowId: string;
  channel: Channel;
  issue: number;
}

/** The StatusCallback of one message, under PUBLIC_BASE_URL. */
export function statusCallbackUrl(publicBaseUrl: string, ref: ReceiptRef): string {
  const query = new URLSearchParams({
    workflow: ref.workflowId,
    channel: ref.channel,
    issue: String(ref.issue),
  });
  return `${publicBaseUrl.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}?${query}`;
}

/** Twilio's MessageStatus values that settle a message; the others (queued, sent, …) are steps on the way. */
const FINAL_MESSAGE_STATUSES: Record<string, ProviderReceipt['status']> = {
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'undelivered',
};

/**
 * Twilio's CallStatus values at a call's end (SPEC §12): answered and read out, or not. A call
 * answered by voicemail is `completed` too; Twilio cannot tell the two apart without answering
 * machine detection, which would delay every call by seconds.
 */
const FINAL_CALL_STATUSES: Record<string, ProviderReceipt['status']> = {
  completed: 'delivered',
  busy: 'undelivered',
  'no-answer': 'undelivered',
  failed: 'undelivered',
  canceled: 'undelivered',
};

const SESSION_WORKFLOW_ID = /^otp-[A-Za-z0-9_-]{1,64}-ses_[0-9a-f]{32}$/;

/**
 * A signed callback as the receipt for a session; undefined when it settles nothing (an
 * intermediate status) or names no session this product made.
 */
export function receiptOf(
  query: URLSearchParams,
  params: Record<string, string>,
): { workflowId: string; receipt: ProviderReceipt } | undefined {
  const workflowId = query.get('workflow') ?? '';
  const channel = query.get('channel') as Channel;
  const issue = Number(query.get('issue'));
  // A call's callback carries CallSid and CallStatus, a message's MessageSid and MessageStatus.
  const call = channel === 'voice';
  const status = call
    ? FINAL_CALL_STATUSES[params.CallStatus ?? '']
    : FINAL_MESSAGE_STATUSES[params.MessageStatus ?? ''];
  const messageId = call ? params.CallSid : (params.MessageSid ?? params.SmsSid);
  // An unanswered call says why in its status (busy, no-answer, …) rather than in an ErrorCode.
  const errorCode = params.ErrorCode || (call ? params.CallStatus : undefined);
  if (!status || !messageId || !SESSION_WORKFLOW_ID.test(workflowId)) return undefined;
  if (!CHANNELS.includes(channel) || !Number.isSafeInteger(issue) || issue < 1) return undefined;
  return {
    workflowId,
    receipt: {
      channel,
      issue,
      message_id: messageId,
      status,
      ...(status === 'undelivered' && errorCode ? { error_code: errorCode.slice(0, 16) } : {}),
    },
  };
}
