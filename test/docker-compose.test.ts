/**
 * The scaled deployment cannot be started on machines without a Docker engine, so its wiring is
 * checked by parsing: docker-compose.yml, the Dockerfile's stages and the example tenants file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const repoRoot = join(__dirname, '..');

type EnvValue = string | number | boolean | null;

interface ComposeService {
  image?: string;
  build?: string | { context?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue>;
  depends_on?: Record<string, { condition?: string }>;
  ports?: (string | { host_ip?: string; published?: string | number })[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  healthcheck?: { test?: string | string[] };
  deploy?: { replicas?: number };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Compose files use YAML merge keys (`<<: *anchor`); the parser must apply them. */
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as ComposeFile;
const services = compose.services;

/**
 * Environment variables the product defines: SPEC §2 and §7 (TRUST_PROXY_HOPS), plus the
 * documented additions OTP_CODE_SECRET, OTP_BCRYPT_ROUNDS and LOG_LEVEL, and SPEC §8's
 * OTP_PAYLOAD_KEYS and OTP_CODEC_TOKEN.
 */
const DOCUMENTED_ENV = `
  PORT DATA_DIR TEMPORAL_ADDRESS TEMPORAL_NAMESPACE TEMPORAL_TASK_QUEUE
  TEMPORAL_DEV_PORT TEMPORAL_DEV_UI_PORT TEMPORAL_UI_URL OTP_TENANTS_FILE OTP_TOKEN_SECRET
  SMTP_URL EMAIL_FROM TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_SMS_FROM
  TWILIO_MESSAGING_SERVICE_SID TWILIO_WHATSAPP_FROM TWILIO_WHATSAPP_CONTENT_SID
  TWILIO_API_BASE_URL REDIS_URL TRUST_PROXY TRUST_PROXY_HOPS
  OTP_CODE_SECRET OTP_BCRYPT_ROUNDS LOG_LEVEL OTP_PAYLOAD_KEYS OTP_CODEC_TOKEN
`
  .trim()
  .split(/\s+/);

const TWILIO_ENV = [
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_SMS_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
  'TWILIO_WHATSAPP_FROM',
  'TWILIO_WHATSAPP_CONTENT_SID',
  'TWILIO_API_BASE_URL',
];

const SEARCH_ATTRIBUTES = {
  OtpStatus: 'Keyword',
  OtpChannels: 'KeywordList',
  OtpTenant: 'Keyword',
  OtpSandbox: 'Bool',
  OtpPurpose: 'Keyword',
};

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function env(name: string): Record<string, EnvValue> {
  return service(name).environment ?? {};
}

/**
 * The value a container sees when the host leaves the variable unset: the literal itself, or the
 * default of a `${VAR:-default}` interpolation.
 */
function effectiveValue(value: EnvValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  const interpolation = /^\$\{\w+(:?-)(.*)\}$/.exec(text);
  return interpolation ? interpolation[2] : text;
}

/** `${VAR:?message}`: compose refuses to start when the host does not set VAR. */
function isRequiredFromHost(value: EnvValue | undefined, variable: string): boolean {
  return typeof value === 'string' && new RegExp(`^\\$\\{${variable}:\\?.+\\}$`).test(value);
}

function asWords(command: string | string[] | undefined): string {
  return Array.isArray(command) ? command.join(' ') : (command ?? '');
}

