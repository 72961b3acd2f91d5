/**
 * The scaled deployment cannot be started on machines without a Docker engine, so its wiring is
 * checked by parsing: docker-compose.yml, the Dockerfile's stages and the example tenants file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SESSION_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const repoRoot = join(__dirname, '..');

type EnvValue = string | number | boolean | null;

interface ComposeService {
  image?: string;
  build?: string | { context?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue>;
  env_file?: string | string[];
  depends_on?: Record<string, { condition?: string }>;
  ports?: (string | { host_ip?: string; published?: string | number })[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  healthcheck?: { test?: string | string[] };
  deploy?: { replicas?: number };
  stop_grace_period?: string;
  restart?: string;
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
 * Environment variables the product defines: SPEC §2 and §7 (TRUST_PROXY_HOPS), §12
 * (TWILIO_VOICE_FROM), plus the
 * documented additions OTP_CODE_SECRET, OTP_BCRYPT_ROUNDS and LOG_LEVEL, and SPEC §8's
 * OTP_PAYLOAD_KEYS and OTP_CODEC_TOKEN.
 */
const DOCUMENTED_ENV = `
  PORT DATA_DIR TEMPORAL_ADDRESS TEMPORAL_NAMESPACE TEMPORAL_TASK_QUEUE
  TEMPORAL_DEV_PORT TEMPORAL_DEV_UI_PORT TEMPORAL_UI_URL OTP_TENANTS_FILE OTP_TOKEN_SECRET
  SMTP_URL EMAIL_FROM TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN TWILIO_SMS_FROM
  TWILIO_MESSAGING_SERVICE_SID TWILIO_WHATSAPP_FROM TWILIO_WHATSAPP_CONTENT_SID TWILIO_VOICE_FROM
  TWILIO_API_BASE_URL REDIS_URL TRUST_PROXY TRUST_PROXY_HOPS PUBLIC_BASE_URL
  OTP_CODE_SECRET OTP_BCRYPT_ROUNDS LOG_LEVEL OTP_PAYLOAD_KEYS OTP_CODEC_TOKEN
  WORKER_METRICS_HOST WORKER_METRICS_PORT METRICS_TOKEN OTP_ADMIN_TOKEN WORKER_SHUTDOWN_GRACE WORKER_BUILD_ID
  WORKER_DEPLOYMENT_NAME HOST OTP_ALLOW_PROCESS_LOCAL_STORE
`
  .trim()
  .split(/\s+/);

/** What no `environment:` may hold: these come from deploy/secrets/*.env (env_file). */
const SECRETS = [
  'OTP_TOKEN_SECRET',
  'OTP_CODE_SECRET',
  'OTP_ADMIN_TOKEN',
  'OTP_CODEC_TOKEN',
  'OTP_PAYLOAD_KEYS',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_ACCOUNT_SID',
  'SMTP_URL',
  'POSTGRES_PASSWORD',
  'POSTGRES_PWD',
  'SQL_PASSWORD',
];

/** The Twilio settings that are not secret, passed through from the host. */
const TWILIO_SETTINGS = [
  'TWILIO_SMS_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
  'TWILIO_WHATSAPP_FROM',
  'TWILIO_WHATSAPP_CONTENT_SID',
  'TWILIO_VOICE_FROM',
  'TWILIO_API_BASE_URL',
];

/** The session's search attributes as the code defines them, in the CLI's type names. */
const CLI_TYPE: Record<string, string> = {
  KEYWORD: 'Keyword',
  KEYWORD_LIST: 'KeywordList',
  BOOL: 'Bool',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  DATETIME: 'Datetime',
};
const SEARCH_ATTRIBUTES = Object.fromEntries(
  SESSION_SEARCH_ATTRIBUTES.map((key) => [key.name, CLI_TYPE[key.type]]),
);

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function env(name: string): Record<string, EnvValue> {
  return service(name).environment ?? {};
}

