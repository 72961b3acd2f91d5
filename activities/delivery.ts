/**
 * The contract every delivery provider implements. A sender delivers one message with one code;
 * it never logs the code and never puts it into an error message.
 */
import type { Channel } from '../workflows/channels';
import type { MessageTemplates } from '../workflows/session-types';

export interface OtpMessage {
  channel: Channel;
  /** Email address, or E.164 phone number (without any `whatsapp:` prefix). */
  to: string;
  code: string;
  expiryMinutes: number;
  appName: string;
  templates: MessageTemplates;
  /** SPEC §12: the BCP 47 tag the message is written in (activities/locales). */
  locale: string;
  /** Where the provider reports what became of the message (Twilio's StatusCallback), if anywhere. */
  statusCallback?: string;
}

export interface DeliveryReceipt {
  /** The provider's id for the message (SMTP message-id, Twilio SID). */
  providerMessageId: string;
}

export interface SendOptions {
  /**
   * Aborts the send while the provider has not accepted the message yet: the send then rejects
   * with DeliveryCancelled. A send the provider already answered is not undone.
   */
  signal?: AbortSignal;
}

export interface ChannelSender {
  send(message: OtpMessage, options?: SendOptions): Promise<DeliveryReceipt>;
  /** Release pooled connections. */
  close?(): Promise<void>;
}

/**
 * A failed delivery. `permanent` failures (invalid recipient, SMTP 5xx, Twilio 21211…) are not
 * retried; transient ones (timeouts, 5xx, SMTP 4xx) are retried by the activity's retry policy.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly providerCode?: string | number,
    /** The provider refused our credentials (Twilio 401/20003, SMTP 535): an operator must act. */
    readonly credentials = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * The send was aborted (SendOptions.signal) before the provider accepted the message. The
 * connection or request carrying it was torn down; a provider that had already received all of
 * it may still deliver it (see README, Delivery).
 */
export class DeliveryCancelled extends Error {
  constructor(message = 'Delivery cancelled before the provider accepted the message') {
    super(message);
    this.name = 'DeliveryCancelled';
  }
}
