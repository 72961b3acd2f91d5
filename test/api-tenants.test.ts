/** Tenants file, API keys and session config resolution: no server needed. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ensureDevTenantsFile,
  loadTenants,
  parseTenants,
  resolveSessionConfig,
  webhookSecretLookup,
} from '../src/config/tenants';
import { createSessionTokens } from '../src/sessions/tokens';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

const file = (defaults?: object) => ({
  tenants: [
    {
      id: 'acme',
      name: 'Acme',
      api_keys: [
        { id: 'live', mode: 'live', sha256: sha256('sk_live_a') },
        { id: 'test', mode: 'test', sha256: sha256('sk_test_a').toUpperCase() },
        { id: 'old', mode: 'live', sha256: sha256('sk_live_old'), revoked: true },
      ],
      ...(defaults ? { defaults } : {}),
    },
  ],
});

describe('tenants', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tenants-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a dev tenant once, keeping only key hashes (mode 0600), and returns the keys', () => {
    const tenantsFile = path.join(dir, 'nested', 'tenants.json');
    const first = ensureDevTenantsFile(tenantsFile);
    expect(first.created).toBe(true);
    expect(first.keys!.live).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(first.keys!.test).toMatch(/^sk_test_[A-Za-z0-9_-]{43}$/);
    const content = readFileSync(tenantsFile, 'utf8');
    expect(content).not.toContain(first.keys!.live);
    expect(statSync(tenantsFile).mode & 0o777).toBe(0o600);
    const tenants = loadTenants(tenantsFile);
    expect(tenants.authenticate(first.keys!.live)).toMatchObject({ tenant: { id: 'dev' }, testKey: false });
    expect(tenants.authenticate(first.keys!.test)).toMatchObject({ tenant: { id: 'dev' }, testKey: true });
    expect(ensureDevTenantsFile(tenantsFile)).toEqual({ created: false });
    expect(readFileSync(tenantsFile, 'utf8')).toBe(content);
  });

  it('authenticates by SHA-256 (any hex case), refuses unknown and revoked keys', () => {
    const tenants = parseTenants(file());
    expect(tenants.authenticate('sk_live_a')).toMatchObject({ keyId: 'live', testKey: false });
    expect(tenants.authenticate('sk_test_a')).toMatchObject({ keyId: 'test', testKey: true });
    expect(tenants.authenticate('sk_live_b')).toBeUndefined();
    expect(tenants.authenticate('sk_live_old')).toBeUndefined();
    expect(tenants.authenticate('')).toBeUndefined();
  });

  it('refuses a tenants file with bad ids, hashes, duplicates or out-of-bounds defaults, naming the problem', () => {
    expect(() => parseTenants({ tenants: [{ ...file().tenants[0], id: "a'b" }] })).toThrow(/tenants\.0\.id/);
    // The id is the OtpTenant keyword search attribute: 64 ASCII bytes fit every SQL visibility store.
    expect(() => parseTenants({ tenants: [{ ...file().tenants[0], id: 'a'.repeat(64) }] })).not.toThrow();
    expect(() => parseTenants({ tenants: [{ ...file().tenants[0], id: 'a'.repeat(65) }] })).toThrow(
      /tenants\.0\.id/,
    );
    expect(() => parseTenants(file({ expiry_minutes: 61 }))).toThrow(/defaults\.expiry_minutes/);
    const twice = file();
    twice.tenants.push({ ...twice.tenants[0] });
    expect(() => parseTenants(twice)).toThrow(/duplicate tenant id/);
    expect(() => loadTenants(path.join(dir, 'missing.json'))).toThrow(/Invalid tenants file/);
  });

  it('webhook endpoints receive live events by default; a test-mode endpoint needs a secret of its own', () => {
    const secret = (fill: number) => `whsec_${Buffer.alloc(32, fill).toString('base64')}`;
    const withHooks = (webhooks: object[]) => ({ tenants: [{ ...file().tenants[0], webhooks }] });
    const live = { url: 'https://backend.example.com/otp', secret: secret(1), events: ['session.verified'] };
    const sandbox = {
      url: 'https://staging.example.com/otp',
      secret: secret(2),
      events: ['session.verified'],
    };
    const { tenant } = parseTenants(
      withHooks([
        live,
        { ...sandbox, modes: ['test'] },
        { ...sandbox, url: 'https://both.example.com/otp', secret: secret(3), modes: ['live', 'test'] },
      ]),
    ).authenticate('sk_live_a')!;
    expect(tenant.webhooks!.map((hook) => hook.modes)).toEqual([['live'], ['test'], ['live', 'test']]);
    // The worker signs a sandbox event only for an endpoint that takes test events, and the reverse.
    const lookup = webhookSecretLookup(parseTenants(withHooks([live, { ...sandbox, modes: ['test'] }])));
    expect(lookup('acme', live.url, 'live')).toBe(live.secret);
    expect(lookup('acme', live.url, 'test')).toBeUndefined();
    expect(lookup('acme', sandbox.url, 'test')).toBe(sandbox.secret);
    expect(lookup('acme', sandbox.url, 'live')).toBeUndefined();
    expect(() =>
      parseTenants(withHooks([live, { ...sandbox, secret: live.secret, modes: ['test'] }])),
    ).toThrow(/secret of its own/);
    expect(() => parseTenants(withHooks([{ ...sandbox, modes: [] }]))).toThrow(/webhooks\.0\.modes/);
    expect(() => parseTenants(withHooks([{ ...sandbox, modes: ['sandbox'] }]))).toThrow(/webhooks\.0\.modes/);
    expect(() => parseTenants(withHooks([{ ...sandbox, modes: ['test', 'test'] }]))).toThrow(
      /modes must be distinct/,
    );
  });

  it('merges request config over tenant defaults over the built-in ones', () => {
    const { tenant } = parseTenants(file({ expiry_minutes: 5, max_attempts: 5 })).authenticate('sk_live_a')!;
    expect(resolveSessionConfig(tenant, { max_attempts: 2 })).toEqual({
      otp_length: 6,
      code_type: 'numeric',
      expiry_minutes: 5,
      max_attempts: 2,
      resend_cooldown_seconds: 60,
      max_resends: 3,
      lockout_minutes: null,
    });
  });
});

describe('session tokens', () => {
  const tokens = createSessionTokens('a-token-secret-that-is-long-enough-0123456789');
  const subject = {
    sessionId: `ses_${'a'.repeat(32)}`,
    tenantId: 'acme',
    createdAt: new Date().toISOString(),
    config: { expiry_minutes: 10, max_resends: 3 },
    keyMode: 'live' as const,
  };

  it('is the same for the same session, and names it only for its own tenant', () => {
    const token = tokens.issue(subject);
    expect(tokens.issue(subject)).toBe(token);
    expect(tokens.sessionIdOf(token, 'acme', 'live')).toBe(subject.sessionId);
    expect(tokens.sessionIdOf(token, 'globex', 'live')).toBeUndefined();
  });

  it('names a session only for keys of the mode that opened it (SPEC §7)', () => {
    const live = tokens.issue(subject);
    const test = tokens.issue({ ...subject, keyMode: 'test' });
    expect(tokens.sessionIdOf(live, 'acme', 'test')).toBeUndefined();
    expect(tokens.sessionIdOf(test, 'acme', 'live')).toBeUndefined();
    expect(tokens.sessionIdOf(test, 'acme', 'test')).toBe(subject.sessionId);
  });
});
