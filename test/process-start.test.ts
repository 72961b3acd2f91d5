/**
 * The API and the worker as separate processes (`node dist/src/bin/api.js`, `node dist/src/bin/worker.js`,
 * i.e. `make run-api` / `make run-worker`): they fail closed on a split store, refusing to start
 * without REDIS_URL unless OTP_ALLOW_PROCESS_LOCAL_STORE=true says per-process limits are meant;
 * and the API listens on loopback (HOST) unless told otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer } from '../src/temporal/dev-server';
import { ensureBuilt, ROOT } from './support/build';
import { TEST_CODE_SECRET, TEST_PAYLOAD_KEYS_ENV, testDataConverter } from './support/session-env';

const TOKEN_SECRET = 'test-token-secret-that-is-long-enough-0123456789';

let devServer: TestWorkflowEnvironment;
let dir: string;
let tenantsFile: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ensureBuilt(['dist/src/bin/api.js', 'dist/src/bin/worker.js']);
  devServer = await startDevServer({ dataConverter: testDataConverter });
  dir = mkdtempSync(path.join(tmpdir(), 'otp-process-start-'));
  tenantsFile = path.join(dir, 'tenants.json');
  const key = 'sk_live_proc_0123456789abcdef0123456789abcdef01';
  writeFileSync(
    tenantsFile,
    JSON.stringify({
      tenants: [
        {
          id: 'proc',
          name: 'Proc',
          api_keys: [{ id: 'k', mode: 'live', sha256: createHash('sha256').update(key).digest('hex') }],
        },
      ],
    }),
  );
}, 300_000);

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await devServer?.teardown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves once the output matches, rejects if the process exits first. */
  printed(pattern: RegExp): Promise<void>;
}

/** `entry` with the settings both roles need (Temporal, secrets, tenants), and `env` on top. */
function start(entry: 'api' | 'worker', env: Record<string, string>): Started {
  const child = spawn(process.execPath, [path.join(ROOT, `dist/src/bin/${entry}.js`)], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      DATA_DIR: dir,
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_TASK_QUEUE: `process-start-${entry}`,
      OTP_TENANTS_FILE: tenantsFile,
      OTP_TOKEN_SECRET: TOKEN_SECRET,
      OTP_CODE_SECRET: TEST_CODE_SECRET,
      OTP_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS_ENV,
      WORKER_METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  const waiters: (() => void)[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      for (const wake of waiters.splice(0)) wake();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    async printed(pattern) {
      while (!pattern.test(text)) {
        const outcome = await Promise.race([
          new Promise<'more'>((resolve) => waiters.push(() => resolve('more'))),
          exited.then(() => 'exit' as const),
        ]);
        if (outcome === 'exit' && !pattern.test(text))
          throw new Error(`${entry} exited before printing ${pattern}:\n${text}`);
      }
    },
  };
}

async function stop(started: Started): Promise<void> {
  started.child.kill('SIGTERM');
  await started.exited;
}

describe('fail closed on a split store (no REDIS_URL)', () => {
  it.each(['api', 'worker'] as const)(
    '%s alone refuses to start, naming REDIS_URL and OTP_ALLOW_PROCESS_LOCAL_STORE',
    async (entry) => {
      const started = start(entry, {});
      expect(await started.exited).toBe(1);
      const output = started.output();
      expect(output).toMatch(/REDIS_URL: is required/);
      expect(output).toContain('OTP_ALLOW_PROCESS_LOCAL_STORE=true');
      // Refused before it did anything: no worker polled, no API listened.
      expect(output).not.toMatch(/worker polling|API listening/);
    },
  );

  it('a value other than true (e.g. "false") is no opt-out', async () => {
    const started = start('worker', { OTP_ALLOW_PROCESS_LOCAL_STORE: 'false' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/REDIS_URL: is required/);
  });

  it('with OTP_ALLOW_PROCESS_LOCAL_STORE=true both start, and say their limits are per process', async () => {
    const worker = start('worker', { OTP_ALLOW_PROCESS_LOCAL_STORE: 'true' });
    const api = start('api', { OTP_ALLOW_PROCESS_LOCAL_STORE: 'true', PORT: String(await freePort()) });
    try {
      await worker.printed(/"msg":"worker polling"/);
      await api.printed(/"msg":"API listening"/);
      for (const started of [worker, api])
        expect(started.output()).toMatch(/"level":40,.*OTP_ALLOW_PROCESS_LOCAL_STORE/);
    } finally {
      await stop(api);
      await stop(worker);
    }
  });
});

describe('HOST', () => {
  /** Whether something accepts TCP connections on host:port. */
  const accepts = (host: string, port: number) =>
    fetch(`http://${host}:${port}/healthz`).then(
      () => true,
      () => false,
    );

  it('the API listens on 127.0.0.1 only by default: another loopback address (127.0.0.2) is refused', async () => {
    const port = await freePort();
    const api = start('api', { OTP_ALLOW_PROCESS_LOCAL_STORE: 'true', PORT: String(port) });
    try {
      await api.printed(/"msg":"API listening"/);
      expect(api.output()).toContain(`"url":"http://127.0.0.1:${port}"`);
      expect(await accepts('127.0.0.1', port)).toBe(true);
      // Listening on every interface (0.0.0.0), 127.0.0.2 would answer as well.
      expect(await accepts('127.0.0.2', port)).toBe(false);
    } finally {
      await stop(api);
    }
  });
});
