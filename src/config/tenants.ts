/**
 * Tenants (SPEC §3, §6): who may call the API, with which keys, and with which session
 * defaults and message templates. Keys are stored only as SHA-256 hashes and looked up in
 * constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ChannelTemplates, MessageTemplates, TenantPolicy } from '../../workflows/session-types';
import { resolveLocale, UnknownLocale } from '../../activities/locales';
import { WEBHOOK_EVENTS, type KeyMode, type SessionConfig } from '../../workflows/session-types';
import { e164Recipient, sessionConfigOverridesSchema, sessionConfigSchema } from '../contract/schemas';
import { DEFAULT_FRAUD_POLICY, fraudPolicySchema, resolveFraudPolicy } from '../fraud/policy';
import { codePolicyProblems, codePolicySchema } from './code-policy';
import { ApiError } from '../contract/errors';
import { normalizeRecipient } from '../../workflows/session-rules';

/**
 * Tenant ids go into workflow ids, visibility queries and the OtpTenant keyword search attribute:
 * a conservative alphabet, and at most 64 ASCII bytes (SQL visibility keywords hold 255).
 */
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

const apiKeySchema = z.strictObject({
  id: z.string().min(1),
  mode: z.enum(['live', 'test']),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the hex SHA-256 of the full key')
    .transform((hex) => hex.toLowerCase()),
  /** A revoked key is kept in the file (for the record) and refused. */
  revoked: z.boolean().default(false),
});

/** A template that would send no code is refused at start-up, naming it. */
const withCode = z.string().min(1).includes('{{code}}', { message: 'must contain {{code}}' });

const channelTemplatesSchema = z.strictObject({
  otp_email: z
    .strictObject({ subject: z.string().min(1), text: withCode, html: withCode.optional() })
    .optional(),
  otp_sms: z.strictObject({ text: withCode }).optional(),
  otp_whatsapp: z.strictObject({ content_sid: z.string().optional(), text: withCode.optional() }).optional(),
  otp_voice: z.strictObject({ text: withCode }).optional(),
}) satisfies z.ZodType<ChannelTemplates>;

/** SPEC §12: a locale the product writes in (activities/locales), named as BCP 47 `ll` or `ll-RR`. */
const knownLocale = z.string().superRefine((locale, ctx) => {
  try {
    resolveLocale({ requested: locale });
  } catch (err) {
    if (!(err instanceof UnknownLocale)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});

const templatesSchema = channelTemplatesSchema.extend({
  by_locale: z.record(knownLocale, channelTemplatesSchema).optional(),
}) satisfies z.ZodType<MessageTemplates>;

const sendLimit = z.strictObject({ max: z.int().min(1), window_minutes: z.number().positive() });

/** An https URL, or http to this machine (a receiver under test). */
const webhookUrl = z.url().refine((value) => {
  const url = new URL(value);
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
  );
}, 'must be an https URL (http only to localhost)');

/** Standard Webhooks secrets: `whsec_` and base64 of 24 to 64 random bytes. */
const webhookSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by base64')
  .refine((secret) => {
    const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'must hold 24 to 64 bytes (base64)');

const webhookSchema = z.strictObject({
  url: webhookUrl,
  secret: webhookSecret,
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1)
    .refine((events) => new Set(events).size === events.length, 'events must be distinct'),
  /**
   * SPEC §7: which sessions' events the endpoint receives: `live` (the default) or `test`
   * (sandbox sessions), or both. Sandbox events never reach an endpoint without `test`.
   */
  modes: z
    .array(z.enum(['live', 'test']))
    .min(1)
    .refine((modes) => new Set(modes).size === modes.length, 'modes must be distinct')
    .default(['live']),
});

const tenantSchema = z.strictObject({
  id: z.string().regex(TENANT_ID, 'letters, digits, _ and - only (at most 64)'),
  name: z.string().min(1).max(100),
  api_keys: z.array(apiKeySchema).min(1),
  defaults: sessionConfigOverridesSchema.optional(),
  templates: templatesSchema.default({}),
  /** SPEC §12: the language of this tenant's messages unless a send names one. */
  default_locale: knownLocale.optional(),
  /** Enforced by the cross-session limits; validated here so a typo fails at start. */
  limits: z
    .strictObject({
      recipient_sends: sendLimit.optional(),
      ip_sends: sendLimit.optional(),
      recipient_failures: z
        .strictObject({ max: z.int().min(1), block_hours: z.number().positive() })
        .optional(),
    })
    .optional(),
  credits: z.int().min(0).optional(),
  /** SPEC §12: the least entropy and the longest life a code may have (`"nist"`: 20 bits, 10 minutes). */
  code_policy: codePolicySchema.optional(),
  /**
   * SPEC §12: recipients (an email or an E.164 number) whose live sessions use a fixed code, send
   * nothing, cost nothing and are not counted by the fraud defence: app-store review, e2e tests.
   */
  test_recipients: z
    .array(
      z.strictObject({
        recipient: z.union([z.email(), e164Recipient]),
        code: z.string().regex(/^[0-9A-Za-z]{4,10}$/, '4–10 letters or digits'),
      }),
    )
    .max(100)
    .refine(
      (list) => new Set(list.map((t) => normalizeRecipient(t.recipient))).size === list.length,
      'test recipients must be distinct',
    )
    .optional(),
  /** SPEC §11: the fraud defence of paid channels, every default filled in. */
  fraud: fraudPolicySchema.optional().transform(resolveFraudPolicy),
  /** SPEC §9: signed per the Standard Webhooks spec, sent by the session workflows. */
  webhooks: z
    .array(webhookSchema)
    .max(10)
    .refine(
      (hooks) => new Set(hooks.map((h) => h.url)).size === hooks.length,
      'webhook urls must be distinct',
    )
    .refine(
      (hooks) =>
        !hooks.some(
          (test) =>
            test.modes.includes('test') &&
            hooks.some((live) => !live.modes.includes('test') && live.secret === test.secret),
        ),
      "an endpoint receiving test events needs a secret of its own, not a live-only endpoint's",
    )
    .optional(),
});

const tenantsFileSchema = z
  .strictObject({ tenants: z.array(tenantSchema).min(1) })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    const hashes = new Set<string>();
    for (const [index, tenant] of file.tenants.entries()) {
      // A tenant's own defaults must meet its code policy: every send without a config would fail.
      const defaults = { ...BUILT_IN_SESSION_CONFIG, ...tenant.defaults };
      for (const problem of codePolicyProblems(defaults, tenant.code_policy)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', index, 'defaults', problem.path],
          message: problem.message,
        });
      }
      if (ids.has(tenant.id))
        ctx.addIssue({ code: 'custom', path: ['tenants', index, 'id'], message: 'duplicate tenant id' });
      ids.add(tenant.id);
      for (const [keyIndex, key] of tenant.api_keys.entries()) {
        if (hashes.has(key.sha256)) {
          ctx.addIssue({
            code: 'custom',
            path: ['tenants', index, 'api_keys', keyIndex, 'sha256'],
            message: 'duplicate key',
          });
        }
        hashes.add(key.sha256);
      }
    }
  });

