/**
 * The benchmark is a measurement, not a test (make test never runs it in full): this only
 * checks that `npm run bench` (and `npm run bench:ab`) start their stacks, measure and print
 * their figures, in a tiny configuration. It runs the compiled bench, building first when dist is older than the sources.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, ROOT } from './support/build';

const COMPILED = [
  'dist/bench/run.js',
  'dist/bench/ab.js',
  'dist/bench/noop-worker.js',
  'dist/src/bin/worker.js',
  'dist/src/bin/api.js',
];

function runBench(
  env: NodeJS.ProcessEnv,
  args: string[] = ['dist/bench/run.js'],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, args[0]), ...args.slice(1)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const number = String.raw`\d+(?:\.\d+)?`;

test('npm run bench prints the headline, the growth and the credits figures (tiny run)', async () => {
  ensureBuilt(COMPILED);
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
  try {
    const { code, output } = await runBench({
      BENCH_LEVELS: '2',
      BENCH_SECONDS: '2',
      BENCH_WARMUP_SECONDS: '0.5',
      BENCH_BCRYPT_SECONDS: '0.5',
      BENCH_IDLE_SESSIONS: '20',
      BENCH_COLD_VERIFIES: '5',
      BENCH_SETTLE_SECONDS: '0.2',
      BENCH_LIVE_SECONDS: '1',
      BENCH_DEBIT_SECONDS: '0.5',
      BENCH_LOG_LEVEL: 'warn',
      BENCH_RESULTS_DIR: resultsDir,
      OTP_BCRYPT_ROUNDS: '4',
      BENCH_TARGET_URL: '',
      BENCH_LOCAL_SHAPE: '1',
    });
    expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
    expect(output).toMatch(
      new RegExp(`^flows/s: ${number} \\(${number}% of engine floor, ${number}% of bcrypt bound\\)$`, 'm'),
    );
    // Issue 15: the floors again, paced at the product's rate beside a bcrypt load of that rate.
    expect(output).toMatch(
      new RegExp(
        `^  floors paced at the product's ${number} flows/s beside a bcrypt load of that rate ` +
          `\\(in closed loops, as fast as it goes, the floor costs ${number} \\(noop-worker ${number} · temporal ${number} · client ${number}\\)\\)$`,
        'm',
      ),
    );
    // Issue 15: CPU per flow of the product, the engine floor and bcrypt, and the overhead.
    expect(output).toMatch(
      new RegExp(
        `^  CPU ms/flow: product ${number} \\(api ${number} · worker ${number} · temporal ${number}\\) · ` +
          `engine floor ${number} \\(noop-worker ${number} · temporal ${number} · client ${number}\\) · bcrypt ${number}$`,
        'm',
      ),
    );
    expect(output).toMatch(
      new RegExp(
        `^  overhead: product ${number} − \\(floor ${number} \\+ bcrypt ${number}\\) = -?${number} ms/flow = -?${number}% of ${number} \\(goal ≤ 10%\\)$`,
        'm',
      ),
    );
    // The shaped floor: the session's Temporal work (activities, timer) with no work in it.
    expect(output).toMatch(
      new RegExp(`^  overhead over the shaped floor: -?${number} ms/flow = -?${number}% of ${number}$`, 'm'),
    );
    // BENCH_LOCAL_SHAPE=1: the same shape with local activities, which sessions cannot use.
    expect(output).toMatch(
      new RegExp(
        `^  with local activities in place of activities \\(sessions cannot use them, README\\): shaped floor ` +
          `${number} \\(noop-worker ${number} · temporal ${number} · client ${number}\\), -?${number}% over floor \\+ bcrypt, ` +
          `leaving the product's own work -?${number} ms/flow$`,
        'm',
      ),
    );
    expect(output).toMatch(
      new RegExp(
        `^growth: 20 idle sessions, .* = -?${number} KiB/session; verify p50/p95/p99 ${number}/${number}/${number} ms`,
        'm',
      ),
    );
    // Credits (issue 10): live flows over the bench's SMTP sink with credits on and off, and the
    // debit rate of both credit stores (redis-server is a test dependency).
    expect(output).toMatch(
      new RegExp(`^live flows/s credits on / off: ${number} / ${number} \\(ratio ${number}\\)$`, 'm'),
    );
    expect(output).toMatch(/ paid (\d+) credits for \1 live sends \(warm-up included\): exact;/);
    expect(output).toMatch(new RegExp(`^debits/s \\(.*\\): redis ${number}, local ${number}$`, 'm'));
    const files = fs.readdirSync(resultsDir);
    expect(files).toHaveLength(1);
    const results = JSON.parse(fs.readFileSync(path.join(resultsDir, files[0]), 'utf8'));
    expect(results.levels[0].flows.flows).toBeGreaterThan(0);
    expect(results.cpuPerFlow.overhead.overheadMs).toEqual(expect.any(Number));
    // The floors compared with the product ran at its rate.
    expect(results.levels[0].cpu.floorRate).toBe(results.levels[0].flows.flowsPerSecond);
    expect(results.levels[0].floorAtRate.flows).toBeGreaterThan(0);
    expect(results.levels[0].shapedAtRate.flows).toBeGreaterThan(0);
    expect(results.levels[0].localShapedAtRate.flows).toBeGreaterThan(0);
    expect(results.levels[0].cpu.localShape.overheadPercent).toEqual(expect.any(Number));
  } finally {
    fs.rmSync(resultsDir, { recursive: true, force: true });
  }
}, 120_000);

test('npm run bench:ab interleaves two builds and prints their CPU per flow and ratio (tiny run)', async () => {
  ensureBuilt(COMPILED);
  // This checkout against itself: the comparison's plumbing, not a difference.
  const { code, output } = await runBench(
    {
      AB_ROUNDS: '1',
      AB_SECONDS: '1',
      AB_WARMUP_SECONDS: '0.5',
      AB_CONCURRENCY: '2',
      BENCH_LOG_LEVEL: 'warn',
      OTP_BCRYPT_ROUNDS: '4',
    },
    ['dist/bench/ab.js', ROOT],
  );
  expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
  for (const side of ['candidate', 'baseline']) {
    expect(output).toMatch(
      new RegExp(
        `^  round 1 ${side} +${number} flows/s  ${number} \\(api ${number} · worker ${number} · temporal ${number}\\)$`,
        'm',
      ),
    );
  }
  expect(output).toMatch(
    new RegExp(
      `^  candidate / baseline: ${number} \\(per round ${number}–${number}\\); difference -?${number} ms per flow$`,
      'm',
    ),
  );
}, 120_000);
