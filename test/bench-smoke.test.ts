/**
 * The benchmark is a measurement, not a test (make test never runs it in full): this only checks
 * that `npm run bench` and `npm run bench:ab` start their stacks, measure and print their
 * figures, in a tiny configuration. It runs the compiled bench, building first when dist is
 * older than the sources.
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

test('npm run bench prints its headline and writes it to the results file (tiny run)', async () => {
  ensureBuilt(COMPILED);
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
  try {
    const { code, output } = await runBench({
      BENCH_LEVELS: '2',
      BENCH_SECONDS: '2',
      BENCH_WARMUP_SECONDS: '0.5',
      BENCH_BCRYPT_SECONDS: '0.5',
      BENCH_LIVE_SECONDS: '1',
      BENCH_DEBIT_SECONDS: '0.5',
      BENCH_LOG_LEVEL: 'warn',
      BENCH_RESULTS_DIR: resultsDir,
      OTP_BCRYPT_ROUNDS: '4',
      BENCH_TARGET_URL: '',
      BENCH_CLUSTER: '',
    });
    expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
    const headline = output.slice(output.indexOf('\nheadline ('));
    expect(headline).toMatch(/^\nheadline \(embedded, commit \S+, best level c=2\):$/m);
    expect(headline).toMatch(
      new RegExp(`^flows/s: ${number} \\(${number}% of engine floor, ${number}% of bcrypt bound\\)$`, 'm'),
    );
    expect(headline).toMatch(
      new RegExp(
        `^  engine floor ${number} flows/s \\(its best level, c=2\\); bcrypt bound ${number} flows/s at rounds 4$`,
        'm',
      ),
    );
    expect(headline).toMatch(
      new RegExp(`^latency p50/p99 ms: send ${number}/${number} · verify ${number}/${number} at c=2$`, 'm'),
    );
    // CPU per flow of the product's processes and the Temporal server; the load generator is not counted.
    expect(headline).toMatch(
      new RegExp(
        `^CPU ms/flow: ${number} \\(api ${number} · worker ${number} · temporal ${number}\\); ` +
          `of it bcrypt ${number} \\(one hash, one compare\\)$`,
        'm',
      ),
    );
    // Live flows over the bench's SMTP sink with credits on and off, and the debit rate of both
    // credit stores (redis-server is a test dependency).
    expect(headline).toMatch(
      new RegExp(`^live flows/s credits on / off: ${number} / ${number} \\(ratio ${number}\\)$`, 'm'),
    );
    expect(headline).toMatch(new RegExp(`^debits/s \\(.*\\): redis ${number}, local ${number}$`, 'm'));
    // One live phone send's fraud check, on both stores; none refused (thresholds out of reach).
    expect(headline).toMatch(new RegExp(`^fraud checks/s \\(.*\\): redis ${number}, local ${number}$`, 'm'));
    expect(output).not.toMatch(/all admitted: NO/);
    expect(output).toMatch(/ paid (\d+) credits for \1 live sends \(warm-up included\): exact;/);
    expect(output).not.toMatch(/errors [1-9]/);

    const files = fs.readdirSync(resultsDir);
    expect(files).toHaveLength(1);
    const results = JSON.parse(fs.readFileSync(path.join(resultsDir, files[0]), 'utf8'));
    const figure = expect.any(Number);
    expect(results.headline).toEqual({
      flowsPerSecond: figure,
      concurrency: 2,
      engineFloorFlowsPerSecond: figure,
      engineFloorConcurrency: 2,
      percentOfEngineFloor: figure,
      bcryptBoundFlowsPerSecond: figure,
      percentOfBcryptBound: figure,
      latencyMs: [
        { concurrency: 2, send: { p50: figure, p99: figure }, verify: { p50: figure, p99: figure } },
      ],
      cpuMsPerFlow: { total: figure, processes: { api: figure, worker: figure, temporal: figure } },
      bcryptCpuMsPerFlow: figure,
      // Read from the API's /metrics before and after the levels: a number, not null.
      updateRetriesPerThousandFlows: figure,
      liveOnOffRatio: figure,
      debitsPerSecond: { redis: figure, local: figure },
      fraudChecksPerSecond: { redis: figure, local: figure },
    });
    expect(results.levels[0].flows.flows).toBeGreaterThan(0);
    expect(results.levels[0].floor.flows).toBeGreaterThan(0);
    expect(results.live.paidSends).toBe(results.live.creditsSpent);
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
  for (const side of ['candidate', 'baseline']) {
    expect(output).toMatch(
      new RegExp(
        `^  ${side} +send ${number} / ${number} · verify ${number} / ${number} · retries ${number}$`,
        'm',
      ),
    );
  }
}, 120_000);
