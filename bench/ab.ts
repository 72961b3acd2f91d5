/**
 * `npm run bench:ab -- <baseline checkout>`: this checkout's product against another build of it,
 * interleaved on one Temporal dev server, so that what the shared machine does meanwhile falls on
 * both alike. A single `npm run bench` swings by ±8 % in CPU per flow from run to run here, more
 * than most changes it is asked to judge.
 *
 * Each side runs its own worker and API (its own task queue and port, the same secrets and
 * tenants file). The sandbox send → verify flow of `npm run bench` then alternates between them,
 * in AB BA AB … order: AB_ROUNDS rounds (default 6) of AB_SECONDS per side (default 15) at
 * AB_CONCURRENCY (default 8), after AB_WARMUP_SECONDS per side (default 5). Each side's CPU ms
 * per flow is summed over its segments: its API and worker, and Temporal while it ran alone.
 * The baseline is any built checkout, e.g.
 * `git worktree add /tmp/base <commit> && cd /tmp/base && npm install && npm run build`, or this one
 * with other settings: AB_CANDIDATE_ENV / AB_BASELINE_ENV add environment to one side (JSON, e.g.
 * `{"NODE_OPTIONS":"--max-semi-space-size=32"}`). AB_WRONG_CODES (default 0) puts that many wrong
 * codes before the right one in every flow (its sessions then allow one attempt more).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makePollingVersionCurrent } from '../src/temporal/versioning';
import { cpuLine, cpuPerFlow } from './cpu-budget';
import { waitForPoller } from './engine-floor';
import { runClosedLoop } from './load';
import { otpFlow, updateRetries, type ApiTarget } from './otp-flows';
import { ProcessSampler } from './proc-stats';
import { fmt, numberEnv } from './report';
import {
  BenchChild,
  freePort,
  productEnv,
  REPO_ROOT,
  startTemporal,
  waitFor200,
  writeTenantsFile,
} from './stack';

const log = (line = '') => process.stdout.write(`${line}\n`);

interface Side {
  name: 'candidate' | 'baseline';
  root: string;
  target: ApiTarget;
  worker: BenchChild;
  api: BenchChild;
  cpuMs: Record<string, number>;
  flows: number;
  rounds: number[];
  /** Per segment: send and verify p50 / p99 ms. */
  latency: { send: (number | null)[]; verify: (number | null)[] }[];
  /** otp_update_retries_total of its API after the warm-up. */
  retriesAtStart?: number;
}

