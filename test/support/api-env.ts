/**
 * The REST API as the HTTP tests see it: one dev server, one session worker (bcrypt rounds 4,
 * live email over a real local SMTP sink, no SMS/WhatsApp sender so live texts fail delivery),
 * two tenants with a live and a test key each, and the real Koa app on a random 127.0.0.1 port.
 * Log lines are kept in memory so tests can prove no secret is ever logged.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createEmailSender } from '../../activities/email';
import type { AbuseControls } from '../../src/limits';
import type { AbuseAdmission } from '../../src/limits/guards';
import type { ApiDependencies } from '../../src/http/app';
import { startApi, type RunningApi } from '../../src/http/start';
import { loadConfig, type Config } from '../../src/config/config';
import {
  loadTenants,
  testRecipientLookup,
  webhookSecretLookup,
  type TenantsFile,
} from '../../src/config/tenants';
import type { ChannelSender } from '../../activities/delivery';
import type { Channel } from '../../workflows/channels';
import { startSessionEnv, TEST_CODE_SECRET, type SessionTestEnv } from './session-env';
import { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from './smtp-sink';

export const TEST_TOKEN_SECRET = 'test-token-secret-that-is-long-enough-0123456789';
export const TEMPORAL_UI = 'http://temporal-ui.test';
export const TEST_CODEC_TOKEN = 'test-codec-token-that-is-long-enough-0123456789';

export const KEYS = {
  acmeLive: 'sk_live_acme_0123456789abcdef0123456789abcdef',
  acmeTest: 'sk_test_acme_0123456789abcdef0123456789abcdef',
  globexLive: 'sk_live_globex_0123456789abcdef0123456789abcd',
  globexTest: 'sk_test_globex_0123456789abcdef0123456789abcd',
  acmeRevoked: 'sk_live_acme_revoked_0123456789abcdef012345678',
};

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

export const TENANTS: TenantsFile = {
  tenants: [
    {
      id: 'acme',
      name: 'Acme',
      api_keys: [
        { id: 'acme-live', mode: 'live', sha256: sha256(KEYS.acmeLive) },
        { id: 'acme-test', mode: 'test', sha256: sha256(KEYS.acmeTest) },
        { id: 'acme-old', mode: 'live', sha256: sha256(KEYS.acmeRevoked), revoked: true },
      ],
      // A tenant default that requests can override: visible in the length of sandbox codes.
      defaults: { otp_length: 8 },
      templates: { otp_email: { subject: 'Acme code', text: 'Your Acme code: {{code}}' } },
    },
    {
      id: 'globex',
      name: 'Globex',
      api_keys: [
        { id: 'globex-live', mode: 'live', sha256: sha256(KEYS.globexLive) },
        { id: 'globex-test', mode: 'test', sha256: sha256(KEYS.globexTest) },
      ],
    },
  ],
};

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiTestEnv {
  api: RunningApi;
  sessions: SessionTestEnv;
  smtp: SmtpSink;
  config: Config;
  logs: string[];
  /** JSON in, JSON out; `key` becomes X-API-Key. */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: CallOptions,
  ): Promise<ApiResponse<T>>;
  /** Another app on the same Temporal client, with different dependencies (readiness, guards…). */
  startVariant(overrides: Partial<ApiDependencies>): Promise<RunningApi>;
  close(): Promise<void>;
}

export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<ApiResponse<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

/**
 * `admission`: the worker's abuse controls (resends, failure counts); none admits everything.
 * `senders`: more channels than email; `env`: more configuration (API and worker); `tenants`:
 * another tenants file (the worker signs webhooks with its secrets); `smtp`: a slow sink, and
 * `emailTimeoutMs` the email sender's wait on it at each step (default 2 s).
 */
