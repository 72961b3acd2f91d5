/**
 * The `make cluster` topology as the cluster e2e tests drive it: scripts/cluster.sh (PostgreSQL,
 * the Temporal server, Redis, two workers, one API) in a fresh state directory, on ports no one
 * else uses, stopped the way Ctrl-C stops it. The script's own output and every process's log stay
 * in files (CLUSTER_DIR/logs); a failure shows where they are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';

const repoRoot = path.join(__dirname, '..', '..');

export interface RunningCluster {
  dir: string;
  /** CLUSTER_DIR/run/cluster.env: API_URL, TEMPORAL_ADDRESS, PID_WORKER_1, … */
  env: Record<string, string>;
  apiUrl: string;
  /** Seconds from the script's start to "cluster ready". */
  startSeconds: number;
  /** Pids of the worker processes, by name (worker-1, worker-2). */
  workers: Record<string, number>;
  /** A raw gRPC connection to the frontend (describe, history: no payload decoding needed). */
  connection: Connection;
  /** The script's own output so far (its progress lines; the processes log to files). */
  output(): string;
  /** Whether the script (the supervisor) still runs. */
  running(): boolean;
  /** SIGINT, as Ctrl-C: resolves with the exit code once everything stopped. */
  stop(): Promise<{ code: number | null; seconds: number }>;
}

export interface ClusterOptions {
  /** Reuse a state directory (a restart); default: a fresh one. */
  dir?: string;
  /** Reuse the ports of an earlier start. */
  portOffset?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Ports are the usual ones plus an offset; Temporal keeps membership ports (6933-6939 + offset) in
 * a PostgreSQL smallint, so the offset stays below 25828. The script refuses ports in use.
 */
function randomOffset(): number {
  return 11_000 + Math.floor(Math.random() * 140) * 100;
}

export async function startCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'otp-cluster-'));
  const fixedOffset = options.portOffset;
  for (let attempt = 1; ; attempt++) {
    const offset = fixedOffset ?? randomOffset();
    try {
      return await startOnce(dir, offset, options);
    } catch (err) {
      const portTaken = err instanceof Error && /port \d+ is taken/.test(err.message);
      if (!portTaken || fixedOffset !== undefined || attempt >= 5) throw err;
    }
  }
}

async function startOnce(dir: string, offset: number, options: ClusterOptions): Promise<RunningCluster> {
  const started = Date.now();
  const envFile = path.join(dir, 'run', 'cluster.env');
  const script: ChildProcess = spawn(path.join(repoRoot, 'scripts', 'cluster.sh'), [], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, CLUSTER_DIR: dir, CLUSTER_PORT_OFFSET: String(offset) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const transcript = createWriteStream(path.join(dir, 'cluster-script.log'), { flags: 'a' });
  for (const stream of [script.stdout!, script.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      transcript.write(chunk);
    });
  }
  const exited = once(script, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let exitCode: number | null | undefined;
  void exited.then(([code]) => {
    exitCode = code;
  });

  const deadline = started + (options.timeoutMs ?? 180_000);
  // The script removes cluster.env at start and writes it once every process is ready.
  await new Promise((resolve) => setTimeout(resolve, 500));
  while (!existsSync(envFile) || !output.includes('cluster ready')) {
    if (exitCode !== undefined) {
      throw new Error(`scripts/cluster.sh exited with ${exitCode} before it was ready:\n${output}`);
    }
    if (Date.now() > deadline) {
      script.kill('SIGINT');
      await exited;
      throw new Error(`scripts/cluster.sh not ready in time (logs: ${dir}/logs):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const env = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const workers = Object.fromEntries(
    Object.entries(env)
      .filter(([key]) => /^PID_WORKER_\d+$/.test(key))
      .map(([key, pid]) => [`worker-${key.slice('PID_WORKER_'.length)}`, Number(pid)]),
  );
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const startSeconds = Number(/cluster ready in (\d+)s/.exec(output)?.[1]);

  return {
    dir,
    env,
    apiUrl: env.API_URL,
    startSeconds,
    workers,
    connection,
    output: () => output,
    running: () => exitCode === undefined,
    async stop() {
      await connection.close();
      const stopping = Date.now();
      if (exitCode === undefined) script.kill('SIGINT');
      const timer = setTimeout(() => script.kill('SIGKILL'), 90_000);
      const [code] = await exited;
      clearTimeout(timer);
      transcript.end();
      return { code, seconds: (Date.now() - stopping) / 1000 };
    },
  };
}

/** Whether a process still exists (signal 0 only checks). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Jest's `it`, remembering whether a test of the file failed: a file that failed keeps its
 * cluster's state directory (logs in CLUSTER_DIR/logs) for a look; a green one removes it.
 */
export function trackFailures() {
  let failed = false;
  const test = (name: string, body: () => Promise<void>, timeout?: number) =>
    it(
      name,
      async () => {
        try {
          await body();
        } catch (err) {
          failed = true;
          throw err;
        }
      },
      timeout,
    );
  return { test, failed: () => failed };
}
