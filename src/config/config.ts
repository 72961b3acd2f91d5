/**
 * The environment, parsed once and validated with zod (SPEC §2). A bad value stops start-up with
 * a message naming the variable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';
import { parsePayloadKeys, type PayloadKey } from '../codec/keys';

const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** A path the process can read now: a typo fails at start-up, not at the first TLS handshake. */
const readableFile = optionalString.refine((v) => v === undefined || isReadableFile(v), {
  message: 'is not a readable file',
});
/** host:port, as every Temporal SDK takes it (no scheme). */
const temporalAddress = optionalString.refine(
  (v) => v === undefined || /^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(v),
  { message: 'must be host:port (e.g. temporal.example.com:7233), without a scheme' },
);
/** Temporal's environment configuration reads only 'true' and '1' as on; anything else would silently mean off. */
const tlsFlag = optionalString.pipe(z.enum(['true', 'false', '1', '0']).optional());
/** A duration with its unit: 500ms, 30s, 2m. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?(ms|s|m)$/, { message: 'must be a duration with its unit, e.g. 30s, 500ms, 2m' })
  .transform((v) => {
    const [, amount, unit] = /^([\d.]+)(ms|s|m)$/.exec(v)!;
    return Number(amount) * { ms: 1, s: 1000, m: 60_000 }[unit as 'ms' | 's' | 'm'];
  });
const secret = optionalString.refine((v) => v === undefined || Buffer.byteLength(v) >= 32, {
  message: 'must be at least 32 bytes',
});

/** OTP_PAYLOAD_KEYS: the problems name entries and key ids, never key material. */
const payloadKeys = optionalString.transform((value, ctx): PayloadKey[] | undefined => {
  if (value === undefined) return undefined;
  const parsed = parsePayloadKeys(value);
  if ('keys' in parsed) return parsed.keys;
  for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
  return z.NEVER;
});

