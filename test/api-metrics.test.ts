/**
 * The API's Prometheus metrics (SPEC §8) over HTTP against the real worker and dev server: after
 * a few flows the counters show the right counts and labels, no label holds an address, a code
 * or a session id, and METRICS_TOKEN guards the endpoint.
 */
import { KEYS, startApiEnv, type ApiTestEnv } from './support/api-env';

type Json = Record<string, unknown>;
let t: ApiTestEnv;

beforeAll(async () => {
  t = await startApiEnv();
});
afterAll(() => t?.close());

/** `name{labels} value` lines of the exposition, as a map from `name{labels}` to value. */
async function scrape(url: string, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

it('counts sends, verifications and requests by channel, result and route, with no personal data in labels', async () => {
  const before = await scrape(t.api.url);
  const email = `metrics-${Date.now()}@example.com`;
  const sent = await t.call<Json>('POST', '/api/v1/otp/send', {
    key: KEYS.acmeTest,
    body: {
      channels: ['email', 'sms'],
      recipients: { email, sms: '+14155550177' },
      config: { resend_cooldown_seconds: 0 },
    },
  });
  expect(sent.status).toBe(201);
  const codes = sent.body.sandbox_otps as Record<string, string>;
  const token = sent.body.session_token;
  const wrong = (code: string) => (code === '00000000' ? '11111111' : '00000000');
  await t.call('POST', '/api/v1/otp/verify', {
    key: KEYS.acmeTest,
    body: { token, otps: { sms: wrong(codes.sms) } },
  });
  await t.call('POST', '/api/v1/otp/verify', {
    key: KEYS.acmeTest,
    body: { token, otps: { email: codes.email } },
  });
  await t.call('POST', '/api/v1/otp/resend', { key: KEYS.acmeTest, body: { token } });

  const after = await scrape(t.api.url);
  const delta = (sample: string) => (after.get(sample) ?? 0) - (before.get(sample) ?? 0);
  expect(delta('otp_sends_total{channel="email",sandbox="true"}')).toBe(1);
  // The resend renews only the channel not yet verified.
  expect(delta('otp_sends_total{channel="sms",sandbox="true"}')).toBe(2);
  expect(delta('otp_verifications_total{result="invalid_otp"}')).toBe(1);
  expect(delta('otp_verifications_total{result="partial"}')).toBe(1);
  expect(delta('http_request_duration_seconds_count{route="/api/v1/otp/send",status="201"}')).toBe(1);
  expect(delta('http_request_duration_seconds_count{route="/api/v1/otp/verify",status="400"}')).toBe(1);

  const labels = [...after.keys()].join('\n');
  for (const secret of [
    email,
    '+14155550177',
    codes.email,
    codes.sms,
    sent.body.session_id as string,
    'acme',
  ]) {
    expect(labels).not.toContain(secret);
  }
});

it('counts rate-limit refusals by the limit that refused', async () => {
  const limited = await t.startVariant({
    guards: {
      beforeSend: async () => {
        const { RateLimited } = await import('../src/limits/limits');
        const { asApiError } = await import('../src/limits/guards');
        throw asApiError(new RateLimited(30, 'recipient'));
      },
    },
  });
  const send = () =>
    fetch(`${limited.url}/api/v1/otp/send`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.acmeTest, 'Content-Type': 'application/json' },
      body: JSON.stringify({ channels: ['email'], recipients: { email: 'limited@example.com' } }),
    });
  expect((await send()).status).toBe(429);
  expect((await send()).status).toBe(429);
  expect((await scrape(limited.url)).get('otp_rate_limited_total{limit="recipient"}')).toBe(2);
});

it('asks for METRICS_TOKEN when one is set', async () => {
  const guarded = await t.startVariant({
    config: { ...t.config, metricsToken: 'metrics-token-long-enough-0123456789' },
  });
  expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
  await scrape(guarded.url, { Authorization: 'Bearer metrics-token-long-enough-0123456789' });
});
