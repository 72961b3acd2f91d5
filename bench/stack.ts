/**
 * The stack the benchmark measures, started the way an operator splits it (SPEC §2): an
 * in-memory Temporal dev server (no UI), then the worker and the API as separate processes
 * from the compiled entry points, with fresh secrets, a one-tenant tenants file holding a
 * `sk_test_` key, and free loopback ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { generatePayloadKeys } from '../src/codec/keys';
import { makePollingVersionCurrent } from '../src/temporal/versioning';
import { waitForPoller } from './engine-floor';
import { childPids, commandLine } from './proc-stats';
import { LIVE_EMAIL_TEMPLATE } from './smtp-sink';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(REPO_ROOT, 'dist');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A child process whose output goes to a log file, so a failure can show its last lines. */
export class BenchChild {
  readonly process: ChildProcess;
  private exitNote: string | undefined;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    script: string,
    env: NodeJS.ProcessEnv,
    readonly logFile: string,
  ) {
    const log = fs.openSync(logFile, 'a');
    this.process = spawn(process.execPath, [script], { env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.exitNote = `${name} exited (${signal ?? `code ${code}`}); last lines of ${logFile}:\n${this.tail()}`;
        resolve();
      });
    });
    liveChildren.add(this);
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** A message when the process has exited, undefined while it runs. */
  readonly deathNote = (): string | undefined => this.exitNote;

  tail(lines = 15): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(graceMs = 10_000): Promise<void> {
    liveChildren.delete(this);
    if (this.exitNote !== undefined) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

const liveChildren = new Set<BenchChild>();
// Whatever happens to the benchmark, its children do not outlive it.
process.once('exit', () => {
  for (const child of liveChildren) child.process.kill('SIGKILL');
});

export interface Tenancy {
  file: string;
  /** `sk_test_`: the sandbox flows. */
  apiKey: string;
  /** `sk_live_` keys of the live flows: a tenant with a (large) balance, and one without. */
  liveKeys: { credits: string; free: string };
}

const LIVE_CREDITS = 1_000_000_000;

/**
 * One tenant with one test key; for the live flows one tenant with `credits` and one without,
 * with a live key each. Limits raised so that a load test is not a rate-limit test.
 */
export function writeTenantsFile(dir: string): Tenancy {
  const key = (mode: 'test' | 'live') => `sk_${mode}_${randomBytes(24).toString('base64url')}`;
  const apiKey = key('test');
  const liveKeys = { credits: key('live'), free: key('live') };
  const sha256 = (k: string) => createHash('sha256').update(k).digest('hex');
  const plenty = 1_000_000_000;
  const limits = {
    recipient_sends: { max: plenty, window_minutes: 1 },
    ip_sends: { max: plenty, window_minutes: 1 },
    recipient_failures: { max: plenty, block_hours: 1 },
  };
  const content = {
    tenants: [
      {
        id: 'bench',
        name: 'Bench',
        api_keys: [{ id: 'bench-test', mode: 'test', sha256: sha256(apiKey) }],
        limits,
      },
      {
        id: 'bench-credits',
        name: 'Bench',
        api_keys: [{ id: 'live', mode: 'live', sha256: sha256(liveKeys.credits) }],
        templates: { otp_email: LIVE_EMAIL_TEMPLATE },
        limits,
        credits: LIVE_CREDITS,
      },
      {
        id: 'bench-free',
        name: 'Bench',
        api_keys: [{ id: 'live', mode: 'live', sha256: sha256(liveKeys.free) }],
        templates: { otp_email: LIVE_EMAIL_TEMPLATE },
        limits,
      },
    ],
  };
  const file = path.join(dir, 'tenants.json');
  fs.writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
  return { file, apiKey, liveKeys };
}

export interface OwnStack {
  url: string;
  apiKey: string;
  liveKeys: Tenancy['liveKeys'];
  temporalAddress: string;
  dir: string;
  devServer: TestWorkflowEnvironment;
  temporalServerPid: number | undefined;
  worker: BenchChild;
  api: BenchChild;
  /** Replaces the API and the worker (e.g. with REDIS_URL); resolves once the API is ready and the worker polls. */
  restartAll(extraEnv: NodeJS.ProcessEnv): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  bcryptRounds: number;
  logLevel: string;
  onProgress: (line: string) => void;
  /** Email of live sessions goes there (the worker's SMTP_URL); sandbox sessions send nothing. */
  smtpUrl?: string;
  /** Called once Temporal is up, so other processes can start alongside the worker and API. */
  onTemporalReady?: (address: string, dir: string) => void;
}

export async function startTemporal(): Promise<{
  devServer: TestWorkflowEnvironment;
  pid: number | undefined;
}> {
  // Imported here so that a run against an existing stack never resolves the toolchain.
  const { startDevServer } = await import('../src/temporal/dev-server');
  const before = new Set(childPids());
  const devServer = await startDevServer({ port: await freePort() });
  const pid = childPids().find((p) => !before.has(p) && /start-dev/.test(commandLine(p)));
  return { devServer, pid };
}

/**
 * What every product process of a bench stack (workers and APIs) shares, as in any split
 * deployment: one Temporal, fresh secrets (one code secret, token secret and payload key list),
 * one tenants file, the bcrypt cost and log level.
 */
export function productEnv(options: {
  temporalAddress: string;
  tenantsFile: string;
  bcryptRounds: number | string;
  logLevel: string;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    OTP_CODE_SECRET: randomBytes(32).toString('hex'),
    OTP_TOKEN_SECRET: randomBytes(32).toString('hex'),
    OTP_PAYLOAD_KEYS: generatePayloadKeys(),
    OTP_BCRYPT_ROUNDS: String(options.bcryptRounds),
    OTP_TENANTS_FILE: options.tenantsFile,
    LOG_LEVEL: options.logLevel,
    // No worker metrics endpoint: a `make run` on the same machine may hold 9464.
    WORKER_METRICS_PORT: '0',
    // Per-process limits and credits unless a run sets REDIS_URL (the credits flows do): the bench
    // tenants' limits are far above its load, and it measures throughput, not the limits.
    OTP_ALLOW_PROCESS_LOCAL_STORE: 'true',
  };
}

export async function startOwnStack(options: StackOptions): Promise<OwnStack> {
  for (const entry of ['src/bin/worker.js', 'src/bin/api.js']) {
    if (!fs.existsSync(path.join(DIST, entry))) {
      throw new Error(`dist/${entry} is missing: run \`npm run build\` first (make bench does)`);
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-otp-bench-'));
  options.onProgress('starting the Temporal dev server (in memory, no UI)');
  const { devServer, pid: temporalServerPid } = await startTemporal();
  const temporalAddress = devServer.address;
  options.onTemporalReady?.(temporalAddress, dir);
  const tenancy = writeTenantsFile(dir);
  const port = await freePort();
  const common: NodeJS.ProcessEnv = {
    ...productEnv({
      temporalAddress,
      tenantsFile: tenancy.file,
      bcryptRounds: options.bcryptRounds,
      logLevel: options.logLevel,
    }),
    TEMPORAL_TASK_QUEUE: 'otp-sessions',
    DATA_DIR: path.join(dir, 'data'),
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl, EMAIL_FROM: 'bench@example.test' } : {}),
  };
  let workerCount = 0;
  const spawnWorker = (extraEnv: NodeJS.ProcessEnv) =>
    new BenchChild(
      'worker',
      path.join(DIST, 'src/bin/worker.js'),
      { ...common, ...extraEnv },
      path.join(dir, `worker-${++workerCount}.log`),
    );

  let worker = spawnWorker({});
  let apiCount = 0;
  const spawnApi = (extraEnv: NodeJS.ProcessEnv) =>
    new BenchChild(
      'api',
      path.join(DIST, 'src/bin/api.js'),
      { ...common, ...extraEnv, PORT: String(port) },
      path.join(dir, `api-${++apiCount}.log`),
    );
  let api = spawnApi({});
  const url = `http://127.0.0.1:${port}`;
  const anyDead = () => worker.deathNote() ?? api.deathNote();
  options.onProgress(`waiting for the API (${url}) to be ready and the worker to poll`);
  // The stack owns its deployment: its worker's build becomes current (SPEC §10).
  await makePollingVersionCurrent(devServer.client.workflowService, 'default', 'otp-sessions', {
    timeoutMs: 120_000,
  });
  await waitFor200(`${url}/readyz`, 120_000, anyDead);

  const stack: OwnStack = {
    url,
    apiKey: tenancy.apiKey,
    liveKeys: tenancy.liveKeys,
    temporalAddress,
    dir,
    devServer,
    temporalServerPid,
    worker,
    api,
    async restartAll(extraEnv) {
      await Promise.all([api.stop(), worker.stop()]);
      api = spawnApi(extraEnv);
      worker = spawnWorker(extraEnv);
      Object.assign(stack, { api, worker });
      await waitFor200(`${url}/readyz`, 120_000, () => worker.deathNote() ?? api.deathNote());
      await waitForPoller(devServer.client, 'otp-sessions', 120_000, worker.deathNote, `${worker.pid}@`);
    },
    async stop() {
      await Promise.all([stack.api.stop(), stack.worker.stop()]);
      await devServer.teardown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** GET a path until it answers 200 or the time is up. */
export async function waitFor200(
  url: string,
  timeoutMs: number,
  alive: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const dead = alive();
    if (dead) throw new Error(dead);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}