export type Tenant = z.infer<typeof tenantSchema>;

/** What a session carries of its tenant, so the worker admitting its resends needs no tenants file. */
export function tenantPolicyOf(tenant: Tenant): TenantPolicy {
  const fraudWebhooks = (tenant.webhooks ?? [])
    .filter(({ modes, events }) => modes.includes('live') && events.includes('fraud.blocked'))
    .map(({ url }) => url);
  return {
    id: tenant.id,
    limits: tenant.limits,
    credits: tenant.credits,
    fraud: tenant.fraud,
    ...(fraudWebhooks.length ? { fraud_webhooks: fraudWebhooks } : {}),
    ...(tenant.test_recipients?.length
      ? { test_recipients: tenant.test_recipients.map((t) => normalizeRecipient(t.recipient)) }
      : {}),
  };
}
export type TenantsFile = z.input<typeof tenantsFileSchema>;

/** Who is calling: the tenant, and whether its key forces sandbox sessions. */
export interface ApiCaller {
  tenant: Tenant;
  keyId: string;
  testKey: boolean;
}

export interface TenantRegistry {
  /** The caller a presented `X-API-Key` belongs to; undefined for unknown or revoked keys. */
  authenticate(presentedKey: string): ApiCaller | undefined;
  /** A tenant by its id (admin operations). */
  byId(id: string): Tenant | undefined;
}

/** The built-in session defaults (SPEC §4): what a tenant without `defaults` gets. */
export const BUILT_IN_SESSION_CONFIG: SessionConfig = {
  otp_length: 6,
  code_type: 'numeric',
  expiry_minutes: 10,
  max_attempts: 3,
  resend_cooldown_seconds: 60,
  max_resends: 3,
  lockout_minutes: null,
};

/**
 * Request config over tenant defaults over the built-in ones, bounded by SPEC §4 once merged; a
 * config the tenant's code policy refuses (SPEC §12) is a validation_error naming the field.
 */
