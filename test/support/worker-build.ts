/**
 * Other builds of the product for the Worker Versioning tests: a copy of `npm run build`'s dist/
 * (with node_modules linked), optionally with another workflow bundle, as a new release would be
 * deployed next to the running one — and its workers, spawned against a `make cluster` topology.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  cpSync,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { bundleSessionWorkflows } from '../../src/temporal/workflow-bundle';
import { ROOT } from './build';
import type { RunningCluster } from './cluster';

export interface Build {
  /** The copy's root: dist/ and a node_modules link. */
  root: string;
  dist: string;
  /** What its workers report: `node dist/src/bin/deploy.js build-id` of the copy. */
  buildId(env?: Record<string, string>): string;
  remove(): void;
}

/**
 * A copy of dist/. With `workflowsPath`, its two workflow bundles (traced and untraced) are made
 * from that entry module instead, as `npm run build` makes them from workflows/.
 */
export async function copyBuild(options: { workflowsPath?: string } = {}): Promise<Build> {
  const root = mkdtempSync(path.join(tmpdir(), 'otp-build-'));
  const dist = path.join(root, 'dist');
  cpSync(path.join(ROOT, 'dist'), dist, { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  if (options.workflowsPath) {
    const logger = new DefaultLogger('WARN');
    const { workflowsPath } = options;
    writeFileSync(
      path.join(dist, 'workflow-bundle.js'),
      await bundleSessionWorkflows(logger, { tracing: true, workflowsPath }),
    );
    writeFileSync(
      path.join(dist, 'workflow-bundle-untraced.js'),
      await bundleSessionWorkflows(logger, { tracing: false, workflowsPath }),
    );
  }
  return {
    root,
    dist,
    buildId: (env = {}) =>
      execFileSync(process.execPath, [path.join(dist, 'src/bin/deploy.js'), 'build-id'], {
        cwd: root,
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
      }).trim(),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The environment scripts/cluster.sh gives its workers: its addresses, secrets and tenants file. */
export function clusterWorkerEnv(
  cluster: RunningCluster,
  extra: Record<string, string>,
): Record<string, string> {
  const secrets = Object.fromEntries(
    readFileSync(path.join(cluster.dir, 'secrets.env'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    PATH: process.env.PATH ?? '',
    TEMPORAL_ADDRESS: cluster.env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: cluster.env.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: cluster.env.TEMPORAL_TASK_QUEUE,
    REDIS_URL: `redis://:${secrets.CLUSTER_REDIS_PASSWORD}@127.0.0.1:${cluster.env.CLUSTER_REDIS_PORT}`,
    OTP_CODE_SECRET: secrets.OTP_CODE_SECRET,
    OTP_PAYLOAD_KEYS: secrets.OTP_PAYLOAD_KEYS,
    // No metrics endpoint: the cluster's workers hold the usual ports.
    WORKER_METRICS_PORT: '0',
    ...extra,
  };
}

export interface SpawnedWorker {
  pid: number;
  /** The worker's "worker polling" log line. */
  polling: Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  /** SIGTERM, as an orchestrator stops it: resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `node <build>/dist/src/bin/worker.js`, logging to `logFile`. */
export function spawnBuildWorker(build: Build, env: Record<string, string>, logFile: string): SpawnedWorker {
  const child: ChildProcess = spawn(process.execPath, [path.join(build.dist, 'src/bin/worker.js')], {
    cwd: build.root,
    env: { DATA_DIR: path.join(build.root, 'data'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      log.write(chunk);
    });
  }
  const exited = once(child, 'exit').then(([code]) => {
    log.end();
    return code as number | null;
  });
  const polling = new Promise<Record<string, unknown>>((resolve, reject) => {
    const look = () => {
      const line = output
        .split('\n')
        .slice(0, -1) // the last one may be incomplete
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((entry) => entry.msg === 'worker polling');
      if (line) return resolve(line);
      if (child.exitCode !== null) return reject(new Error(`worker exited before polling:\n${output}`));
      setTimeout(look, 100);
    };
    look();
  });
  return {
    pid: child.pid!,
    polling,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
