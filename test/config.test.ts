/** Configuration is read once from the environment; a bad value names its variable. */
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

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
    });
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
    });
  });

  it('has no UI link by default against an external cluster', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }).temporal.uiUrl).toBeUndefined();
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['TEMPORAL_DEV_PORT', { TEMPORAL_DEV_PORT: '70000' }],
    ['OTP_TOKEN_SECRET', { OTP_TOKEN_SECRET: 'too-short' }],
    ['OTP_CODE_SECRET', { OTP_CODE_SECRET: 'too-short' }],
    ['SMTP_URL', { SMTP_URL: 'not a url' }],
    ['EMAIL_FROM', { SMTP_URL: 'smtp://mail:25' }],
    ['TWILIO_AUTH_TOKEN', { TWILIO_ACCOUNT_SID: 'AC1' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'maybe' }],
    ['TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: '0' }],
    ['TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: '1.5' }],
    ['TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: 'two' }],
    ['OTP_BCRYPT_ROUNDS', { OTP_BCRYPT_ROUNDS: '31' }],
  ])('stops start-up on a bad %s, naming it', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  - ${variable}: `));
  });
});