const environmentSchema = z
  .object({
    PORT: port.default(3000),
    // Loopback unless a deployment says otherwise: containers set 0.0.0.0.
    HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
    DATA_DIR: z.string().default('./data'),
    // Temporal's standard environment configuration (SPEC §8): validated here, then resolved by
    // @temporalio/envconfig together with the profile of TEMPORAL_CONFIG_FILE.
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: optionalString,
    TEMPORAL_API_KEY: optionalString,
    TEMPORAL_TLS: tlsFlag,
    TEMPORAL_TLS_CLIENT_CERT_PATH: readableFile,
    TEMPORAL_TLS_CLIENT_KEY_PATH: readableFile,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: readableFile,
    TEMPORAL_TLS_SERVER_NAME: optionalString,
    // The PEM itself instead of a path (e.g. from a secret store), as in every Temporal SDK.
    TEMPORAL_TLS_CLIENT_CERT_DATA: optionalString,
    TEMPORAL_TLS_CLIENT_KEY_DATA: optionalString,
    TEMPORAL_TLS_SERVER_CA_CERT_DATA: optionalString,
    TEMPORAL_CONFIG_FILE: readableFile,
    TEMPORAL_PROFILE: optionalString,
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('otp-sessions'),
    TEMPORAL_DEV_PORT: port.default(7233),
    TEMPORAL_DEV_UI_PORT: port.default(8233),
    TEMPORAL_UI_URL: optionalString.pipe(z.url().optional()),
    OTP_TENANTS_FILE: optionalString,
    OTP_TOKEN_SECRET: secret,
    OTP_CODE_SECRET: secret,
    OTP_ADMIN_TOKEN: secret,
    OTP_PAYLOAD_KEYS: payloadKeys,
    OTP_CODEC_TOKEN: secret,
    OTP_BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(10),
    SMTP_URL: optionalString.pipe(z.url().optional()),
    EMAIL_FROM: optionalString,
    TWILIO_ACCOUNT_SID: optionalString,
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_SMS_FROM: optionalString,
    TWILIO_MESSAGING_SERVICE_SID: optionalString,
    TWILIO_WHATSAPP_FROM: optionalString,
    TWILIO_WHATSAPP_CONTENT_SID: optionalString,
    TWILIO_VOICE_FROM: optionalString,
    TWILIO_API_BASE_URL: optionalString.pipe(z.url().optional()),
    REDIS_URL: optionalString.pipe(z.url().optional()),
    OTP_ALLOW_PROCESS_LOCAL_STORE: flag,
    PUBLIC_BASE_URL: optionalString.pipe(
      z
        .url()
        .refine((value) => /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL')
        .optional(),
    ),
    TRUST_PROXY: flag,
    TRUST_PROXY_HOPS: z.coerce.number().int().min(1).default(1),
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
    METRICS_TOKEN: secret,
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    WORKER_SHUTDOWN_GRACE: optionalString.pipe(duration.optional()),
    WORKER_BUILD_ID: optionalString.pipe(z.string().max(255).optional()),
    // The server bans both of its version delimiters ("deployment.build", "deployment:build") in the name.
    WORKER_DEPLOYMENT_NAME: optionalString.pipe(
      z
        .string()
        .max(200)
        .regex(/^[^.:]+$/, 'must not contain "." or ":"')
        .default('durable-otp'),
    ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TEMPORAL_CLI_PATH: optionalString,
    TEMPORAL_TEST_SERVER_PATH: optionalString,
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.EMAIL_FROM) {
      ctx.addIssue({ code: 'custom', path: ['EMAIL_FROM'], message: 'is required when SMTP_URL is set' });
    }
    if (Boolean(env.TWILIO_ACCOUNT_SID) !== Boolean(env.TWILIO_AUTH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_AUTH_TOKEN'],
        message: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together',
      });
    }
    for (const item of ['CLIENT_CERT', 'CLIENT_KEY', 'SERVER_CA_CERT'] as const) {
      if (env[`TEMPORAL_TLS_${item}_PATH`] && env[`TEMPORAL_TLS_${item}_DATA`]) {
        ctx.addIssue({
          code: 'custom',
          path: [`TEMPORAL_TLS_${item}_DATA`],
          message: `set either TEMPORAL_TLS_${item}_PATH or TEMPORAL_TLS_${item}_DATA, not both`,
        });
      }
    }
    const clientCert = env.TEMPORAL_TLS_CLIENT_CERT_PATH ?? env.TEMPORAL_TLS_CLIENT_CERT_DATA;
    const clientKey = env.TEMPORAL_TLS_CLIENT_KEY_PATH ?? env.TEMPORAL_TLS_CLIENT_KEY_DATA;
    if (Boolean(clientCert) !== Boolean(clientKey)) {
      ctx.addIssue({
        code: 'custom',
        path: [clientCert ? 'TEMPORAL_TLS_CLIENT_KEY_PATH' : 'TEMPORAL_TLS_CLIENT_CERT_PATH'],
        message:
          'a client certificate and its key must be set together (TEMPORAL_TLS_CLIENT_CERT_* and TEMPORAL_TLS_CLIENT_KEY_*)',
      });
    }
    const tlsSettings = (
      [
        'TEMPORAL_TLS_CLIENT_CERT_PATH',
        'TEMPORAL_TLS_CLIENT_CERT_DATA',
        'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
        'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
        'TEMPORAL_TLS_SERVER_NAME',
      ] as const
    ).filter((name) => env[name]);
    if ((env.TEMPORAL_TLS === 'false' || env.TEMPORAL_TLS === '0') && tlsSettings.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS'],
        message: `is off, yet ${tlsSettings.join(', ')} is set`,
      });
    }
  });

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  port: number;
  /** The API's listening address (HOST): loopback by default. */
  host: string;
  dataDir: string;
  temporal: {
    /** TEMPORAL_ADDRESS or the profile's address. Unset: the embedded default starts a dev server. */
    address?: string;
    /** How to reach `address` (TLS, API key, gRPC metadata), resolved by Temporal's envconfig. */
    connection: TemporalConnectionSettings;
    namespace: string;
    taskQueue: string;
    devPort: number;
    devUiPort: number;
    uiUrl?: string;
  };
  tenantsFile: string;
  tokenSecret?: string;
  /** Bearer token of GET /metrics; unset: open (bind the API where only Prometheus reaches it). */
  metricsToken?: string;
  /** The worker's Prometheus endpoint (SDK and product metrics); port 0: none. */
  workerMetrics: { host: string; port: number };
  /** Bearer token of the admin endpoints (credits); unset: they answer 404. */
  adminToken?: string;
  codeSecret?: string;
  /** OTP_PAYLOAD_KEYS: the first encrypts payloads, all decrypt (SPEC §8). */
  payloadKeys?: PayloadKey[];
  /** Bearer token of the codec endpoints (SPEC §8); unset outside the embedded default: they answer 404. */
  codecToken?: string;
  /**
   * PUBLIC_BASE_URL: where providers reach this API from the internet. Set, Twilio messages ask for
   * status callbacks (delivery receipts) under it, and the API checks their signatures against it.
   */
  publicBaseUrl?: string;
  bcryptRounds: number;
  smtp?: { url: string; from: string };
  twilio?: {
    accountSid: string;
    authToken: string;
    smsFrom?: string;
    messagingServiceSid?: string;
    whatsappFrom?: string;
    whatsappContentSid?: string;
    voiceFrom?: string;
    apiBaseUrl?: string;
  };
  redisUrl?: string;
  /**
   * OTP_ALLOW_PROCESS_LOCAL_STORE: the API or worker alone may run without REDIS_URL, its limits
   * and credits then in this process only (they hold per process, not across API and workers).
   */
  allowProcessLocalStore: boolean;
  trustProxy: boolean;
  /** With trustProxy: how many proxies of your own stand in front (the client IP is that far from the right of X-Forwarded-For). */
  trustProxyHops: number;
  logLevel: Environment['LOG_LEVEL'];
  /** Sessions a worker keeps in memory (each ~0.3 MiB idle); unset: the SDK's default from the heap size. */
  workerMaxCachedWorkflows?: number;
  /** How long a stopping worker lets in-flight tasks (deliveries) finish, in ms. */
  workerShutdownGraceMs: number;
  /** The worker's build id; unset: the package version and a hash of the workflow and activity code. */
  workerBuildId?: string;
  /** The Worker Deployment the workers poll under (SPEC §10). */
  workerDeploymentName: string;
  executables: { temporalCli?: string; testServer?: string };
}