async function main(): Promise<void> {
  const baselineRoot = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  if (!baselineRoot) throw new Error('usage: npm run bench:ab -- <baseline checkout, built>');
  for (const root of [REPO_ROOT, baselineRoot]) {
    for (const entry of ['src/bin/api.js', 'src/bin/worker.js']) {
      if (!fs.existsSync(path.join(root, 'dist', entry)))
        throw new Error(`${root}/dist/${entry} is missing: build it first`);
    }
  }
  const rounds = numberEnv('AB_ROUNDS', 6, 1, 100, { integer: true });
  const seconds = numberEnv('AB_SECONDS', 15, 0.5, 600);
  const concurrency = numberEnv('AB_CONCURRENCY', 8, 1, 512, { integer: true });
  const warmupSeconds = numberEnv('AB_WARMUP_SECONDS', 5, 0, 60);
  // At most 9: a flow's sessions allow one attempt more, and max_attempts is at most 10.
  const wrongCodes = numberEnv('AB_WRONG_CODES', 0, 0, 9, { integer: true });
  const bcryptRounds = numberEnv('OTP_BCRYPT_ROUNDS', 10, 4, 15, { integer: true });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-otp-ab-'));
  log('· starting the Temporal dev server (in memory, no UI)');
  const { devServer, pid: temporalPid } = await startTemporal();
  const tenancy = writeTenantsFile(dir);
  const common = productEnv({
    temporalAddress: devServer.address,
    tenantsFile: tenancy.file,
    bcryptRounds,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  });
  const sides: Side[] = [];
  try {
    for (const [name, root] of [
      ['candidate', REPO_ROOT],
      ['baseline', baselineRoot],
    ] as const) {
      const port = await freePort();
      const env = {
        ...common,
        TEMPORAL_TASK_QUEUE: `otp-${name}`,
        // A deployment of its own per side: a current version is per deployment, and each side's
        // build must be current on its own task queue (builds before 1.0 ignore it).
        WORKER_DEPLOYMENT_NAME: `durable-otp-${name}`,
        DATA_DIR: path.join(dir, name),
        PORT: String(port),
        ...sideEnv(name),
      };
      const start = (role: 'api' | 'worker') =>
        new BenchChild(
          `${name} ${role}`,
          path.join(root, 'dist/src/bin', `${role}.js`),
          env,
          path.join(dir, `${name}-${role}.log`),
        );
      const side: Side = {
        name,
        root,
        target: { url: `http://127.0.0.1:${port}`, apiKey: tenancy.apiKey },
        worker: start('worker'),
        api: start('api'),
        cpuMs: {},
        flows: 0,
        rounds: [],
        latency: [],
      };
      sides.push(side);
      const dead = () => side.worker.deathNote() ?? side.api.deathNote();
      await waitForPoller(devServer.client, `otp-${name}`, 120_000, dead);
      // A versioned build takes sessions once it is current (SPEC §10); an unversioned one at once.
      await makePollingVersionCurrent(devServer.client.workflowService, 'default', `otp-${name}`, {
        timeoutMs: 120_000,
      });
      await waitFor200(`${side.target.url}/readyz`, 120_000, dead);
      log(`· ${name}: ${root} (API ${side.target.url}, worker pid ${side.worker.pid})`);
    }
    for (const side of sides)
      await runClosedLoop(
        otpFlow(side.target, `ab-warm-${side.name}`, wrongCodes),
        concurrency,
        warmupSeconds,
      );

    for (const side of sides) side.retriesAtStart = await updateRetries(side.target);

    const flow = wrongCodes ? `, ${wrongCodes} wrong code(s) per flow` : '';
    log(
      `\n${rounds} rounds × 2 segments of ${seconds} s, c=${concurrency}, bcrypt rounds ${bcryptRounds}${flow}`,
    );
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const sampler = new ProcessSampler({
          api: side.api.pid,
          worker: side.worker.pid,
          temporal: temporalPid,
        });
        const result = await runClosedLoop(
          otpFlow(side.target, `ab-${side.name}`, wrongCodes),
          concurrency,
          seconds,
        );
        const figures = sampler.stop();
        if (result.errors)
          throw new Error(
            `${side.name}: ${result.errors} errors (${Object.keys(result.errorReasons).join('; ')})`,
          );
        const perFlow = cpuPerFlow(figures, result.flows);
        if (!perFlow) throw new Error(`${side.name}: no CPU figures`);
        for (const [process, figure] of Object.entries(figures)) {
          side.cpuMs[process] = (side.cpuMs[process] ?? 0) + (figure.cpuMs ?? 0);
        }
        side.flows += result.flows;
        side.rounds.push(perFlow.total);
        const { send, verify } = result.steps;
        if (send && verify)
          side.latency.push({ send: [send.p50, send.p99], verify: [verify.p50, verify.p99] });
        log(
          `  round ${round + 1} ${side.name.padEnd(9)} ${fmt(result.flowsPerSecond).padStart(5)} flows/s  ${cpuLine(perFlow)}`,
        );
      }
    }

    const totals = sides.map((side) =>
      cpuPerFlow(
        Object.fromEntries(Object.entries(side.cpuMs).map(([k, v]) => [k, { cpuMs: v }])),
        side.flows,
      )!,
    );
    const [candidate, baseline] = totals;
    const ratios = sides[0].rounds.map((ms, i) => ms / sides[1].rounds[i]);
    log('\nCPU ms per flow, all segments:');
    for (const [i, side] of sides.entries())
      log(`  ${side.name.padEnd(9)} ${cpuLine(totals[i])}  (${side.flows} flows)`);
    log(
      `  candidate / baseline: ${fmt(candidate.total / baseline.total, 3)} ` +
        `(per round ${fmt(Math.min(...ratios), 3)}–${fmt(Math.max(...ratios), 3)}); ` +
        `difference ${fmt(candidate.total - baseline.total)} ms per flow`,
    );
    log('\nlatency, the mean over segments of each p50 / p99 (ms); update retries per 1,000 flows:');
    for (const side of sides) {
      const mean = (pick: (l: Side['latency'][number]) => number | null | undefined) => {
        const values = side.latency.map(pick).filter((v): v is number => typeof v === 'number');
        return values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : null;
      };
      const retries = await updateRetries(side.target);
      const perThousand =
        retries === undefined || side.retriesAtStart === undefined
          ? null
          : ((retries - side.retriesAtStart) / side.flows) * 1000;
      log(
        `  ${side.name.padEnd(9)} send ${fmt(mean((l) => l.send[0]))} / ${fmt(mean((l) => l.send[1]))} · ` +
          `verify ${fmt(mean((l) => l.verify[0]))} / ${fmt(mean((l) => l.verify[1]))} · ` +
          `retries ${fmt(perThousand, 2)}`,
      );
    }
  } finally {
    await Promise.all(sides.flatMap((side) => [side.api.stop(), side.worker.stop()]));
    await devServer.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** AB_CANDIDATE_ENV / AB_BASELINE_ENV: JSON objects of extra environment for one side's processes. */
function sideEnv(name: Side['name']): Record<string, string> {
  const variable = `AB_${name.toUpperCase()}_ENV`;
  const raw = process.env[variable];
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${variable}: expected a JSON object of environment variables`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

main().catch((err) => {
  console.error(`bench:ab failed: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
});