function envFiles(name: string): string[] {
  const files = service(name).env_file ?? [];
  return (Array.isArray(files) ? files : [files]).map((file) => file.replace(/^\.\//, ''));
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

function asWords(command: string | string[] | undefined): string {
  return Array.isArray(command) ? command.join(' ') : (command ?? '');
}

/** deploy/secrets.sh writes every env file the compose file reads, and each variable in it. */
const secretsScript = readFileSync(join(repoRoot, 'deploy', 'secrets.sh'), 'utf8');
function secretsFileDefines(file: string): string[] {
  const name = file.replace(/^deploy\/secrets\//, '');
  const call = new RegExp(`^write ${name.replace('.', '\\.')} \\\\\\n((?:.*\\\\\\n)*.*)$`, 'm').exec(
    secretsScript,
  );
  if (!call) return [];
  return [...call[1].matchAll(/"([A-Z_]+)=/g)].map((m) => m[1]);
}

describe('docker-compose.yml', () => {
  test('defines every service of the scaled deployment', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'codec-proxy',
        'grafana',
        'mailpit',
        'postgresql',
        'prometheus',
        'redis',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
        'worker-deployment',
      ].sort(),
    );
  });

  test('every image is pinned to a tag, and none is the deprecated auto-setup', () => {
    for (const [name, svc] of Object.entries(services)) {
      expect({ name, hasImageOrBuild: Boolean(svc.image || svc.build) }).toEqual({
        name,
        hasImageOrBuild: true,
      });
      if (!svc.image) continue;
      const [, tag] = /:([\w][\w.-]*)$/.exec(svc.image.split('/').pop() ?? '') ?? [];
      expect({ name, tag }).toEqual({ name, tag: expect.any(String) });
      expect({ name, tag }).not.toEqual({ name, tag: 'latest' });
      expect(svc.image).not.toMatch(/auto-setup/);
    }
  });

  test('postgresql has a healthcheck, keeps its data in a named volume, and its password in an env file', () => {
    const postgresql = service('postgresql');
    expect(postgresql.image).toMatch(/^postgres:16(\.|$)/);
    expect(asWords(postgresql.healthcheck?.test)).toContain('pg_isready');
    const dataVolume = (postgresql.volumes ?? []).find(
      (volume) => typeof volume === 'string' && volume.endsWith(':/var/lib/postgresql/data'),
    ) as string | undefined;
    expect(dataVolume).toBeDefined();
    const volumeName = dataVolume!.split(':')[0];
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
    expect(envFiles('postgresql')).toEqual(['deploy/secrets/postgres.env']);
    expect(secretsFileDefines('deploy/secrets/postgres.env')).toEqual(['POSTGRES_PASSWORD', 'POSTGRES_PWD']);
  });

  test('temporal-schema sets up both databases with temporal-sql-tool before the server starts', () => {
    const schema = service('temporal-schema');
    expect(schema.image).toMatch(/^temporalio\/admin-tools:1\.29\.\d+/);
    expect(schema.depends_on?.postgresql?.condition).toBe('service_healthy');
    expect(schema.restart).toBe('no');
    expect(env('temporal-schema')).toMatchObject({
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: 'postgresql',
      SQL_USER: env('postgresql').POSTGRES_USER,
    });
    expect(envFiles('temporal-schema')).toEqual(['deploy/secrets/postgres.env']);
    const script = asWords(schema.command);
    expect(script).toContain('SQL_PASSWORD="$$POSTGRES_PWD"');
    expect(script).toContain('for db in temporal temporal_visibility');
    for (const step of ['create', 'setup-schema -v 0.0', 'update-schema --schema-name']) {
      expect(script).toContain(`temporal-sql-tool --db "$$db" ${step}`);
    }
    expect(script).toContain('postgresql/v12/temporal');
    expect(script).toContain('postgresql/v12/visibility');
  });

  test('temporal runs the 1.29.x server on postgresql, with a chosen and explained shard count', () => {
    const temporal = service('temporal');
    expect(temporal.image).toMatch(/^temporalio\/server:1\.29\.\d+$/);
    const temporalEnv = env('temporal');
    expect(temporalEnv.DB).toBe('postgres12');
    expect(temporalEnv.POSTGRES_SEEDS).toBe('postgresql');
    expect(String(temporalEnv.DB_PORT)).toBe('5432');
    expect(temporalEnv.POSTGRES_USER).toBe(env('postgresql').POSTGRES_USER);
    expect(envFiles('temporal')).toEqual(envFiles('postgresql'));
    expect(temporal.depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
    expect(Number(effectiveValue(temporalEnv.NUM_HISTORY_SHARDS))).toBeGreaterThanOrEqual(4);
    // The comment says why the number, and that it cannot change later.
    const file = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    const before = file.slice(0, file.indexOf('NUM_HISTORY_SHARDS'));
    expect(before.slice(before.lastIndexOf('\n\n'))).toMatch(/fixed when the cluster first starts/);
    // The dynamic config is the one `make cluster` uses (the image resolves it from /etc/temporal).
    expect(temporal.volumes).toContainEqual(
      `./deploy/cluster/dynamicconfig.yaml:/etc/temporal/${temporalEnv.DYNAMIC_CONFIG_FILE_PATH}:ro`,
    );
    expect(temporal.stop_grace_period).toBeDefined();
  });

  test("temporal-namespace registers the namespace with OTP_RETENTION and exactly the code's search attributes", () => {
    const setup = service('temporal-namespace');
    expect(setup.image).toMatch(/^temporalio\/admin-tools:1\.29\.\d+/);
    expect(setup.depends_on).toHaveProperty('temporal');
    const setupEnv = env('temporal-namespace');
    expect(setupEnv.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(setupEnv.TEMPORAL_NAMESPACE).toBe(env('api').TEMPORAL_NAMESPACE);
    expect(setupEnv.OTP_RETENTION).toBe('${OTP_RETENTION:-30d}');

    const declared = String(setupEnv.OTP_SEARCH_ATTRIBUTES)
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split('='));
    expect(Object.fromEntries(declared)).toEqual(SEARCH_ATTRIBUTES);
    expect(declared).toHaveLength(SESSION_SEARCH_ATTRIBUTES.length);

    const script = asWords(setup.command);
    expect(script).toContain('ns create --retention "$$OTP_RETENTION"');
    expect(script).toContain('ns update --retention "$$OTP_RETENTION"');
    expect(script).toContain('temporal operator search-attribute create');
    expect(script).toContain('$$OTP_SEARCH_ATTRIBUTES');
    expect(script).toMatch(/until .+; do/);
  });

  test('the UI points at the temporal frontend, listens on 8080 and decodes through codec-proxy', () => {
    const ui = service('temporal-ui');
    expect(ui.image).toMatch(/^temporalio\/ui:2\.\d+\.\d+$/);
    expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(ui.ports).toContain('127.0.0.1:8080:8080');
    expect(effectiveValue(env('api').TEMPORAL_UI_URL)).toBe('http://localhost:8080');

    const proxy = service('codec-proxy');
    expect(proxy.ports).toEqual(['127.0.0.1:8081:8081']);
    expect(env('temporal-ui').TEMPORAL_CODEC_ENDPOINT).toBe('http://localhost:8081/codec');
    expect(envFiles('codec-proxy')).toEqual(['deploy/secrets/codec.env']);
    const template = readFileSync(join(repoRoot, 'deploy', 'codec-proxy.conf.template'), 'utf8');
    expect(template).toContain('listen 8081;');
    expect(template).toContain('proxy_pass http://api:3000;');
    expect(template).toContain('proxy_set_header Authorization "Bearer ${OTP_CODEC_TOKEN}";');
    expect(proxy.volumes).toContainEqual(
      './deploy/codec-proxy.conf.template:/etc/nginx/templates/default.conf.template:ro',
    );
  });

  test('mailpit serves its inbox on 8025', () => {
    const mailpit = service('mailpit');
    expect(mailpit.image).toMatch(/^axllent\/mailpit:v\d+/);
    expect(mailpit.ports).toContain('127.0.0.1:8025:8025');
  });

  test('redis has a healthcheck and keeps balances across restarts (append-only file on a volume)', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7(\.|$)/);
    expect(asWords(redis.healthcheck?.test)).toContain('ping');
    expect(asWords(redis.command)).toContain('--appendonly yes');
    const dataVolume = (redis.volumes ?? []).find(
      (volume) => typeof volume === 'string' && volume.endsWith(':/data'),
    ) as string;
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume.split(':')[0]);
  });

  test('api and workers are built from this repository, reach the same task queue and share Redis', () => {
    for (const name of ['api', 'worker']) {
      const build = service(name).build;
      expect(typeof build === 'string' ? build : build?.context).toBe('.');
      expect(service(name).depends_on?.['temporal-namespace']?.condition).toBe(
        'service_completed_successfully',
      );
      expect(service(name).depends_on?.redis?.condition).toBe('service_healthy');
      expect(env(name).REDIS_URL).toBe('redis://redis:6379');
    }
    const api = env('api');
    const worker = env('worker');
    expect(api.TEMPORAL_ADDRESS).toBe('temporal:7233');
    for (const variable of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'REDIS_URL']) {
      expect({ variable, value: worker[variable] }).toEqual({ variable, value: api[variable] });
    }
    expect(effectiveValue(api.TEMPORAL_NAMESPACE)).toBe('default');
    expect(effectiveValue(api.TEMPORAL_TASK_QUEUE)).toBe('otp-sessions');
  });

  test('secrets come from env files, each to the services that need it, and every file is generated', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const variable of SECRETS) {
        expect({ service: name, variable, inEnvironment: variable in (svc.environment ?? {}) }).toEqual({
          service: name,
          variable,
          inEnvironment: false,
        });
      }
    }
    expect(envFiles('api')).toEqual([
      'deploy/secrets/otp.env',
      'deploy/secrets/api.env',
      'deploy/secrets/codec.env',
    ]);
    expect(envFiles('worker')).toEqual(['deploy/secrets/otp.env', 'deploy/secrets/worker.env']);
    const defines = (files: string[]) => files.flatMap(secretsFileDefines).sort();
    expect(defines(envFiles('api'))).toEqual(
      [
        'OTP_ADMIN_TOKEN',
        'OTP_CODEC_TOKEN',
        'OTP_CODE_SECRET',
        'OTP_PAYLOAD_KEYS',
        'OTP_TOKEN_SECRET',
        // Twilio's status callbacks are checked with the account's auth token (SPEC §9).
        'TWILIO_ACCOUNT_SID',
        'TWILIO_AUTH_TOKEN',
      ].sort(),
    );
    expect(defines(envFiles('worker'))).toEqual(
      ['OTP_CODE_SECRET', 'OTP_PAYLOAD_KEYS', 'SMTP_URL', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'].sort(),
    );
    expect(secretsScript).toContain('"SMTP_URL=smtp://mailpit:1025"');
    expect(readFileSync(join(repoRoot, '.gitignore'), 'utf8').split('\n')).toContain('deploy/secrets/');
  });

  test('workers read the same tenants file (webhook secrets) and both know PUBLIC_BASE_URL', () => {
    const apiMount = service('api').volumes;
    expect(service('worker').volumes).toEqual(apiMount);
    expect(env('worker').OTP_TENANTS_FILE).toBe(env('api').OTP_TENANTS_FILE);
    for (const name of ['api', 'worker']) expect(env(name)).toHaveProperty('PUBLIC_BASE_URL');
  });

  test('the api uses its tenants file and a /readyz healthcheck', () => {
    const api = service('api');
    const apiEnv = env('api');
    expect(apiEnv).toHaveProperty('TRUST_PROXY');

    const tenantsMount = (api.volumes ?? []).find(
      (volume) => typeof volume === 'object' && volume.target === apiEnv.OTP_TENANTS_FILE,
    );
    expect(tenantsMount).toMatchObject({ type: 'bind', read_only: true });
    expect(effectiveValue((tenantsMount as { source: string }).source)).toBe('./deploy/tenants.example.json');

    // The API's default is loopback (HOST): in its container it must listen on every interface.
    expect(effectiveValue(apiEnv.HOST)).toBe('0.0.0.0');
    const port = effectiveValue(apiEnv.PORT);
    expect(port).toBe('3000');
    expect(api.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    const probe = asWords(api.healthcheck?.test);
    expect(probe).toContain(`:${port}/readyz`);
    expect(api.deploy?.replicas).toEqual(expect.any(Number));
  });

  test('N workers send email through mailpit by default and take Twilio settings from the host', () => {
    const worker = service('worker');
    const workerEnv = env('worker');
    expect(asWords(worker.command)).toBe('node dist/src/bin/worker.js');
    expect(effectiveValue(workerEnv.EMAIL_FROM)).toBeTruthy();
    for (const variable of [...TWILIO_SETTINGS, 'OTP_BCRYPT_ROUNDS']) {
      expect(workerEnv).toHaveProperty(variable);
    }
    // No published port: `--scale worker=N` must never collide on the host.
    expect(worker.ports).toBeUndefined();
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  test("a one-shot makes the workers' build current once they poll, on the workers' cluster and task queue", () => {
    const deployment = service('worker-deployment');
    expect(asWords(deployment.command)).toBe('node dist/src/bin/deploy.js promote --no-wait');
    expect(deployment.image).toBe(service('worker').image);
    expect(deployment.restart).toBe('no');
    expect(deployment.depends_on).toMatchObject({ worker: { condition: 'service_started' } });
    for (const variable of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE']) {
      expect({ variable, value: env('worker-deployment')[variable] }).toEqual({
        variable,
        value: env('worker')[variable],
      });
    }
  });

  test('api and workers stop gracefully: time to finish what they hold before SIGKILL', () => {
    for (const name of ['api', 'worker', 'temporal']) {
      const grace = service(name).stop_grace_period ?? '';
      expect({ name, seconds: Number(/^(\d+)s$/.exec(grace)?.[1] ?? 0) }).toEqual({
        name,
        seconds: expect.any(Number),
      });
      expect(Number(/^(\d+)s$/.exec(grace)?.[1])).toBeGreaterThan(10); // compose's default is 10 s
    }
    expect((service('api') as { init?: boolean } & ComposeService).init).toBe(true);
  });

  test('api and worker only receive variables the product defines', () => {
    for (const name of ['api', 'worker']) {
      for (const variable of Object.keys(env(name))) {
        expect({ service: name, variable, documented: DOCUMENTED_ENV.includes(variable) }).toEqual({
          service: name,
          variable,
          documented: true,
        });
      }
    }
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

describe('metrics in compose (SPEC §8)', () => {
  const scrape = parse(readFileSync(join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: {
      job_name: string;
      static_configs?: { targets: string[] }[];
      dns_sd_configs?: { names: string[]; port: number }[];
    }[];
  };

  test('Prometheus scrapes the API and every worker replica on the port the workers open', () => {
    const api = scrape.scrape_configs.find((c) => c.job_name === 'otp-api')!;
    expect(api.static_configs![0].targets).toEqual([`api:3000`]);
    const workers = scrape.scrape_configs.find((c) => c.job_name === 'otp-worker')!;
    expect(workers.dns_sd_configs![0].names).toEqual(['worker']);
    expect(String(workers.dns_sd_configs![0].port)).toBe(
      String(services.worker.environment!.WORKER_METRICS_PORT),
    );
    expect(services.worker.environment!.WORKER_METRICS_HOST).toBe('0.0.0.0');
  });

  test('Grafana gets the provisioned dashboard and the Prometheus datasource; both on loopback', () => {
    const mounts = (services.grafana.volumes ?? []).map(String);
    expect(mounts).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(mounts).toContain('./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro');
    expect((services.prometheus.volumes ?? []).map(String)).toContain(
      './deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
    );
    for (const name of ['prometheus', 'grafana']) {
      for (const port of services[name].ports ?? []) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
    }
  });

  test('Prometheus is the release the alert rules are tested with (scripts/prometheus-toolchain.sh)', () => {
    const toolchain = readFileSync(join(repoRoot, 'scripts/prometheus-toolchain.sh'), 'utf8');
    // Prometheus 3.x is on the Go module proxy as v0.3xx.y: v0.316.0 is release v3.16.0.
    const [, minor, patch] = /^PROMETHEUS_MODULE_VERSION=0\.3(\d\d)\.(\d+)$/m.exec(toolchain) ?? [];
    expect(minor).toBeDefined();
    expect(services.prometheus.image).toBe(`prom/prometheus:v3.${Number(minor)}.${patch}`);
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
    expect(runtime[runtime.length - 1]).toBe('CMD ["node", "dist/src/bin/api.js"]');
    // `docker run` of the image reaches the API too: HOST=0.0.0.0 in the image (loopback outside it).
    expect(runtime).toContainEqual(expect.stringMatching(/^ENV .*\bHOST=0\.0\.0\.0(\s|$)/));
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