/** TLS, API key and gRPC metadata for a Temporal frontend, as Temporal's envconfig resolved them. */
export interface TemporalConnectionSettings {
  /** Off when absent; `true`: TLS with the system's CAs. */
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const temporal = resolveTemporalConnection(env);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    temporal: {
      address: temporal.address,
      connection: temporal.connection,
      namespace: temporal.namespace ?? 'default',
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      devPort: e.TEMPORAL_DEV_PORT,
      devUiPort: e.TEMPORAL_DEV_UI_PORT,
      uiUrl:
        e.TEMPORAL_UI_URL ?? (temporal.address ? undefined : `http://localhost:${e.TEMPORAL_DEV_UI_PORT}`),
    },
    tenantsFile: path.resolve(e.OTP_TENANTS_FILE ?? path.join(dataDir, 'tenants.json')),
    tokenSecret: e.OTP_TOKEN_SECRET,
    adminToken: e.OTP_ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    workerMetrics: { host: e.WORKER_METRICS_HOST, port: e.WORKER_METRICS_PORT },
    codeSecret: e.OTP_CODE_SECRET,
    payloadKeys: e.OTP_PAYLOAD_KEYS,
    codecToken: e.OTP_CODEC_TOKEN,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    bcryptRounds: e.OTP_BCRYPT_ROUNDS,
    smtp: e.SMTP_URL && e.EMAIL_FROM ? { url: e.SMTP_URL, from: e.EMAIL_FROM } : undefined,
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            smsFrom: e.TWILIO_SMS_FROM,
            messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
            whatsappFrom: e.TWILIO_WHATSAPP_FROM,
            whatsappContentSid: e.TWILIO_WHATSAPP_CONTENT_SID,
            voiceFrom: e.TWILIO_VOICE_FROM,
            apiBaseUrl: e.TWILIO_API_BASE_URL,
          }
        : undefined,
    redisUrl: e.REDIS_URL,
    allowProcessLocalStore: e.OTP_ALLOW_PROCESS_LOCAL_STORE,
    trustProxy: e.TRUST_PROXY,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    logLevel: e.LOG_LEVEL,
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    // 25 s: a delivery attempt is capped at 20 s, and orchestrators kill after 30 s by default.
    workerShutdownGraceMs: e.WORKER_SHUTDOWN_GRACE ?? 25_000,
    workerBuildId: e.WORKER_BUILD_ID,
    workerDeploymentName: e.WORKER_DEPLOYMENT_NAME,
    executables: { temporalCli: e.TEMPORAL_CLI_PATH, testServer: e.TEMPORAL_TEST_SERVER_PATH },
  };
}

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The variables of Temporal's environment configuration, handed to @temporalio/envconfig as the
 * SDKs read them (profile file first, variables on top). Empty values are dropped first: compose's
 * `VAR: ${VAR:-}` must not become an empty API key, which would switch TLS on.
 */
function resolveTemporalConnection(env: NodeJS.ProcessEnv): {
  address?: string;
  namespace?: string;
  connection: TemporalConnectionSettings;
} {
  const present = Object.fromEntries(
    Object.entries(env)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
      .map(([name, value]) => [name, value.trim()]),
  );
  let profile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: present });
  } catch (err) {
    const message = (err as Error).message;
    throw new ConfigError([
      /^Profile .* not found/.test(message)
        ? `TEMPORAL_PROFILE: ${message} (${present.TEMPORAL_CONFIG_FILE ?? 'the default temporal.toml'})`
        : `TEMPORAL_CONFIG_FILE: ${present.TEMPORAL_CONFIG_FILE ?? 'the default temporal.toml'}: ${message}`,
    ]);
  }
  let options;
  try {
    // Reads the certificate files; the variables' paths were checked above, so a failure here is the profile's.
    options = toClientOptions(profile).connectionOptions;
  } catch (err) {
    throw new ConfigError([
      `TEMPORAL_CONFIG_FILE: profile "${present.TEMPORAL_PROFILE ?? 'default'}": ${(err as Error).message}`,
    ]);
  }
  return {
    address: options.address,
    namespace: profile.namespace,
    connection: {
      tls: options.tls ?? undefined,
      apiKey: options.apiKey,
      metadata: profile.grpcMeta,
    },
  };
}