export function resolveSessionConfig(tenant: Tenant, requested: Partial<SessionConfig> = {}): SessionConfig {
  const config = sessionConfigSchema.parse({ ...BUILT_IN_SESSION_CONFIG, ...tenant.defaults, ...requested });
  const problems = codePolicyProblems(config, tenant.code_policy);
  if (problems.length > 0) {
    throw new ApiError('validation_error', {
      details: problems.map(({ path, message }) => ({ path: `config.${path}`, message })),
    });
  }
  return config;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export class TenantsFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Invalid tenants file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TenantsFileError';
  }
}

export function parseTenants(content: unknown, source = 'tenants'): TenantRegistry {
  const parsed = tenantsFileSchema.safeParse(content);
  if (!parsed.success) {
    throw new TenantsFileError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    );
  }
  const keys = parsed.data.tenants.flatMap((tenant) =>
    tenant.api_keys.map((key) => ({ tenant, key, hash: Buffer.from(key.sha256, 'hex') })),
  );
  return {
    byId: (id) => parsed.data.tenants.find((tenant) => tenant.id === id),
    authenticate(presentedKey) {
      const presented = hashApiKey(presentedKey);
      // Every stored hash is compared, so the time taken says nothing about which key matched.
      let found: (typeof keys)[number] | undefined;
      for (const entry of keys) {
        if (timingSafeEqual(entry.hash, presented) && !found) found = entry;
      }
      if (!found || found.key.revoked) return undefined;
      return {
        tenant: found.tenant,
        keyId: found.key.id,
        testKey: found.key.mode === 'test' || presentedKey.startsWith('sk_test_'),
      };
    },
  };
}

export function loadTenants(file: string): TenantRegistry {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TenantsFileError(file, [(err as Error).message]);
  }
  return parseTenants(content, file);
}

function generateApiKey(mode: 'live' | 'test'): string {
  return `sk_${mode}_${randomBytes(32).toString('base64url')}`;
}

/**
 * The embedded default's first start: writes a `dev` tenant with a fresh live and test key when
 * the tenants file is missing, and returns the keys so they can be shown once. The file keeps
 * only their hashes.
 */
export function ensureDevTenantsFile(file: string): {
  created: boolean;
  keys?: { live: string; test: string };
} {
  const keys = { live: generateApiKey('live'), test: generateApiKey('test') };
  const content: TenantsFile = {
    tenants: [
      {
        id: 'dev',
        name: 'Dev',
        api_keys: [
          { id: 'dev-live', mode: 'live', sha256: hashApiKey(keys.live).toString('hex') },
          { id: 'dev-test', mode: 'test', sha256: hashApiKey(keys.test).toString('hex') },
        ],
        // NIST SP 800-63B-4's floor for codes (SPEC §12): at least 20 bits, at most 10 minutes.
        code_policy: 'nist',
        // SPEC §11's defaults, written out so the knobs are in front of whoever edits this file.
        fraud: DEFAULT_FRAUD_POLICY,
      },
    ],
  };
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // `wx`: never overwrite a file that appeared meanwhile; 0600: the hashes are still secrets' hashes.
    writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { created: false };
    throw err;
  }
  return { created: true, keys };
}

/**
 * The secret of one of a tenant's webhook endpoints, for the worker that signs its events: only
 * for an event of a mode the endpoint receives (SPEC §7), so a sandbox event is never signed with
 * a live-only endpoint's secret, even for a session started before the tenants file changed.
 */
export type WebhookSecretLookup = (tenantId: string, url: string, mode: KeyMode) => string | undefined;

export function webhookSecretLookup(tenants: TenantRegistry): WebhookSecretLookup {
  return (tenantId, url, mode) =>
    tenants.byId(tenantId)?.webhooks?.find((hook) => hook.url === url && hook.modes.includes(mode))?.secret;
}

/** SPEC §12: the fixed code of one of a tenant's test recipients, for the worker that issues it. */
export type TestRecipientLookup = (tenantId: string, recipient: string) => string | undefined;

export function testRecipientLookup(tenants: TenantRegistry): TestRecipientLookup {
  return (tenantId, recipient) => {
    const wanted = normalizeRecipient(recipient);
    return tenants.byId(tenantId)?.test_recipients?.find((t) => normalizeRecipient(t.recipient) === wanted)
      ?.code;
  };
}

/**
 * The worker's view of the tenants file: the secrets that stay out of history (webhook secrets,
 * test recipients' codes); none when the file is absent.
 */
export function loadWorkerTenants(
  file: string,
): { webhookSecret: WebhookSecretLookup; testRecipientCode: TestRecipientLookup } | undefined {
  if (!existsSync(file)) return undefined;
  const tenants = loadTenants(file);
  return { webhookSecret: webhookSecretLookup(tenants), testRecipientCode: testRecipientLookup(tenants) };
}
