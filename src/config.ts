/**
 * The environment, parsed once and validated with zod (SPEC §2). A bad value stops start-up with
 * a message naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';
import { parsePayloadKeys, type PayloadKey } from './codec/keys';

const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
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
    DATA_DIR: z.string().default('./data'),
    TEMPORAL_ADDRESS: optionalString,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
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
    TWILIO_API_BASE_URL: optionalString.pipe(z.url().optional()),
    REDIS_URL: optionalString.pipe(z.url().optional()),
    TRUST_PROXY: flag,
    TRUST_PROXY_HOPS: z.coerce.number().int().min(1).default(1),
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
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
  });

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  port: number;
  dataDir: string;
  temporal: {
    /** Unset: the embedded default starts a dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    devPort: number;
    devUiPort: number;
    uiUrl?: string;
  };
  tenantsFile: string;
  tokenSecret?: string;
  /** Bearer token of the admin endpoints (credits); unset: they answer 404. */
  adminToken?: string;
  codeSecret?: string;
  /** OTP_PAYLOAD_KEYS: the first encrypts payloads, all decrypt (SPEC §8). */
  payloadKeys?: PayloadKey[];
  /** Bearer token of the codec endpoints (SPEC §8); unset outside the embedded default: they answer 404. */
  codecToken?: string;
  bcryptRounds: number;
  smtp?: { url: string; from: string };
  twilio?: {
    accountSid: string;
    authToken: string;
    smsFrom?: string;
    messagingServiceSid?: string;
    whatsappFrom?: string;
    whatsappContentSid?: string;
    apiBaseUrl?: string;
  };
  redisUrl?: string;
  trustProxy: boolean;
  /** With trustProxy: how many proxies of your own stand in front (the client IP is that far from the right of X-Forwarded-For). */
  trustProxyHops: number;
  logLevel: Environment['LOG_LEVEL'];
  /** Sessions a worker keeps in memory (each ~0.3 MiB idle); unset: the SDK's default from the heap size. */
  workerMaxCachedWorkflows?: number;
  executables: { temporalCli?: string; testServer?: string };
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
  return {
    port: e.PORT,
    dataDir,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      devPort: e.TEMPORAL_DEV_PORT,
      devUiPort: e.TEMPORAL_DEV_UI_PORT,
      uiUrl:
        e.TEMPORAL_UI_URL ?? (e.TEMPORAL_ADDRESS ? undefined : `http://localhost:${e.TEMPORAL_DEV_UI_PORT}`),
    },
    tenantsFile: path.resolve(e.OTP_TENANTS_FILE ?? path.join(dataDir, 'tenants.json')),
    tokenSecret: e.OTP_TOKEN_SECRET,
    adminToken: e.OTP_ADMIN_TOKEN,
    codeSecret: e.OTP_CODE_SECRET,
    payloadKeys: e.OTP_PAYLOAD_KEYS,
    codecToken: e.OTP_CODEC_TOKEN,
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
            apiBaseUrl: e.TWILIO_API_BASE_URL,
          }
        : undefined,
    redisUrl: e.REDIS_URL,
    trustProxy: e.TRUST_PROXY,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    logLevel: e.LOG_LEVEL,
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    executables: { temporalCli: e.TEMPORAL_CLI_PATH, testServer: e.TEMPORAL_TEST_SERVER_PATH },
  };
}
