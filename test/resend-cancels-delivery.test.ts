/**
 * Over HTTP, against the real API, worker and dev server: a live send whose email waits on a slow
 * SMTP server, then a resend. The resend cancels the first delivery in flight (heartbeat, abort
 * of the SMTP transaction), so only the new code ever arrives, and it verifies.
 */
import { KEYS, lastEmailedCode, startApiEnv, type ApiTestEnv } from './support/api-env';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Longer than the test: the first delivery would wait this long for the server. */
const SLOW_MS = 120_000;
const TO = 'slow-server@example.com';

let t: ApiTestEnv;
/** The next MAIL FROM the sink receives is answered only after SLOW_MS. */
let slowNext = false;

function mailFromDelay(): number {
  if (!slowNext) return 0;
  slowNext = false;
  return SLOW_MS;
}

beforeAll(async () => {
  // The sender waits on the slow server longer than the test lasts: the first delivery stays in
  // flight (one attempt) until the resend cancels it.
  t = await startApiEnv({ smtp: { mailFromDelayMs: mailFromDelay }, emailTimeoutMs: SLOW_MS });
}, 60_000);
afterAll(() => t?.close());

const post = (path: string, body: Json) =>
  t.call<Json>('POST', `/api/v1/otp${path}`, { key: KEYS.acmeLive, body });

it('a resend cancels the delivery waiting on a slow SMTP server: only the new code arrives', async () => {
  slowNext = true;
  const firstDelivery = t.smtp.nextMailFrom();
  const sending = post('/send', {
    channels: ['email'],
    recipients: { email: TO },
    config: { resend_cooldown_seconds: 0 },
  });
  await firstDelivery;
  // The send answers after its delivery wait, the message still in flight.
  const sent = await sending;
  expect(sent.status).toBe(201);
  expect(sent.body.channels.email.delivery).toBe('queued');

  const firstConnectionClosed = t.smtp.nextClose();
  const resent = await post('/resend', { session_token: sent.body.session_token });
  expect(resent.status).toBe(200);
  expect(resent.body.channels.email.delivery).toBe('sent');

  // The superseded delivery gives up its connection once its cancellation reaches it: its
  // message can no longer arrive.
  await firstConnectionClosed;
  expect(t.smtp.messages.filter((mail) => mail.envelope.to.includes(TO))).toHaveLength(1);
  const code = lastEmailedCode(t.smtp, TO);
  const verified = await post('/verify', { token: sent.body.session_token, otps: { email: code } });
  expect(verified.body.status).toBe('verified');
});
