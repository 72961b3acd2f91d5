/** Configuration is read once from the environment; a bad value names its variable. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config/config';

/** Files the TLS and profile variables point at (their content is not parsed as certificates here). */
const files = mkdtempSync(path.join(tmpdir(), 'otp-config-'));
const file = (name: string, content: string) => {
  writeFileSync(path.join(files, name), content);
  return path.join(files, name);
};
const CA = file('ca.pem', 'ca bytes');
const CERT = file('client.pem', 'cert bytes');
const KEY = file('client.key', 'key bytes');
const PROFILES = file(
  'temporal.toml',
  `
[profile.default]
address = "default.example.com:7233"

[profile.cloud]
address = "otp.a1b2c.tmprl.cloud:7233"
namespace = "otp.a1b2c"
api_key = "key-from-file"

[profile.cloud.tls]
server_name = "otp.a1b2c.tmprl.cloud"
server_ca_cert_path = "${CA}"

[profile.cloud.grpc_meta]
x-otp-deployment = "eu"
`,
);
afterAll(() => rmSync(files, { recursive: true, force: true }));
const bytes = (p: string) => Uint8Array.from(readFileSync(p));

describe('loadConfig', () => {
  it('gives the SPEC §2 defaults for an empty environment (the embedded default)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: path.resolve('data'),
      temporal: {
        address: undefined,
        namespace: 'default',
        taskQueue: 'otp-sessions',
        devPort: 7233,
        devUiPort: 8233,
        uiUrl: 'http://localhost:8233',
      },
      tenantsFile: path.resolve('data', 'tenants.json'),
      bcryptRounds: 10,
      smtp: undefined,
      twilio: undefined,
      redisUrl: undefined,
      trustProxy: false,
      trustProxyHops: 1,
      workerShutdownGraceMs: 25_000,
      workerBuildId: undefined,
      workerDeploymentName: 'durable-otp',
    });
    expect(config.temporal.connection).toEqual({});
  });

  it('honours every variable', () => {
    const config = loadConfig({
      PORT: '4000',
      DATA_DIR: '/tmp/otp-data',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'otp',
      TEMPORAL_TASK_QUEUE: 'q',
      TEMPORAL_DEV_PORT: '17233',
      TEMPORAL_DEV_UI_PORT: '18233',
      TEMPORAL_UI_URL: 'https://temporal.example.com',
      OTP_TENANTS_FILE: '/etc/otp/tenants.json',
      OTP_TOKEN_SECRET: 't'.repeat(32),
      OTP_CODE_SECRET: 'c'.repeat(32),
      OTP_BCRYPT_ROUNDS: '12',
      SMTP_URL: 'smtp://mail:25',
      EMAIL_FROM: 'otp@example.com',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'secret',
      TWILIO_MESSAGING_SERVICE_SID: 'MG1',
      TWILIO_WHATSAPP_FROM: '+15550001',
      TWILIO_WHATSAPP_CONTENT_SID: 'HX1',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:9999',
      REDIS_URL: 'redis://127.0.0.1:6379',
      TRUST_PROXY: 'true',
      TRUST_PROXY_HOPS: '2',
      TEMPORAL_API_KEY: 'api-key',
      TEMPORAL_TLS: 'true',
      TEMPORAL_TLS_CLIENT_CERT_PATH: CERT,
      TEMPORAL_TLS_CLIENT_KEY_PATH: KEY,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      WORKER_SHUTDOWN_GRACE: '45s',
      WORKER_BUILD_ID: 'otp-2024-06-01',
      WORKER_DEPLOYMENT_NAME: 'otp-eu',
    });
    expect(config.temporal.connection).toEqual({
      apiKey: 'api-key',
      tls: {
        serverNameOverride: 'temporal.internal',
        serverRootCACertificate: bytes(CA),
        clientCertPair: { crt: bytes(CERT), key: bytes(KEY) },
      },
    });
    expect(config).toMatchObject({
      port: 4000,
      dataDir: '/tmp/otp-data',
      temporal: {
        address: 'temporal:7233',
        namespace: 'otp',
        taskQueue: 'q',
        devPort: 17233,
        devUiPort: 18233,
        uiUrl: 'https://temporal.example.com',
      },
      tenantsFile: '/etc/otp/tenants.json',
      tokenSecret: 't'.repeat(32),
      codeSecret: 'c'.repeat(32),
      bcryptRounds: 12,
      smtp: { url: 'smtp://mail:25', from: 'otp@example.com' },
      twilio: {
        accountSid: 'AC1',
        authToken: 'secret',
        messagingServiceSid: 'MG1',
        whatsappFrom: '+15550001',
        whatsappContentSid: 'HX1',
        apiBaseUrl: 'http://127.0.0.1:9999',
      },
      redisUrl: 'redis://127.0.0.1:6379',
      trustProxy: true,
      trustProxyHops: 2,
      workerShutdownGraceMs: 45_000,
      workerBuildId: 'otp-2024-06-01',
      workerDeploymentName: 'otp-eu',
    });
  });

  describe("Temporal's environment configuration (envconfig)", () => {
    it('takes address, namespace, API key, TLS and gRPC metadata from a TEMPORAL_CONFIG_FILE profile', () => {
      const { temporal } = loadConfig({ TEMPORAL_CONFIG_FILE: PROFILES, TEMPORAL_PROFILE: 'cloud' });
      expect(temporal).toMatchObject({ address: 'otp.a1b2c.tmprl.cloud:7233', namespace: 'otp.a1b2c' });
      expect(temporal.connection).toEqual({
        apiKey: 'key-from-file',
        tls: { serverNameOverride: 'otp.a1b2c.tmprl.cloud', serverRootCACertificate: bytes(CA) },
        metadata: { 'x-otp-deployment': 'eu' },
      });
      // No UI link is guessed for a cluster found through a profile either.
      expect(temporal.uiUrl).toBeUndefined();
    });

    it('uses the profile "default" without TEMPORAL_PROFILE, and variables override the profile', () => {
      expect(loadConfig({ TEMPORAL_CONFIG_FILE: PROFILES }).temporal.address).toBe(
        'default.example.com:7233',
      );
      const { temporal } = loadConfig({
        TEMPORAL_CONFIG_FILE: PROFILES,
        TEMPORAL_PROFILE: 'cloud',
        TEMPORAL_ADDRESS: 'other.example.com:7233',
        TEMPORAL_NAMESPACE: 'otp-staging',
        TEMPORAL_API_KEY: 'key-from-env',
      });
      expect(temporal).toMatchObject({ address: 'other.example.com:7233', namespace: 'otp-staging' });
      expect(temporal.connection.apiKey).toBe('key-from-env');
    });

    it('takes the PEM itself from the _DATA variables', () => {
      const { connection } = loadConfig({
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_TLS_CLIENT_CERT_DATA: 'cert pem',
        TEMPORAL_TLS_CLIENT_KEY_PATH: KEY,
      }).temporal;
      expect(connection.tls).toEqual({
        clientCertPair: { crt: Uint8Array.from(Buffer.from('cert pem')), key: bytes(KEY) },
      });
    });

    it('turns TLS on for an API key alone (Temporal Cloud), and off when TEMPORAL_TLS says so', () => {
      expect(
        loadConfig({ TEMPORAL_ADDRESS: 'a.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }).temporal.connection,
      ).toEqual({ apiKey: 'k', tls: true });
      expect(
        loadConfig({ TEMPORAL_ADDRESS: 'proxy:7233', TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).temporal
          .connection,
      ).toEqual({ apiKey: 'k', tls: false });
    });

    it('treats empty variables (compose `VAR: ${VAR:-}`) as unset: an empty API key does not switch TLS on', () => {
      const { temporal } = loadConfig({
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_API_KEY: '',
        TEMPORAL_TLS: '',
      });
      expect(temporal.connection).toEqual({});
      expect(temporal.namespace).toBe('default');
    });
  });

  it('takes a METRICS_TOKEN of 32 bytes, like the other secrets', () => {
    expect(loadConfig({ METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
  });

  it('listens on loopback unless HOST says otherwise (a blank HOST, as compose passes it, too)', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('allows a process-local limits store only when OTP_ALLOW_PROCESS_LOCAL_STORE is true', () => {
    expect(loadConfig({}).allowProcessLocalStore).toBe(false);
    expect(loadConfig({ OTP_ALLOW_PROCESS_LOCAL_STORE: 'false' }).allowProcessLocalStore).toBe(false);
    expect(loadConfig({ OTP_ALLOW_PROCESS_LOCAL_STORE: 'true' }).allowProcessLocalStore).toBe(true);
  });

  it('has no UI link by default against an external cluster', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }).temporal.uiUrl).toBeUndefined();
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['TEMPORAL_DEV_PORT', { TEMPORAL_DEV_PORT: '70000' }],
    ['OTP_TOKEN_SECRET', { OTP_TOKEN_SECRET: 'too-short' }],
    ['OTP_CODE_SECRET', { OTP_CODE_SECRET: 'too-short' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'too-short' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'm'.repeat(31) }],
    ['SMTP_URL', { SMTP_URL: 'not a url' }],
    ['EMAIL_FROM', { SMTP_URL: 'smtp://mail:25' }],
    ['TWILIO_AUTH_TOKEN', { TWILIO_ACCOUNT_SID: 'AC1' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'maybe' }],
    ['OTP_ALLOW_PROCESS_LOCAL_STORE', { OTP_ALLOW_PROCESS_LOCAL_STORE: 'maybe' }],
    ['TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: '0' }],
    ['TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: '1.5' }],
    ['TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: 'two' }],
    ['OTP_BCRYPT_ROUNDS', { OTP_BCRYPT_ROUNDS: '31' }],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'https://temporal.example.com:7233' }],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'temporal.example.com' }],
    ['TEMPORAL_TLS', { TEMPORAL_TLS: 'yes' }],
    ['TEMPORAL_TLS', { TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA }],
    ['TEMPORAL_TLS_CLIENT_CERT_PATH', { TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/client.pem' }],
    ['TEMPORAL_TLS_CLIENT_KEY_PATH', { TEMPORAL_TLS_CLIENT_CERT_PATH: CERT }],
    ['TEMPORAL_TLS_CLIENT_CERT_PATH', { TEMPORAL_TLS_CLIENT_KEY_DATA: 'key pem' }],
    [
      'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
      { TEMPORAL_TLS_SERVER_CA_CERT_PATH: CA, TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'pem' },
    ],
    ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: files }],
    ['TEMPORAL_CONFIG_FILE', { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' }],
    ['TEMPORAL_CONFIG_FILE', { TEMPORAL_CONFIG_FILE: CA }],
    ['TEMPORAL_PROFILE', { TEMPORAL_CONFIG_FILE: PROFILES, TEMPORAL_PROFILE: 'prod' }],
    ['WORKER_SHUTDOWN_GRACE', { WORKER_SHUTDOWN_GRACE: '30' }],
    ['WORKER_BUILD_ID', { WORKER_BUILD_ID: 'x'.repeat(256) }],
    ['WORKER_DEPLOYMENT_NAME', { WORKER_DEPLOYMENT_NAME: 'durable.otp' }],
    ['WORKER_DEPLOYMENT_NAME', { WORKER_DEPLOYMENT_NAME: 'durable:otp' }],
  ])('stops start-up on a bad %s, naming it', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  - ${variable}: `));
  });
});
