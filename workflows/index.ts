/** The worker's workflow bundle entry point. */
export { otpSession } from './otp-session';
export { tenantLedger } from './tenant-ledger';
