/** The worker's workflow bundle entry point. */
export { otpSession } from './otp-session';
export { sessionBookkeeping, webhookEvent } from './follow-ups';