describe('docker-compose.yml', () => {
  test('defines every service of the scaled deployment', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'mailpit', 'postgresql', 'redis', 'temporal', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
  });

  test('every image is pinned to a tag', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect({ name, hasImageOrBuild: Boolean(svc.image || svc.build) }).toEqual({
        name,
        hasImageOrBuild: true,
      });
      if (!svc.image) continue;
      const [, tag] = /:([\w][\w.-]*)$/.exec(svc.image.split('/').pop() ?? '') ?? [];
      expect({ name, tag }).toEqual({ name, tag: expect.any(String) });
      expect({ name, tag }).not.toEqual({ name, tag: 'latest' });
    }
  });

  test('postgresql has a healthcheck and keeps its data in a named volume', () => {
    const postgresql = service('postgresql');
    expect(postgresql.image).toMatch(/^postgres:16(\.|$)/);
    expect(asWords(postgresql.healthcheck?.test)).toContain('pg_isready');
    const dataVolume = (postgresql.volumes ?? []).find(
      (volume) => typeof volume === 'string' && volume.endsWith(':/var/lib/postgresql/data'),
    ) as string | undefined;
    expect(dataVolume).toBeDefined();
    const volumeName = dataVolume!.split(':')[0];
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
  });

  test('temporal runs auto-setup 1.29.x on the postgresql service and waits for it to be healthy', () => {
    const temporal = service('temporal');
    expect(temporal.image).toMatch(/^temporalio\/auto-setup:1\.29\.\d+$/);
    const temporalEnv = env('temporal');
    expect(temporalEnv.DB).toBe('postgres12');
    expect(temporalEnv.POSTGRES_SEEDS).toBe('postgresql');
    expect(String(temporalEnv.DB_PORT)).toBe('5432');
    expect(effectiveValue(temporalEnv.POSTGRES_PWD)).toBe(
      effectiveValue(env('postgresql').POSTGRES_PASSWORD),
    );
    expect(temporalEnv.POSTGRES_USER).toBe(env('postgresql').POSTGRES_USER);
    expect(temporal.depends_on?.postgresql?.condition).toBe('service_healthy');
  });

  test('the UI points at the temporal frontend and listens on 8080', () => {
    const ui = service('temporal-ui');
    expect(ui.image).toMatch(/^temporalio\/ui:2\.\d+\.\d+$/);
    expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(ui.ports).toContain('127.0.0.1:8080:8080');
    expect(effectiveValue(env('api').TEMPORAL_UI_URL)).toBe('http://localhost:8080');
  });

  test('temporal-setup registers exactly the five search attributes, with retries', () => {
    const setup = service('temporal-setup');
    expect(setup.image).toMatch(/^temporalio\/admin-tools:1\.29\.\d+/);
    expect(setup.depends_on).toHaveProperty('temporal');
    expect(env('temporal-setup').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env('temporal-setup').TEMPORAL_NAMESPACE).toBe(env('api').TEMPORAL_NAMESPACE);

    const declared = String(env('temporal-setup').OTP_SEARCH_ATTRIBUTES)
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split('='));
    expect(Object.fromEntries(declared)).toEqual(SEARCH_ATTRIBUTES);
    expect(declared).toHaveLength(Object.keys(SEARCH_ATTRIBUTES).length);

    const script = asWords(setup.command);
    expect(script).toContain('temporal operator search-attribute create');
    expect(script).toContain('$$OTP_SEARCH_ATTRIBUTES');
    expect(script).toMatch(/until .+; do/);
  });

  test('mailpit serves its inbox on 8025', () => {
    const mailpit = service('mailpit');
    expect(mailpit.image).toMatch(/^axllent\/mailpit:v\d+/);
    expect(mailpit.ports).toContain('127.0.0.1:8025:8025');
  });

  test('redis has a healthcheck', () => {
    expect(service('redis').image).toMatch(/^redis:7(\.|$)/);
    expect(asWords(service('redis').healthcheck?.test)).toContain('ping');
  });

  test('api and worker are built from this repository and reach the same Temporal task queue', () => {
    for (const name of ['api', 'worker']) {
      const build = service(name).build;
      expect(typeof build === 'string' ? build : build?.context).toBe('.');
      expect(service(name).depends_on?.['temporal-setup']?.condition).toBe('service_completed_successfully');
    }
    const api = env('api');
    const worker = env('worker');
    expect(api.TEMPORAL_ADDRESS).toBe('temporal:7233');
    for (const variable of [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TASK_QUEUE',
      'OTP_CODE_SECRET',
      'OTP_PAYLOAD_KEYS',
    ]) {
      expect({ variable, value: worker[variable] }).toEqual({ variable, value: api[variable] });
    }
    // Both refuse to start without the payload keys; compose says so before starting anything.
    expect(isRequiredFromHost(api.OTP_PAYLOAD_KEYS, 'OTP_PAYLOAD_KEYS')).toBe(true);
    expect(effectiveValue(api.TEMPORAL_NAMESPACE)).toBe('default');
    expect(effectiveValue(api.TEMPORAL_TASK_QUEUE)).toBe('otp-sessions');
  });

  test('the api uses the redis service, its tenants file and a /readyz healthcheck', () => {
    const api = service('api');
    const apiEnv = env('api');
    expect(apiEnv.REDIS_URL).toBe('redis://redis:6379');
    expect(api.depends_on?.redis?.condition).toBe('service_healthy');
    expect(isRequiredFromHost(apiEnv.OTP_TOKEN_SECRET, 'OTP_TOKEN_SECRET')).toBe(true);
    expect(isRequiredFromHost(apiEnv.OTP_CODE_SECRET, 'OTP_CODE_SECRET')).toBe(true);
    expect(apiEnv).toHaveProperty('TRUST_PROXY');

    const tenantsMount = (api.volumes ?? []).find(
      (volume) => typeof volume === 'object' && volume.target === apiEnv.OTP_TENANTS_FILE,
    );
    expect(tenantsMount).toMatchObject({ type: 'bind', read_only: true });
    expect(effectiveValue((tenantsMount as { source: string }).source)).toBe('./deploy/tenants.example.json');

    const port = effectiveValue(apiEnv.PORT);
    expect(port).toBe('3000');
    expect(api.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    const probe = asWords(api.healthcheck?.test);
    expect(probe).toContain(`:${port}/readyz`);
    expect(api.deploy?.replicas).toEqual(expect.any(Number));
  });

  test('the worker sends email through mailpit and takes Twilio settings from the host', () => {
    const worker = service('worker');
    const workerEnv = env('worker');
    expect(asWords(worker.command)).toBe('node dist/src/worker.js');
    expect(effectiveValue(workerEnv.SMTP_URL)).toBe('smtp://mailpit:1025');
    expect(effectiveValue(workerEnv.EMAIL_FROM)).toBeTruthy();
    for (const variable of [...TWILIO_ENV, 'OTP_BCRYPT_ROUNDS']) {
      expect(workerEnv).toHaveProperty(variable);
    }
    // No published port: `--scale worker=N` must never collide on the host.
    expect(worker.ports).toBeUndefined();
    expect(worker.deploy?.replicas).toEqual(expect.any(Number));
  });

  test('api and worker only receive variables the product defines, and only the secrets they need', () => {
    for (const name of ['api', 'worker']) {
      for (const variable of Object.keys(env(name))) {
        expect({ service: name, variable, documented: DOCUMENTED_ENV.includes(variable) }).toEqual({
          service: name,
          variable,
          documented: true,
        });
      }
    }
    expect(env('worker')).not.toHaveProperty('OTP_TOKEN_SECRET');
    expect(env('worker')).not.toHaveProperty('OTP_CODEC_TOKEN');
    expect(env('api')).not.toHaveProperty('TWILIO_AUTH_TOKEN');
  });

  test('published ports listen on the loopback interface only', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const mapping of svc.ports ?? []) {
        const hostIp = typeof mapping === 'string' ? mapping.split(':')[0] : mapping.host_ip;
        expect({ service: name, hostIp }).toEqual({ service: name, hostIp: '127.0.0.1' });
      }
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages = instructions.filter((line) => /^FROM\s/i.test(line));

  /** The instructions from one stage's FROM up to the next FROM. */
  function stage(name: string): string[] {
    const start = instructions.findIndex((line) => new RegExp(`^FROM\\s.+\\sAS\\s+${name}$`, 'i').test(line));
    expect(start).toBeGreaterThanOrEqual(0);
    const next = instructions.findIndex((line, index) => index > start && /^FROM\s/i.test(line));
    return instructions.slice(start, next === -1 ? undefined : next);
  }

  test('builds in one node:20-bookworm-slim stage and runs from another', () => {
    expect(stages).toEqual([
      expect.stringMatching(/^FROM node:20-bookworm-slim AS build$/i),
      expect.stringMatching(/^FROM node:20-bookworm-slim AS runtime$/i),
    ]);
    const build = stage('build');
    expect(build).toContainEqual(expect.stringMatching(/^RUN npm install\b/));
    expect(build).toContainEqual(expect.stringMatching(/^RUN npm run build\b/));
  });

  test('the runtime stage holds production dependencies and dist only, as a non-root user', () => {
    const runtime = stage('runtime');
    expect(runtime).toContainEqual(expect.stringMatching(/^RUN npm install .*--omit=dev/));
    expect(runtime).toContainEqual(expect.stringMatching(/^COPY --from=build \S*dist \S*dist$/));
    const user = runtime.find((line) => /^USER\s/.test(line));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|$)/);
    expect(runtime[runtime.length - 1]).toBe('CMD ["node", "dist/src/api.js"]');
  });
});

