/**
 * The typed client against the real API + worker + dev server (test/support/api-env): its types
 * are what openapi-typescript makes of the live GET /openapi.json (the drift check), the example
 * runs, and refusals arrive as OtpApiError with the API's code and extras.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventually, KEYS, startApiEnv, type ApiTestEnv } from '../../../test/support/api-env';
import { sendVerifyResend } from '../examples/send-verify-resend';
import { createOtpClient, isOtpApiError, OtpApiError, OtpTransportError, type OtpClient } from '../src';

const SCHEMA_FILE = path.join(__dirname, '../src/schema.ts');

/** What `npm run client:generate` writes for this document (its script, run as it runs). */
function typesFromDocument(document: unknown): string {
  return execFileSync(process.execPath, [path.join(__dirname, '../scripts/generate.js'), '--stdout'], {
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
}

let t: ApiTestEnv;
let otp: OtpClient;
beforeAll(async () => {
  t = await startApiEnv();
  otp = createOtpClient({ baseUrl: `${t.api.url}/`, apiKey: KEYS.acmeTest });
}, 60_000);
afterAll(() => t?.close());

/** The rejection of a call, which must be one. */
async function refusal(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (err: unknown) => err,
  );
}

describe('generated types', () => {
  it('are what openapi-typescript makes of the live /openapi.json (else: npm run client:generate)', async () => {
    const live = await t.call('GET', '/openapi.json');
    expect(live.status).toBe(200);
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    const generated = typesFromDocument(live.body);
    // A plain boolean first: a drift fails with one line that says what to do, not a 1,400-line diff.
    if (generated !== committed) {
      throw new Error(`${SCHEMA_FILE} is out of date with GET /openapi.json: run npm run client:generate`);
    }
    expect(generated).toContain('"/api/v1/otp/send"');
  });

  it('notices a drift: a changed document gives other types', async () => {
    const live = (await t.call<Record<string, any>>('GET', '/openapi.json')).body; // eslint-disable-line @typescript-eslint/no-explicit-any
    live.components.schemas.SendRequest.properties.channels.description = 'changed';
    expect(typesFromDocument(live)).not.toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });
});

describe('the example', () => {
  it('sends, gets a wrong code refused with the attempts left, resends and verifies', async () => {
    const lines: string[] = [];
    const verified = await sendVerifyResend(otp, 'example@example.com', (line) => lines.push(line));
    expect(verified).toEqual(
      expect.objectContaining({ success: true, status: 'verified', verified_channels: ['email'] }),
    );
    expect(lines).toEqual([
      expect.stringMatching(/^sent: session ses_[0-9a-f]{32}/),
      'wrong code: 2 attempts left',
      expect.stringMatching(/^resent: 2 resends left/),
      'verify: verified',
    ]);
  });
});

describe('typed calls and errors', () => {
  it('reads, lists and cancels sessions', async () => {
    const sent = await otp.send({
      channels: ['sms'],
      recipients: { sms: '+14155550100' },
      metadata: { purpose: 'typed' },
    });
    const detail = await otp.getSession(sent.session_id);
    expect(detail).toEqual(
      expect.objectContaining({ session_id: sent.session_id, status: 'pending', sandbox: true }),
    );
    expect(detail.temporal_ui_url).toContain(`otp-acme-${sent.session_id}`);
    const cancelled = await otp.cancelSession(sent.session_id);
    expect(cancelled.status).toBe('cancelled');
    // Listing reads Temporal's visibility, which is eventually consistent.
    const list = await eventually(
      () => otp.listSessions({ purpose: 'typed', limit: 5 }),
      (page) => page.data.some((s) => s.session_id === sent.session_id),
    );
    expect(list.data.map((s) => s.session_id)).toContain(sent.session_id);
    expect(await otp.balance()).toEqual({ credits: null });
  });

  it('repeats a send with the same Idempotency-Key as the same session', async () => {
    const body = { channels: ['email' as const], recipients: { email: 'same@example.com' } };
    const first = await otp.send(body, { idempotencyKey: 'client-test-1' });
    const again = await otp.send(body, { idempotencyKey: 'client-test-1' });
    expect(again.session_id).toBe(first.session_id);
    const reused = await refusal(
      otp.send({ ...body, metadata: { other: true } }, { idempotencyKey: 'client-test-1' }),
    );
    expect(isOtpApiError(reused, 'idempotency_key_reused')).toBe(true);
  });

  it('throws OtpApiError with the code, status and extras of each refusal', async () => {
    const sent = await otp.send({ channels: ['email'], recipients: { email: 'typed@example.com' } });

    const wrong = await refusal(otp.verify({ token: sent.session_token, otps: { email: 'nope' } }));
    expect(wrong).toBeInstanceOf(OtpApiError);
    if (!isOtpApiError(wrong, 'invalid_otp')) throw wrong;
    expect(wrong.status).toBe(400);
    expect(wrong.body.attempts_remaining).toBe(2);
    expect(wrong.body.results).toEqual({ email: 'invalid' });
    expect(wrong.requestId).toEqual(expect.any(String));

    // The tenant's default cooldown is 60 s: a resend now is refused, with when to try again.
    const early = await refusal(otp.resend({ session_token: sent.session_token }));
    if (!isOtpApiError(early, 'cooldown_active')) throw early;
    expect(early.status).toBe(429);
    expect(early.retryAfter).toBeGreaterThan(50);

    const unknown = await refusal(otp.verify({ token: 'not-a-token', otps: { email: '123456' } }));
    expect(isOtpApiError(unknown, 'session_not_found')).toBe(true);

    const invalid = await refusal(otp.send({ channels: ['email'], recipients: {} }));
    if (!isOtpApiError(invalid, 'validation_error')) throw invalid;
    expect(invalid.body.details).toEqual([
      { path: 'recipients.email', message: 'a recipient is required for email' },
    ]);

    const badKey = createOtpClient({ baseUrl: t.api.url, apiKey: 'sk_test_nope' });
    const unauthorized = await refusal(badKey.balance());
    expect(isOtpApiError(unauthorized, 'invalid_api_key')).toBe(true);
    expect((unauthorized as OtpApiError).status).toBe(401);
  });

  it('tells an answer that is not the API’s from a refusal', async () => {
    const nowhere = createOtpClient({ baseUrl: 'http://127.0.0.1:9', apiKey: KEYS.acmeTest });
    expect(await refusal(nowhere.balance())).toBeInstanceOf(OtpTransportError);
  });
});
