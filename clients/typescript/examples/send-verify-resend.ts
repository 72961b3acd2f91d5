/**
 * The typed client's round trip: send a code, get one wrong (a typed error with the attempts
 * left), resend, verify the new code. Run against `make run` with its test key, whose sessions
 * are sandbox sessions (the codes come back in the answers instead of being delivered):
 *
 *   npm run build
 *   OTP_API_URL=http://localhost:3000 OTP_API_KEY=sk_test_… node dist/clients/typescript/examples/send-verify-resend.js
 */
import { randomUUID } from 'node:crypto';
import { createOtpClient, isOtpApiError, type OtpClient, type VerifyResponse } from '../src';

export async function sendVerifyResend(
  otp: OtpClient,
  email: string,
  log: (line: string) => void = console.log,
): Promise<VerifyResponse> {
  // A retried send with the same Idempotency-Key gets the same session, not a second code.
  const sent = await otp.send(
    {
      channels: ['email'],
      recipients: { email },
      config: { resend_cooldown_seconds: 0 },
      metadata: { purpose: 'login', user_id: 'user_12345' },
    },
    { idempotencyKey: randomUUID() },
  );
  log(`sent: session ${sent.session_id}, expires at ${sent.expires_at}`);
  const code = sent.sandbox_otps?.email;
  if (!code) throw new Error('use a test key: a live session sends the code instead of returning it');

  // In an app the person types the code; here, a wrong one first.
  const wrong = code.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
  try {
    await otp.verify({ token: sent.session_token, otps: { email: wrong } });
  } catch (err) {
    if (!isOtpApiError(err, 'invalid_otp')) throw err;
    log(`wrong code: ${err.body.attempts_remaining} attempts left`);
  }

  const resent = await otp.resend({ session_token: sent.session_token });
  log(`resent: ${resent.resends_remaining} resends left, next one from ${resent.next_resend_at}`);

  const verified = await otp.verify({
    token: sent.session_token,
    otps: { email: resent.sandbox_otps!.email! },
  });
  log(`verify: ${verified.status}`);
  return verified;
}

if (require.main === module) {
  const { OTP_API_URL = 'http://localhost:3000', OTP_API_KEY } = process.env;
  if (!OTP_API_KEY) throw new Error('set OTP_API_KEY to the test key make run printed');
  sendVerifyResend(createOtpClient({ baseUrl: OTP_API_URL, apiKey: OTP_API_KEY }), 'ada@example.com').catch(
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
