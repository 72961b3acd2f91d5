/**
 * What the demo page says for each error code, in words for the person at the screen. Typed by
 * the catalogue, so a new code cannot ship without its message. `{retry_after}` and
 * `{attempts_remaining}` are filled from the error's body.
 */
import type { ErrorCode } from '../../workflows/errors';

export const DEMO_MESSAGES: Record<ErrorCode, string> = {
  validation_error: 'That does not look right: {details}.',
  invalid_json: 'The page sent something the server could not read. Reload the page.',
  invalid_api_key: 'The demo is not set up with a valid key. Restart make run.',
  session_not_found: 'This verification is unknown or has ended. Send a new code.',
  session_expired: 'This code has expired. Send a new one.',
  already_verified: 'This code was already verified.',
  session_locked: 'Too many wrong codes: this verification is locked. Send a new code later.',
  session_cancelled: 'This verification was cancelled. Send a new code.',
  session_failed: 'We could not deliver the code. Check the address and send again.',
  invalid_otp: 'That code is not right. {attempts_remaining} attempts left.',
  code_not_active: 'This code cannot be used any more. Ask for a new one.',
  max_attempts_exceeded: 'That code is not right, and that was the last attempt: send a new code.',
  insufficient_balance: 'The account has no credits left for this message.',
  forbidden: 'The server refused this request. Reload the page.',
  recipient_blocked: 'Codes cannot be sent to this number. Use another number or email.',
  not_found: 'The demo could not find that page.',
  method_not_allowed: 'The page made a request the server does not take. Reload the page.',
  payload_too_large: 'That is too long.',
  unsupported_media_type: 'The page sent something the server could not read. Reload the page.',
  idempotency_key_reused: 'This request was already made with other details.',
  cooldown_active: 'Please wait {retry_after} seconds before asking for another code.',
  resend_limit_reached: 'No more codes can be sent for this verification. Start again.',
  rate_limited: 'Too many codes were requested. Try again in {retry_after} seconds.',
  internal_error: 'Something went wrong on our side. Try again.',
  service_unavailable: 'The service is busy or down. Try again in a moment.',
};
