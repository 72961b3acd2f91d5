/** The delivery channels a session can use. Pure module: safe to import from workflow code. */
export const CHANNELS = ['email', 'sms', 'whatsapp', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Credits one live message costs, per channel (SPEC §5, §12); sandbox messages cost nothing. */
export const CHANNEL_PRICES: Readonly<Record<Channel, number>> = {
  email: 1,
  sms: 5,
  whatsapp: 3,
  voice: 8,
};

/** Channels whose recipient is a phone number: parsed, typed and watched by the fraud defence (SPEC §11). */
export const PHONE_CHANNELS = ['sms', 'whatsapp', 'voice'] as const satisfies readonly Channel[];
export type PhoneChannel = (typeof PHONE_CHANNELS)[number];

export const isPhoneChannel = (channel: Channel): channel is PhoneChannel =>
  (PHONE_CHANNELS as readonly Channel[]).includes(channel);
