/** The delivery channels a session can use. Pure module: safe to import from workflow code. */
export const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];