describe('deploy/tenants.example.json', () => {
  const file = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'tenants.example.json'), 'utf8')) as {
    tenants: Record<string, unknown>[];
  };

  test('has the SPEC §6 shape', () => {
    expect(Array.isArray(file.tenants)).toBe(true);
    expect(file.tenants.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const tenant of file.tenants) {
      expect(tenant).toMatchObject({ id: expect.any(String), name: expect.any(String) });
      ids.add(tenant.id as string);
      const keys = tenant.api_keys as Record<string, unknown>[];
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).toEqual({
          id: expect.any(String),
          mode: expect.stringMatching(/^(live|test)$/),
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
      }
      expect(tenant.defaults).toMatchObject({
        expiry_minutes: expect.any(Number),
        max_attempts: expect.any(Number),
      });
      expect(tenant.templates).toMatchObject({
        otp_email: { subject: expect.any(String), text: expect.stringContaining('{{code}}') },
        otp_sms: { text: expect.stringContaining('{{code}}') },
        otp_whatsapp: { content_sid: expect.stringMatching(/^HX/) },
      });
      expect(tenant.limits).toEqual({
        recipient_sends: { max: expect.any(Number), window_minutes: expect.any(Number) },
        ip_sends: { max: expect.any(Number), window_minutes: expect.any(Number) },
        recipient_failures: { max: expect.any(Number), block_hours: expect.any(Number) },
      });
      expect(tenant.credits).toEqual(expect.any(Number));
    }
    expect(ids.size).toBe(file.tenants.length);
  });
});
