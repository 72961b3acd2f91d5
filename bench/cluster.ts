/**
 * The real-cluster topology for `BENCH_CLUSTER=1 npm run bench`: scripts/cluster.sh (PostgreSQL,
 * the Temporal server, Redis, CLUSTER_WORKERS workers, one API) in a fresh state directory on
 * free ports, with the bench's tenants file (a `sk_test_` key, limits raised). Bounded: not ready
 * within BENCH_CLUSTER_START_SECONDS, it is stopped and the bench fails with the script's output.
 * Stopped with SIGTERM, as the script asks of a background job.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, writeTenantsFile } from './stack';

export interface BenchCluster {
  dir: string;
  url: string;
  apiKey: string;
  temporalAddress: string;
  /** api, worker-1…, temporal, postgres (the postmaster: sample it as a tree), redis */
  pids: Record<string, number>;
  stop(): Promise<void>;
}

/** Temporal keeps membership ports (6933-6939 + offset) in a smallint: offsets stay below 25828. */
const randomOffset = () => 11_050 + Math.floor(Math.random() * 140) * 100;

export async function startBenchCluster(options: {
  bcryptRounds: number;
  logLevel: string;
  startSeconds: number;
  onProgress: (line: string) => void;
}): Promise<BenchCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(randomOffset(), options);
    } catch (err) {
      if (!(err instanceof Error && /port \d+ is taken/.test(err.message)) || attempt >= 4) throw err;
    }
  }
}

async function startOnce(
  offset: number,
  options: Parameters<typeof startBenchCluster>[0],
): Promise<BenchCluster> {
  // PostgreSQL runs as another user when this runs as root: the script opens the directory to it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-otp-bench-cluster-'));
  const tenants = writeTenantsFile(dir);
  options.onProgress(`starting scripts/cluster.sh (CLUSTER_DIR ${dir}, port offset ${offset})`);
  const script = spawn(path.join(REPO_ROOT, 'scripts', 'cluster.sh'), [], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CLUSTER_DIR: dir,
      CLUSTER_PORT_OFFSET: String(offset),
      OTP_TENANTS_FILE: tenants.file,
      OTP_BCRYPT_ROUNDS: String(options.bcryptRounds),
      LOG_LEVEL: options.logLevel,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [script.stdout, script.stderr]) stream.on('data', (c: Buffer) => (output += c));
  const exited = once(script, 'exit');
  let exitCode: number | null | undefined;
  void exited.then(([code]) => (exitCode = code as number | null));
  const stopScript = async () => {
    if (exitCode === undefined) script.kill('SIGTERM');
    const timer = setTimeout(() => script.kill('SIGKILL'), 90_000);
    await exited;
    clearTimeout(timer);
  };
  // Whatever happens to the bench, the cluster does not outlive it.
  const onExit = () => script.kill('SIGTERM');
  process.once('exit', onExit);

  const envFile = path.join(dir, 'run', 'cluster.env');
  const deadline = Date.now() + options.startSeconds * 1000;
  while (!output.includes('cluster ready') || !fs.existsSync(envFile)) {
    if (exitCode !== undefined) {
      process.off('exit', onExit);
      throw new Error(`scripts/cluster.sh exited (${exitCode}) before it was ready:\n${output.trim()}`);
    }
    if (Date.now() > deadline) {
      await stopScript();
      process.off('exit', onExit);
      throw new Error(
        `scripts/cluster.sh not ready within ${options.startSeconds} s (BENCH_CLUSTER_START_SECONDS; logs in ${dir}/logs):\n${output.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const env = Object.fromEntries(
    fs
      .readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const pids: Record<string, number> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^PID_(.+)$/.exec(key);
    if (match) pids[match[1].toLowerCase().replace(/_/g, '-')] = Number(value);
  }
  options.onProgress(`cluster ready: ${/cluster ready in \d+s/.exec(output)?.[0] ?? ''}`);
  return {
    dir,
    url: env.API_URL,
    apiKey: tenants.apiKey,
    temporalAddress: env.TEMPORAL_ADDRESS,
    pids,
    async stop() {
      await stopScript();
      process.off('exit', onExit);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