export async function startApiEnv(
  options: {
    admission?: AbuseAdmission;
    senders?: Partial<Record<Channel, ChannelSender>>;
    env?: Record<string, string>;
    tenants?: TenantsFile;
    smtp?: Pick<SmtpSinkOptions, 'mailFromDelayMs' | 'answerDelayMs'>;
    emailTimeoutMs?: number;
  } = {},
): Promise<ApiTestEnv> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otp-api-'));
  const tenantsFile = path.join(dir, 'tenants.json');
  writeFileSync(tenantsFile, JSON.stringify(options.tenants ?? TENANTS));
  // nobody@… is refused for good (550), as a mailbox that does not exist.
  const smtp = await startSmtpSink({
    rejectWith: (rcpt) =>
      rcpt.startsWith('nobody@') ? { code: 550, message: 'No such mailbox' } : undefined,
    ...options.smtp,
  });
  const email = createEmailSender({
    smtpUrl: smtp.url,
    from: 'otp@example.test',
    timeoutMs: options.emailTimeoutMs ?? 2000,
  });
  const env = options.env ?? {};
  const sessions = await startSessionEnv('dev', {
    senders: { email, ...options.senders },
    admission: options.admission,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    webhookSecret: webhookSecretLookup(loadTenants(tenantsFile)),
    testRecipientCode: testRecipientLookup(loadTenants(tenantsFile)),
  });
  const config = loadConfig({
    ...env,
    TEMPORAL_ADDRESS: sessions.env.address,
    TEMPORAL_TASK_QUEUE: sessions.taskQueue,
    TEMPORAL_UI_URL: TEMPORAL_UI,
    OTP_TENANTS_FILE: tenantsFile,
    OTP_TOKEN_SECRET: TEST_TOKEN_SECRET,
    OTP_CODE_SECRET: TEST_CODE_SECRET,
    OTP_CODEC_TOKEN: TEST_CODEC_TOKEN,
    DATA_DIR: dir,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const dependencies: ApiDependencies = {
    config,
    client: sessions.env.client,
    tenants: loadTenants(tenantsFile),
    logger: pino({ level: 'info' }, logStream),
  };
  const api = await startApi({ ...dependencies, port: 0, host: '127.0.0.1' });
  const variants: RunningApi[] = [];

  return {
    api,
    sessions,
    smtp,
    config,
    logs,
    call<T>(method: string, urlPath: string, { key, body, headers = {} }: CallOptions = {}) {
      return fetchJson<T>(`${api.url}${urlPath}`, {
        method,
        headers: {
          ...(key ? { 'X-API-Key': key } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    async startVariant(overrides) {
      const variant = await startApi({ ...dependencies, ...overrides, port: 0, host: '127.0.0.1' });
      variants.push(variant);
      return variant;
    },
    async close() {
      await Promise.all([api, ...variants].map((a) => a.close()));
      await sessions.close();
      await email.close?.();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The code in the last email the SMTP sink received for `to`. */
export function lastEmailedCode(smtp: SmtpSink, to: string): string | undefined {
  const mail = smtp.messages.filter((m) => m.envelope.to.includes(to)).at(-1);
  return mail?.raw.match(/Your Acme code: ([0-9A-Z]+)/)?.[1];
}

/** Visibility is eventually consistent: retries `read` until `done` holds (or gives the last value). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The worker's admission, forwarding to whichever admission `current` gives: a test restarts its
 * abuse controls (a restart of the API and the worker) under a worker that keeps running.
 */
export function forwardingAdmission(current: () => AbuseAdmission): AbuseAdmission {
  return {
    admit: (admission) => current().admit(admission),
    record: (verification) => current().record(verification),
    get credits() {
      return current().credits;
    },
    get insights() {
      return current().insights;
    },
  };
}

/** The API dependencies of a process's real abuse controls: limits, credits, fraud defence, insights. */
export function abuseDependencies(t: ApiTestEnv, abuse: AbuseControls): Partial<ApiDependencies> {
  return {
    tenants: loadTenants(t.config.tenantsFile),
    guards: abuse.guards,
    credits: abuse.admission.credits,
    fraud: abuse.fraud,
    insights: abuse.insights,
  };
}
