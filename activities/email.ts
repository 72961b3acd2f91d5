/** Email delivery over SMTP (SMTP_URL, EMAIL_FROM) through a pooled nodemailer transport. */
import nodemailer, { type NodemailerError } from 'nodemailer';
import { DeliveryCancelled, DeliveryError, type ChannelSender } from './delivery';
import { renderEmail } from './templates';

export interface EmailSenderOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`. */
  smtpUrl: string;
  /** `"Acme <no-reply@acme.example>"` or a bare address. */
  from: string;
  /** Longest wait on the server at any one step: connecting, the greeting, each reply. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * The per-step timeouts miss a send that waits for a free pooled connection, or a server that
 * trickles replies just fast enough to stay under them; this bounds the whole send.
 */
const SEND_DEADLINE_STEPS = 3;

export function createEmailSender({
  smtpUrl,
  from,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: EmailSenderOptions): ChannelSender {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });

  return {
    async send(message, { signal } = {}) {
      const { subject, text, html } = renderEmail(message);
      const deadline = AbortSignal.timeout(timeoutMs * SEND_DEADLINE_STEPS);
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject,
          text,
          html,
          // RFC 3834: tells vacation responders and mailing-list software not to answer.
          headers: { 'Auto-Submitted': 'auto-generated' },
          // An abort takes the message out of the pool's queue, or closes the connection carrying
          // it: a server that had not received the whole message drops the transaction.
          signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
        });
        return { providerMessageId: info.messageId };
      } catch (err) {
        if (signal?.aborted) throw new DeliveryCancelled();
        throw toDeliveryError(err as NodemailerError);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * Built only from structured fields, never from the server's free-text reply or nodemailer's
 * message: either could echo part of what was sent, and the code must not reach an error.
 */
function toDeliveryError(err: NodemailerError): DeliveryError {
  const { responseCode, command } = err;
  if (typeof responseCode === 'number') {
    const enhancedStatus = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(err.response ?? '')?.[1];
    const reply = enhancedStatus ? `${responseCode} ${enhancedStatus}` : String(responseCode);
    // RFC 5321: 5yz refuses for good, 4yz is temporary. 503 (bad sequence of commands) is about
    // the session's state, not the message, so a new connection can succeed.
    // 535 (and 530) refuse our login, not the message: retried while an operator fixes it.
    const credentials = responseCode === 535 || responseCode === 530;
    const permanent = responseCode >= 500 && responseCode !== 503 && !credentials;
    return new DeliveryError(
      `SMTP server answered ${reply} to ${command ?? 'the message'}`,
      permanent,
      responseCode,
      credentials,
    );
  }
  // No SMTP reply at all: refused or dropped connection, DNS, TLS, timeout, our own deadline.
  const detail = [err.code, err.originalCode ?? err.timeoutType].filter(Boolean).join(' ');
  return new DeliveryError(`SMTP delivery failed: ${detail || 'unknown error'}`, false, err.code);
}
