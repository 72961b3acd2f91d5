/**
 * A tenant's code policy (SPEC §12): entropy in whole bits, the `nist` preset (20 bits, 10
 * minutes), a tenants file whose own defaults break its policy stopping start-up, and a send
 * whose config falls short answered 400 validation_error naming the field, over HTTP.
 */
import { createHash } from 'node:crypto';
import { codePolicyProblems, entropyBits } from '../src/config/code-policy';
import { BUILT_IN_SESSION_CONFIG, parseTenants, type TenantsFile } from '../src/config/tenants';
import { startApiEnv, TENANTS, type ApiTestEnv } from './support/api-env';

const NIST = { min_entropy_bits: 20, max_expiry_minutes: 10 };

describe('entropy and the policy', () => {
  it.each([
    [6, 'numeric', 20],
    [5, 'numeric', 17],
    [8, 'numeric', 27],
    [4, 'alpha', 19],
    [5, 'alpha', 24],
    [4, 'alphanumeric', 21],
  ] as const)('%i %s characters are %i bits', (otp_length, code_type, bits) => {
    expect(entropyBits({ otp_length, code_type })).toBe(bits);
  });

  it('nist takes six digits and ten minutes, and names what falls short', () => {
    expect(codePolicyProblems(BUILT_IN_SESSION_CONFIG, NIST)).toEqual([]);
    expect(
      codePolicyProblems({ ...BUILT_IN_SESSION_CONFIG, otp_length: 5, expiry_minutes: 15 }, NIST).map(
        (p) => p.path,
      ),
    ).toEqual(['otp_length', 'expiry_minutes']);
    expect(codePolicyProblems({ ...BUILT_IN_SESSION_CONFIG, otp_length: 4 }, undefined)).toEqual([]);
  });
});

describe('the tenants file', () => {
  const tenant = (extra: object) => ({
    tenants: [
      { id: 'p', name: 'P', api_keys: [{ id: 'k', mode: 'live', sha256: '0'.repeat(64) }], ...extra },
    ],
  });

  it('takes the nist preset or explicit bounds, and refuses anything else, naming it', () => {
    expect(() => parseTenants(tenant({ code_policy: 'nist' }))).not.toThrow();
    expect(() =>
      parseTenants(tenant({ code_policy: { min_entropy_bits: 24 }, defaults: { otp_length: 8 } })),
    ).not.toThrow();
    expect(() => parseTenants(tenant({ code_policy: 'strict' }))).toThrow(/tenants\.0\.code_policy/);
    expect(() => parseTenants(tenant({ code_policy: { min_bits: 20 } }))).toThrow(/tenants\.0\.code_policy/);
  });

  it("stops start-up when the tenant's own defaults break its policy", () => {
    expect(() => parseTenants(tenant({ code_policy: 'nist', defaults: { otp_length: 4 } }))).toThrow(
      /tenants\.0\.defaults\.otp_length: a 4-character numeric code has 13 bits/,
    );
    expect(() => parseTenants(tenant({ code_policy: 'nist', defaults: { expiry_minutes: 30 } }))).toThrow(
      /tenants\.0\.defaults\.expiry_minutes/,
    );
  });
});

describe('over HTTP', () => {
  const KEY = 'sk_test_nist_0123456789abcdef0123456789abcdef';
  const tenants: TenantsFile = {
    tenants: [
      ...TENANTS.tenants,
      {
        id: 'nist',
        name: 'Nist',
        api_keys: [{ id: 'nist-test', mode: 'test', sha256: createHash('sha256').update(KEY).digest('hex') }],
        code_policy: 'nist',
      },
    ],
  };
  let t: ApiTestEnv;
  beforeAll(async () => {
    t = await startApiEnv({ tenants });
  }, 60_000);
  afterAll(() => t?.close());

  const send = (config: object) =>
    t.call('POST', '/api/v1/otp/send', {
      key: KEY,
      body: { channels: ['email'], recipients: { email: 'ada@example.com' }, config },
    });

  it('answers validation_error naming the field for a config that falls short, and sends the rest', async () => {
    const short = await send({ otp_length: 4, expiry_minutes: 20 });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({
      code: 'validation_error',
      details: [
        { path: 'config.otp_length', message: expect.stringMatching(/at least 20/) },
        { path: 'config.expiry_minutes', message: expect.stringMatching(/at most 10 minutes/) },
      ],
    });
    expect((await send({ otp_length: 6, code_type: 'alphanumeric', expiry_minutes: 10 })).status).toBe(201);
    expect((await send({})).status).toBe(201);
  });
});
