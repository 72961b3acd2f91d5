/**
 * Which provider delivers each channel, from the configuration. A channel with no provider is
 * left out, so its deliveries fail for good with a clear reason — except in the embedded
 * default, where the dev outbox in $DATA_DIR stands in for every unconfigured channel.
 */
import path from 'node:path';
import { createEmailSender } from './email';
import type { ChannelSender } from './delivery';
import { createOutboxSender } from './outbox';
import { createTwilioSender } from './twilio';
import { CHANNELS, type Channel } from '../workflows/channels';
import type { Config } from '../src/config/config';

export type Senders = Partial<Record<Channel, ChannelSender>>;

export function outboxDir(config: Config): string {
  return path.join(config.dataDir, 'outbox');
}

export function buildSenders(config: Config, { devOutbox }: { devOutbox: boolean }): Senders {
  const senders: Senders = {};
  if (config.smtp) senders.email = createEmailSender({ smtpUrl: config.smtp.url, from: config.smtp.from });
  const twilio = config.twilio;
  if (twilio && (twilio.smsFrom || twilio.messagingServiceSid))
    senders.sms = createTwilioSender('sms', twilio);
  if (twilio?.whatsappFrom) senders.whatsapp = createTwilioSender('whatsapp', twilio);
  if (twilio?.voiceFrom) senders.voice = createTwilioSender('voice', twilio);
  if (devOutbox) {
    const outbox = createOutboxSender(outboxDir(config));
    for (const channel of CHANNELS) senders[channel] ??= outbox;
  }
  return senders;
}

export async function closeSenders(senders: Senders): Promise<void> {
  await Promise.all([...new Set(Object.values(senders))].map((s) => s.close?.()));
}
