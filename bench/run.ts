/**
 * `npm run bench`: verifications per second and latency of the REST API, measured in one run
 * against two baselines taken on the same machine, plus the cost of idle open sessions.
 *
 *  1. Starts its own stack (in-memory Temporal dev server, then worker and API as separate
 *     processes) unless BENCH_TARGET_URL + BENCH_API_KEY (+ TEMPORAL_ADDRESS) name a running one.
 *  2. The bcrypt bound: bcrypt operations per second on all cores at OTP_BCRYPT_ROUNDS, / 2.
 *  3. Per concurrency level: the engine floor (a no-op workflow driven like a session by a
 *     worker in its own process), then sandbox send → verify flows through the API, then the
 *     floor and the shaped floor again, paced at the flows' rate; each after a warm-up, with CPU
 *     and RSS of every process.
 *  4. Growth: BENCH_IDLE_SESSIONS idle sessions, the worker's RSS per session, verify latency of
 *     fresh flows at that load and of the oldest idle sessions.
 *  5. Credits (issue 10): live send → verify flows, the code delivered over SMTP to a sink the
 *     bench runs, for a tenant with a balance and one without (API and worker restarted with a
 *     redis-server the bench starts: the credit store they share); then reserve + capture pairs
 *     against the Redis and the local credit store.
 *  6. bench/results/<timestamp>.json and a row for bench/RESULTS.md.
 *
 * CPU per flow (issue 15): every phase samples each process's CPU time, so each level prints CPU
 * ms per flow per process for the product and for the floor at the product's rate, the bcrypt
 * CPU of a flow (one hash, one compare), and the product's overhead: product − (floor + bcrypt).
 * BENCH_CLUSTER=1 measures the real-cluster topology instead (scripts/cluster.sh: PostgreSQL,
 * Temporal server, Redis, two workers, the API); its PostgreSQL counts as the engine's, its Redis
 * as the product's.
 *
 * See bench/RESULTS.md for every environment variable.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { measureBcryptBound, type BcryptBound } from './bcrypt-bound';
import { measureDebits, type DebitResult } from './debits';
import { noopFlow, waitForPoller } from './engine-floor';
import { noopSession, noopSessionShaped, noopSessionShapedLocal } from './noop-workflow';
import { percentiles, runBounded, runClosedLoop, timed, type Flow, type LoadResult } from './load';
import { liveFlow, otpFlow, sendSandbox, verify, type ApiTarget } from './otp-flows';
import { ProcessSampler, rssBytes, type ProcessFigures } from './proc-stats';
import {
  describeCommit,
  describeMachine,
  fmt,
  latency,
  numberEnv,
  pct,
  processLine,
  writeResults,
} from './report';
import { startBenchRedis, type BenchRedis } from './redis';
import { startCodeSink, type CodeSink } from './smtp-sink';
import { startBenchCluster, type BenchCluster } from './cluster';
import {
  cpuLine,
  cpuPerFlow,
  OVERHEAD_GOAL_PERCENT,
  productOverhead,
  shapeCost,
  type CpuPerFlow,
  type Overhead,
} from './cpu-budget';
import { BenchChild, cpuProfileEnv, REPO_ROOT, startOwnStack, type OwnStack } from './stack';

const FLOOR_BCRYPT_LOADS = ['rate', 'all', '0'] as const;

/**
 * What runs beside the floors paced at the product's rate: a bcrypt load of that rate (`rate`),
 * every bcrypt thread busy (`all`), or nothing (`0`).
 */
function floorBcryptLoadSetting(): (typeof FLOOR_BCRYPT_LOADS)[number] {
  const value = process.env.BENCH_FLOOR_BCRYPT_LOAD || 'rate';
  const known = FLOOR_BCRYPT_LOADS.find((load) => load === value);
  if (!known) throw new Error(`BENCH_FLOOR_BCRYPT_LOAD=${value}: expected ${FLOOR_BCRYPT_LOADS.join(', ')}`);
  return known;
}

function readSettings() {
  const levels = (process.env.BENCH_LEVELS ?? '1,4,16,64').split(',').map((s) => Number(s.trim()));
  if (levels.some((l) => !Number.isInteger(l) || l < 1 || l > 512)) {
    throw new Error(`BENCH_LEVELS=${process.env.BENCH_LEVELS}: expected concurrency levels from 1 to 512`);
  }
  const idleRounds = process.env.BENCH_IDLE_ROUNDS ? numberEnv('BENCH_IDLE_ROUNDS', 10, 4, 15) : undefined;
  const seconds = numberEnv('BENCH_SECONDS', 10, 0.5, 600);
  const cluster = process.env.BENCH_CLUSTER === '1';
  return {
    cluster,
    clusterStartSeconds: numberEnv('BENCH_CLUSTER_START_SECONDS', 300, 10, 3600),
    cpuProfileDir: process.env.BENCH_CPU_PROF_DIR || undefined,
    levels,
    seconds,
    warmupSeconds: numberEnv('BENCH_WARMUP_SECONDS', 2, 0, 60),
    bcryptRounds: numberEnv('OTP_BCRYPT_ROUNDS', 10, 4, 15),
    bcryptSeconds: numberEnv('BENCH_BCRYPT_SECONDS', 3, 0.5, 60),
    floorBcryptLoad: floorBcryptLoadSetting(),
    // What the shape would cost with local activities, which sessions cannot use (README).
    localShape: process.env.BENCH_LOCAL_SHAPE === '1',
    // The cluster run is about CPU per flow; its growth phase is asked for explicitly.
    idleSessions: numberEnv('BENCH_IDLE_SESSIONS', cluster ? 0 : 10_000, 0, 100_000),
    idleConcurrency: process.env.BENCH_IDLE_CONCURRENCY
      ? numberEnv('BENCH_IDLE_CONCURRENCY', 16, 1, 256)
      : undefined,
    idleRounds,
    idleMaxSeconds: numberEnv('BENCH_IDLE_MAX_SECONDS', 300, 1, 7200),
    coldVerifies: numberEnv('BENCH_COLD_VERIFIES', 100, 0, 10_000),
    settleSeconds: numberEnv('BENCH_SETTLE_SECONDS', 2, 0, 60),
    liveSeconds: numberEnv('BENCH_LIVE_SECONDS', seconds, 0, 600),
    liveConcurrency: process.env.BENCH_LIVE_CONCURRENCY
      ? numberEnv('BENCH_LIVE_CONCURRENCY', 8, 1, 256)
      : undefined,
    debitSeconds: numberEnv('BENCH_DEBIT_SECONDS', 5, 0, 120),
    debitInFlight: numberEnv('BENCH_DEBIT_IN_FLIGHT', 64, 1, 1024),
    resultsDir: process.env.BENCH_RESULTS_DIR || path.join(REPO_ROOT, 'bench', 'results'),
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    workerTuning: process.env.BENCH_WORKER_TUNING || undefined,
    target: process.env.BENCH_TARGET_URL
      ? { url: process.env.BENCH_TARGET_URL.replace(/\/$/, ''), apiKey: process.env.BENCH_API_KEY ?? '' }
      : undefined,
  };
}

type Settings = ReturnType<typeof readSettings>;

interface LevelResult {
  concurrency: number;
  flows: LoadResult;
  flowProcesses: Record<string, ProcessFigures>;
  /** The engine floor in closed loops: what the engine alone can do (the throughput ratio). */
  floor?: LoadResult;
  floorProcesses?: Record<string, ProcessFigures>;
  /** The floors paced at the product's rate: what the CPU figures compare the product with. */
  floorAtRate?: LoadResult;
  shapedAtRate?: LoadResult;
  /** BENCH_LOCAL_SHAPE=1: the shaped floor with local activities, paced the same. */
  localShapedAtRate?: LoadResult;
  percentOfFloor: number | null;
  percentOfBcrypt: number | null;
  /**
   * CPU ms per flow: the product's processes (not the load generator), the floor's (its client
   * included). `floor` and `shapedFloor` ran at the product's rate; `floorClosedLoop` as fast as
   * it could, at several times that rate, where a flow costs the engine less.
   */
  cpu: {
    product: CpuPerFlow | null;
    floor: CpuPerFlow | null;
    floorClosedLoop: CpuPerFlow | null;
    /** The flows/s the floors were paced at: the product's. */
    floorRate: number | null;
    /** What ran beside them (BENCH_FLOOR_BCRYPT_LOAD). */
    floorBcryptLoad: Settings['floorBcryptLoad'];
    bcrypt: number;
    overhead: Overhead | null;
    /** The shaped floor (bench/noop-workflow.ts noopSessionShaped) and the overhead against it. */
    shapedFloor: CpuPerFlow | null;
    shapedOverhead: Overhead | null;
    /** The shaped floor + bcrypt over floor + bcrypt, and what the goal leaves the product's own work. */
    shape: ReturnType<typeof shapeCost>;
    /** BENCH_LOCAL_SHAPE=1: the same with local activities in place of activities. */
    localShapedFloor?: CpuPerFlow | null;
    localShape?: ReturnType<typeof shapeCost>;
  };
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pids to sample: the stack's processes (own stack) or the ones named by the environment. */
interface Pids {
  worker?: number;
  api?: number;
  temporal?: number;
}

/** Sampled as process trees: PostgreSQL forks a backend per connection. */
const PROCESS_TREES = new Set(['postgres']);
/** The bench process: the load generator of the product's flows, the Temporal client of the floor's. */
const LOAD = 'bench';
const FLOOR_CLIENT = 'client';

/** The product's node processes (BENCH_CPU_PROF_DIR): profiled during a measured phase only. */
function profiledPids(pids: Record<string, number | undefined>): number[] {
  return Object.entries(pids)
    .filter(([name, pid]) => pid !== undefined && (name === 'api' || name.startsWith('worker')))
    .map(([, pid]) => pid!);
}

/** bench/cpu-profile-preload: the first SIGUSR2 starts a profile, the next writes it. */
function toggleProfiles(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGUSR2');
    } catch {
      // Gone: nothing to profile.
    }
  }
}

async function measure(
  flow: Flow,
  concurrency: number,
  settings: Settings,
  pids: Record<string, number | undefined>,
  benchRole = LOAD,
  ratePerSecond?: number,
) {
  if (settings.warmupSeconds > 0)
    await runClosedLoop(flow, concurrency, settings.warmupSeconds, ratePerSecond);
  const profiled = settings.cpuProfileDir ? profiledPids(pids) : [];
  toggleProfiles(profiled);
  const sampler = new ProcessSampler({ ...pids, [benchRole]: process.pid }, 250, PROCESS_TREES);
  const result = await runClosedLoop(flow, concurrency, settings.seconds, ratePerSecond);
  const processes = sampler.stop();
  toggleProfiles(profiled);
  return { result, processes };
}

/**
 * `kind`: the product's flows (`flow`, `on`, `off`), or a floor: `floor`, `floor@`, `shaped@`,
 * `shapedL@` (the shaped floor with local activities; @: at the product's rate).
 */
function levelLine(kind: string, result: LoadResult, processes: Record<string, ProcessFigures>): string {
  const errors = result.errors
    ? ` errors ${result.errors} (${Object.keys(result.errorReasons).join('; ')})`
    : ' errors 0';
  const engine = /^(floor|shaped)/.test(kind);
  return (
    `  ${kind.padEnd(8)} c=${String(result.concurrency).padEnd(3)} ${fmt(result.flowsPerSecond).padStart(7)} flows/s` +
    `  ${engine ? 'start+u1' : 'send'} ${latency(result.steps.send)} ms` +
    `  ${engine ? 'u2' : 'verify'} ${latency(result.steps.verify)} ms${errors}\n` +
    `         ${processLine(processes)}`
  );
}

/** A few samples of a process's RSS after things settle, averaged. */
async function settledRss(pid: number | undefined, settleSeconds: number): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  await sleep(settleSeconds * 1000);
  const samples: number[] = [];
  for (let i = 0; i < 4; i++) {
    const rss = rssBytes(pid);
    if (rss !== undefined) samples.push(rss);
    await sleep(Math.min(250, settleSeconds * 100));
  }
  return samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : undefined;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const machine = describeMachine();
  const commit = describeCommit(REPO_ROOT);
  log(
    `durable-otp bench · commit ${commit} · ${machine.cpus} CPUs ${machine.model} · ${machine.memoryGiB} GiB · Node ${machine.node}`,
  );
  log(
    `levels ${settings.levels.join(',')} · ${settings.seconds} s each after ${settings.warmupSeconds} s warm-up · ` +
      `OTP_BCRYPT_ROUNDS ${settings.bcryptRounds} · idle sessions ${settings.idleSessions} · log level ${settings.logLevel}`,
  );
  if (settings.workerTuning)
    log(`NOTE: worker = bench/tuned-worker with BENCH_WORKER_TUNING=${settings.workerTuning}`);

  let stack: OwnStack | undefined;
  let cluster: BenchCluster | undefined;
  let noopWorker: BenchChild | undefined;
  let connection: Connection | undefined;
  let sink: CodeSink | undefined;
  let redis: BenchRedis | undefined;
  const cleanup = async () => {
    await connection?.close().catch(() => undefined);
    await noopWorker?.stop();
    await stack?.stop();
    await cluster?.stop();
    await sink?.close();
    await redis?.stop();
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  const noopTaskQueue = `bench-noop-${randomBytes(4).toString('hex')}`;
  const startNoopWorker = (address: string, dir: string) =>
    new BenchChild(
      'noop-worker',
      path.join(__dirname, 'noop-worker.js'),
      { ...process.env, TEMPORAL_ADDRESS: address, BENCH_NOOP_TASK_QUEUE: noopTaskQueue },
      path.join(dir, `noop-worker-${process.pid}.log`),
    );

  try {
    let target: ApiTarget;
    let temporalAddress: string | undefined;
    const pids: Pids = {};
    /** The product's processes and the engine's (the Temporal server, its database), sampled per level. */
    let productPids: Record<string, number | undefined> = {};
    let enginePids: Record<string, number | undefined> = {};
    if (settings.cluster) {
      cluster = await startBenchCluster({
        bcryptRounds: settings.bcryptRounds,
        logLevel: settings.logLevel,
        startSeconds: settings.clusterStartSeconds,
        onProgress: (line) => log(`· ${line}`),
        env: cpuProfileEnv(settings.cpuProfileDir, 'cluster'),
      });
      target = { url: cluster.url, apiKey: cluster.apiKey };
      temporalAddress = cluster.temporalAddress;
      const { temporal, postgres, redis, api, ...rest } = cluster.pids;
      const workers = Object.fromEntries(Object.entries(rest).filter(([name]) => name.startsWith('worker-')));
      Object.assign(pids, { worker: workers['worker-1'], api, temporal });
      productPids = { api, ...workers, redis };
      enginePids = { temporal, postgres };
      log(
        `· cluster up: API ${cluster.url}, Temporal ${temporalAddress}, pids ${Object.entries(cluster.pids)
          .map(([name, pid]) => `${name} ${pid}`)
          .join(', ')}`,
      );
    } else if (settings.target) {
      if (!settings.target.apiKey) throw new Error('BENCH_TARGET_URL needs BENCH_API_KEY (a sk_test_ key)');
      target = settings.target;
      temporalAddress = process.env.TEMPORAL_ADDRESS;
      pids.worker = process.env.BENCH_WORKER_PID ? Number(process.env.BENCH_WORKER_PID) : undefined;
      pids.api = process.env.BENCH_API_PID ? Number(process.env.BENCH_API_PID) : undefined;
      productPids = { api: pids.api, worker: pids.worker };
      log(
        `target ${target.url} (existing stack; Temporal ${temporalAddress ?? 'not given: no engine floor'})`,
      );
    } else {
      // The live flows' email provider; sandbox sessions send nothing, so it idles until then.
      if (settings.liveSeconds > 0) sink = await startCodeSink();
      stack = await startOwnStack({
        smtpUrl: sink?.url,
        onTemporalReady: (address, dir) => (noopWorker = startNoopWorker(address, dir)),
        bcryptRounds: settings.bcryptRounds,
        logLevel: settings.logLevel,
        workerTuning: settings.workerTuning,
        onProgress: (line) => log(`· ${line}`),
        cpuProfileDir: settings.cpuProfileDir,
      });
      target = { url: stack.url, apiKey: stack.apiKey };
      temporalAddress = stack.temporalAddress;
      Object.assign(pids, {
        worker: stack.worker.pid,
        api: stack.api.pid,
        temporal: stack.temporalServerPid,
      });
      productPids = { api: pids.api, worker: pids.worker };
      enginePids = { temporal: pids.temporal };
      log(
        `· stack up: API ${stack.url}, Temporal ${temporalAddress}, worker pid ${pids.worker}, API pid ${pids.api}`,
      );
    }

    // (b) the bcrypt bound, with the stack idle.
    log(`\nbcrypt bound (rounds ${settings.bcryptRounds}, all cores, ${settings.bcryptSeconds} s)`);
    const bcrypt: BcryptBound = await measureBcryptBound(settings.bcryptRounds, settings.bcryptSeconds);
    log(
      `  ${fmt(bcrypt.opsPerSecond)} ops/s (${fmt(bcrypt.hashesPerSecond)} hashes + ${fmt(bcrypt.comparesPerSecond)} compares, ` +
        `${bcrypt.inFlight} in flight; one op alone ${fmt(bcrypt.singleOpMs)} ms) → bound ${fmt(bcrypt.flowsPerSecond)} flows/s`,
    );
    log(
      `  CPU ${fmt(bcrypt.cpuMsPerOp)} ms per op → ${fmt(bcrypt.cpuMsPerFlow)} ms per flow (one hash, one compare)`,
    );

    // (a) the engine floor's worker, in its own process against the same server (already
    // building its workflow bundle when the bench started the stack).
    let client: Client | undefined;
    if (temporalAddress) {
      noopWorker ??= startNoopWorker(temporalAddress, os.tmpdir());
      connection = await Connection.connect({ address: temporalAddress });
      client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
      await waitForPoller(client, noopTaskQueue, 120_000, noopWorker.deathNote);
    }

    const levels: LevelResult[] = [];
    log(
      `\nlevels: floor = no-op workflow (update-with-start + update), flow = sandbox send → verify via the API, ` +
        `floor@ / shaped@ = the floor / the shaped floor paced at the flow's rate`,
    );
    for (const concurrency of settings.levels) {
      type Phase = Awaited<ReturnType<typeof measure>>;
      const engine = client && noopWorker ? { client, worker: noopWorker } : undefined;
      /**
       * A floor's phase on the no-op worker: in closed loops, or paced at `rate` flows/s beside
       * a bcrypt load of the same rate (bench/bcrypt-load), the product's contention for the cores.
       */
      const measureFloor = async (workflow: typeof noopSession, rate?: number) => {
        const load =
          rate && settings.floorBcryptLoad !== '0'
            ? new BenchChild(
                'bcrypt-load',
                path.join(__dirname, 'bcrypt-load.js'),
                {
                  ...process.env,
                  BENCH_BCRYPT_LOAD_FLOWS: settings.floorBcryptLoad === 'all' ? 'all' : String(rate),
                  OTP_BCRYPT_ROUNDS: String(settings.bcryptRounds),
                },
                path.join(os.tmpdir(), `bench-bcrypt-load-${process.pid}.log`),
              )
            : undefined;
        try {
          return await measure(
            noopFlow(engine!.client, noopTaskQueue, workflow),
            concurrency,
            settings,
            { 'noop-worker': engine!.worker.pid, ...enginePids },
            FLOOR_CLIENT,
            rate,
          );
        } finally {
          await load?.stop();
        }
      };
      let floor: Phase | undefined;
      if (engine) {
        floor = await measureFloor(noopSession);
        log(levelLine('floor', floor.result, floor.processes));
      }
      const flows = await measure(otpFlow(target), concurrency, settings, { ...productPids, ...enginePids });
      const percentOfFloor = floor ? pct(flows.result.flowsPerSecond, floor.result.flowsPerSecond) : null;
      const percentOfBcrypt = pct(flows.result.flowsPerSecond, bcrypt.flowsPerSecond);
      log(levelLine('flow', flows.result, flows.processes));
      log(
        `         ratio: ${fmt(percentOfFloor)}% of engine floor at c=${concurrency}, ${fmt(percentOfBcrypt)}% of bcrypt bound`,
      );
      // The floors again at the product's rate: a flow costs the engine more when flows arrive
      // one by one than in the closed loop's crowd (bench/RESULTS.md, "Follow-up 4").
      const rate = flows.result.flowsPerSecond > 0 ? flows.result.flowsPerSecond : undefined;
      let floorAtRate: Phase | undefined;
      let shapedAtRate: Phase | undefined;
      let localShapedAtRate: Phase | undefined;
      if (engine && rate) {
        floorAtRate = await measureFloor(noopSession, rate);
        log(levelLine('floor@', floorAtRate.result, floorAtRate.processes));
        shapedAtRate = await measureFloor(noopSessionShaped, rate);
        log(levelLine('shaped@', shapedAtRate.result, shapedAtRate.processes));
        if (settings.localShape) {
          localShapedAtRate = await measureFloor(noopSessionShapedLocal, rate);
          log(levelLine('shapedL@', localShapedAtRate.result, localShapedAtRate.processes));
        }
      }
      const perFlow = (phase: Phase | undefined) =>
        phase ? cpuPerFlow(phase.processes, phase.result.flows) : null;
      const product = cpuPerFlow(flows.processes, flows.result.flows, [LOAD]);
      const floorCpu = perFlow(floorAtRate);
      const shapedCpu = perFlow(shapedAtRate);
      const localShapedCpu = perFlow(localShapedAtRate);
      const cpu = {
        product,
        floor: floorCpu,
        floorClosedLoop: perFlow(floor),
        floorRate: floorAtRate ? rate! : null,
        floorBcryptLoad: settings.floorBcryptLoad,
        bcrypt: bcrypt.cpuMsPerFlow,
        overhead: productOverhead(product?.total, floorCpu?.total, bcrypt.cpuMsPerFlow),
        shapedFloor: shapedCpu,
        shapedOverhead: productOverhead(product?.total, shapedCpu?.total, bcrypt.cpuMsPerFlow),
        shape: shapeCost(shapedCpu?.total, floorCpu?.total, bcrypt.cpuMsPerFlow),
        ...(settings.localShape
          ? {
              localShapedFloor: localShapedCpu,
              localShape: shapeCost(localShapedCpu?.total, floorCpu?.total, bcrypt.cpuMsPerFlow),
            }
          : {}),
      };
      log(`         ${cpuLines(cpu).join('\n         ')}`);
      levels.push({
        cpu,
        concurrency,
        flows: flows.result,
        flowProcesses: flows.processes,
        floor: floor?.result,
        floorProcesses: floor?.processes,
        floorAtRate: floorAtRate?.result,
        shapedAtRate: shapedAtRate?.result,
        localShapedAtRate: localShapedAtRate?.result,
        percentOfFloor,
        percentOfBcrypt,
      });
    }
    await noopWorker?.stop();
    noopWorker = undefined;

    const best = levels.reduce((a, b) => (b.flows.flowsPerSecond > a.flows.flowsPerSecond ? b : a));
    const floors = levels.filter((l) => l.floor);
    const bestFloor = floors.length
      ? floors.reduce((a, b) => (b.floor!.flowsPerSecond > a.floor!.flowsPerSecond ? b : a))
      : undefined;
    const headline = {
      flowsPerSecond: best.flows.flowsPerSecond,
      bestConcurrency: best.concurrency,
      engineFloorFlowsPerSecond: bestFloor?.floor?.flowsPerSecond ?? null,
      engineFloorConcurrency: bestFloor?.concurrency ?? null,
      percentOfEngineFloor: pct(best.flows.flowsPerSecond, bestFloor?.floor?.flowsPerSecond),
      bcryptBoundFlowsPerSecond: bcrypt.flowsPerSecond,
      percentOfBcryptBound: pct(best.flows.flowsPerSecond, bcrypt.flowsPerSecond),
    };

    log(
      '\n| c | flows/s | send p50/p95/p99 ms | verify p50/p95/p99 ms | errors | worker CPU/RSS | API CPU/RSS | Temporal CPU | floor flows/s | % floor | % bcrypt |',
    );
    log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const l of levels) {
      const p = l.flowProcesses;
      log(
        `| ${l.concurrency} | ${fmt(l.flows.flowsPerSecond)} | ${latency(l.flows.steps.send)} | ${latency(l.flows.steps.verify)} | ` +
          `${l.flows.errors} | ${fmt(p.worker?.cpuPercent, 0)}% / ${fmt(p.worker?.rssMiBPeak, 0)} MiB | ` +
          `${fmt(p.api?.cpuPercent, 0)}% / ${fmt(p.api?.rssMiBPeak, 0)} MiB | ${fmt(p.temporal?.cpuPercent, 0)}% | ` +
          `${fmt(l.floor?.flowsPerSecond)} | ${fmt(l.percentOfFloor)} | ${fmt(l.percentOfBcrypt)} |`,
      );
    }
    log(
      `\nflows/s: ${fmt(headline.flowsPerSecond)} (${fmt(headline.percentOfEngineFloor)}% of engine floor, ` +
        `${fmt(headline.percentOfBcryptBound)}% of bcrypt bound)`,
    );
    log(
      `  best level c=${best.concurrency}; engine floor = its best level, ${fmt(headline.engineFloorFlowsPerSecond)} flows/s ` +
        `at c=${headline.engineFloorConcurrency ?? 'n/a'}; bcrypt bound ${fmt(bcrypt.flowsPerSecond)} flows/s at rounds ${bcrypt.rounds}`,
    );
    log(
      `CPU per flow at c=${best.concurrency} (${settings.cluster ? 'real cluster' : settings.target ? 'target' : 'embedded'}):`,
    );
    log(`  ${cpuLines(best.cpu).join('\n  ')}`);

    const growth =
      settings.idleSessions > 0
        ? await measureGrowth(settings, target, stack, pids, best, bcrypt)
        : undefined;

    if (settings.liveSeconds > 0 || settings.debitSeconds > 0) {
      redis = await startBenchRedis();
      if (!redis)
        log(
          '\nNOTE: redis-server not found: no live flows and no Redis debits (scripts/install-test-deps.sh installs it)',
        );
    }
    const live =
      settings.liveSeconds > 0 ? await measureLive(settings, stack, redis, sink, best, pids) : undefined;
    const debits = settings.debitSeconds > 0 ? await measureDebitRate(settings, redis) : undefined;

    const results = {
      at: new Date().toISOString(),
      commit,
      machine,
      settings: { ...settings, target: settings.target?.url },
      topology: settings.cluster ? 'cluster' : settings.target ? 'target' : 'embedded',
      cpuPerFlow: best.cpu,
      bcrypt,
      levels,
      headline,
      growth,
      live,
      debits,
    };
    const file = writeResults(settings.resultsDir, results);
    log(`\nresults: ${path.relative(process.cwd(), file)}`);
    log('row for bench/RESULTS.md:');
    log(
      `| ${results.at.slice(0, 16).replace('T', ' ')} | ${commit} | ${best.concurrency} | ${fmt(headline.flowsPerSecond)} | ` +
        `${fmt(headline.percentOfEngineFloor)}% of ${fmt(headline.engineFloorFlowsPerSecond)} | ` +
        `${fmt(headline.percentOfBcryptBound)}% of ${fmt(bcrypt.flowsPerSecond)} | ${latency(best.flows.steps.send)} | ` +
        `${latency(best.flows.steps.verify)} | ${fmt(best.flowProcesses.worker?.cpuPercent, 0)}% / ` +
        `${fmt(best.flowProcesses.api?.cpuPercent, 0)}% / ${fmt(best.flowProcesses.temporal?.cpuPercent, 0)}% | ` +
        `${growth ? `${fmt(growth.workerKiBPerSession)} KiB` : 'n/a'} | ` +
        `${growth ? `${latency(growth.freshFlows.steps.verify)} (${growth.sessions})` : 'n/a'} |`,
    );
  } finally {
    await cleanup();
  }
}

/** The CPU-per-flow lines of a level: product, floor and bcrypt per flow, then the overhead. */
const BCRYPT_LOAD_SAYS = {
  rate: ' beside a bcrypt load of that rate',
  all: ' beside a bcrypt load on every pool thread',
  '0': '',
};

function cpuLines(cpu: LevelResult['cpu']): string[] {
  const o = cpu.overhead;
  return [
    ...(cpu.floorRate !== null
      ? [
          `floors paced at the product's ${fmt(cpu.floorRate)} flows/s${BCRYPT_LOAD_SAYS[cpu.floorBcryptLoad]} ` +
            `(in closed loops, as fast as it goes, the floor costs ${cpuLine(cpu.floorClosedLoop)})`,
        ]
      : []),
    `CPU ms/flow: product ${cpuLine(cpu.product)} · engine floor ${cpuLine(cpu.floor)} · bcrypt ${fmt(cpu.bcrypt)}`,
    o
      ? `overhead: product ${fmt(o.productMs)} − (floor ${fmt(o.floorMs)} + bcrypt ${fmt(o.bcryptMs)}) = ` +
        `${fmt(o.overheadMs)} ms/flow = ${fmt(o.overheadPercent)}% of ${fmt(o.boundMs)} (goal ≤ ${OVERHEAD_GOAL_PERCENT}%)`
      : 'overhead: n/a (no engine floor: give TEMPORAL_ADDRESS with a target)',
    ...(cpu.shapedOverhead
      ? [
          `shaped floor (2 updates awaiting an activity each, an expiry timer): ${cpuLine(cpu.shapedFloor)}`,
          `overhead over the shaped floor: ${fmt(cpu.shapedOverhead.overheadMs)} ms/flow = ` +
            `${fmt(cpu.shapedOverhead.overheadPercent)}% of ${fmt(cpu.shapedOverhead.boundMs)}`,
        ]
      : []),
    ...(cpu.shape
      ? [
          `the shape alone (shaped floor + bcrypt) is ${fmt(cpu.shape.overheadPercent)}% over floor + bcrypt: ` +
            `the goal of ≤ ${OVERHEAD_GOAL_PERCENT}% leaves the product's own work ${fmt(cpu.shape.roomMs)} ms/flow`,
        ]
      : []),
    ...(cpu.localShape
      ? [
          `with local activities in place of activities (sessions cannot use them, README): shaped floor ` +
            `${cpuLine(cpu.localShapedFloor ?? null)}, ${fmt(cpu.localShape.overheadPercent)}% over floor + bcrypt, ` +
            `leaving the product's own work ${fmt(cpu.localShape.roomMs)} ms/flow`,
        ]
      : []),
  ];
}

async function measureGrowth(
  settings: Settings,
  target: ApiTarget,
  stack: OwnStack | undefined,
  pids: Pids,
  best: LevelResult,
  bcrypt: BcryptBound,
) {
  const n = settings.idleSessions;
  const concurrency = settings.idleConcurrency ?? Math.max(8, best.concurrency);
  const rounds = settings.idleRounds ?? settings.bcryptRounds;
  let baselineVerify = best.flows.steps.verify;
  log(`\ngrowth: ${n} idle sessions (sandbox, nothing sent), created ${concurrency} at a time`);

  // Each idle session costs one bcrypt hash in the worker, and one send through the stack.
  const hashesPerSecond = bcrypt.opsPerSecond * 2 ** (settings.bcryptRounds - rounds);
  // A send's share of a flow's time gives the send rate at the best level (an underestimate when
  // BENCH_IDLE_ROUNDS makes sends cheaper; the progress lines show the real rate).
  const send = best.flows.steps.send?.p50 ?? 0;
  const verifyMs = best.flows.steps.verify?.p50 ?? 0;
  const sendsPerSecond =
    send > 0 ? best.flows.flowsPerSecond * ((send + verifyMs) / send) : best.flows.flowsPerSecond;
  const rate = Math.min(hashesPerSecond, sendsPerSecond);
  const estimate = n / rate;
  log(
    `  estimate: ~${fmt(estimate, 0)} s (~${fmt(rate, 0)} sessions/s: the lower of the bcrypt hash bound at rounds ${rounds}, ` +
      `${fmt(hashesPerSecond, 0)}/s, and the measured send rate, ~${fmt(sendsPerSecond, 0)}/s)`,
  );
  if (estimate > settings.idleMaxSeconds) {
    // Only the bcrypt share of the cost can be lowered; below it the engine's send rate rules.
    const needed = Math.ceil(Math.log2((n / settings.idleMaxSeconds / hashesPerSecond) * 1.25));
    const fasterRounds = Math.max(4, rounds - Math.max(1, needed));
    const bcryptLimited = hashesPerSecond < sendsPerSecond;
    log(
      `  WARNING: over the BENCH_IDLE_MAX_SECONDS=${settings.idleMaxSeconds} s budget: creation stops there, ` +
        `and RSS per session is measured over the sessions created by then` +
        (bcryptLimited && settings.idleRounds === undefined && stack
          ? `. BENCH_IDLE_ROUNDS=${fasterRounds} would run the growth phase's worker at a lower bcrypt cost`
          : `. The send rate (the engine, not bcrypt) limits creation: raise BENCH_IDLE_MAX_SECONDS or lower BENCH_IDLE_SESSIONS`),
    );
  }
  if (settings.idleRounds !== undefined) {
    if (stack) {
      log(
        `  NOTE: the growth phase's worker runs at OTP_BCRYPT_ROUNDS=${settings.idleRounds} (BENCH_IDLE_ROUNDS), not ${settings.bcryptRounds}`,
      );
      const worker = await stack.restartWorker({ OTP_BCRYPT_ROUNDS: String(settings.idleRounds) });
      pids.worker = worker.pid;
      // The fresh worker warms up before its RSS becomes the baseline, and gives the verify
      // latency without idle sessions at this cost.
      const rebase = await measure(otpFlow(target, 'rebase'), best.concurrency, settings, {
        worker: worker.pid,
      });
      log(levelLine('flow', rebase.result, rebase.processes));
      baselineVerify = rebase.result.steps.verify;
    } else {
      log('  NOTE: BENCH_IDLE_ROUNDS applies only to a stack the bench starts; ignored');
    }
  }

  const [workerBefore, temporalBefore] = await Promise.all([
    settledRss(pids.worker, settings.settleSeconds),
    settledRss(pids.temporal, settings.settleSeconds),
  ]);
  const sessions: { token: string; code: string }[] = [];
  let errors = 0;
  const startedAt = performance.now();
  const deadline = startedAt + settings.idleMaxSeconds * 1000;
  let lastReport = startedAt;
  const sampler = new ProcessSampler({ worker: pids.worker, api: pids.api, temporal: pids.temporal });
  await runBounded(
    n,
    concurrency,
    async (index) => {
      try {
        sessions.push(await sendSandbox(target, 'idle', index, { expiry_minutes: 60 }));
      } catch {
        errors++;
      }
    },
    (done) => {
      const now = performance.now();
      if (now - lastReport > 5000 || done === n) {
        lastReport = now;
        const elapsed = (now - startedAt) / 1000;
        const left = Math.min((n - done) / (done / elapsed), settings.idleMaxSeconds - elapsed);
        log(
          `  ${done}/${n} (${fmt(done / elapsed, 0)}/s, ${fmt(elapsed, 0)} s, ~${fmt(Math.max(0, left), 0)} s left` +
            `${errors ? `, ${errors} errors` : ''})`,
        );
      }
    },
    () => performance.now() > deadline,
  );
  const creation = sampler.stop();
  const creationSeconds = (performance.now() - startedAt) / 1000;
  if (sessions.length < n)
    log(
      `  only ${sessions.length} sessions created (${errors} errors, time cap ${settings.idleMaxSeconds} s)`,
    );
  const [workerAfter, temporalAfter] = await Promise.all([
    settledRss(pids.worker, settings.settleSeconds),
    settledRss(pids.temporal, settings.settleSeconds),
  ]);
  const perSession = (before?: number, after?: number) =>
    before === undefined || after === undefined || sessions.length === 0
      ? null
      : Math.round(((after - before) / sessions.length / 1024) * 10) / 10;
  const MiB = (b?: number) => (b === undefined ? null : Math.round((b / 1024 / 1024) * 10) / 10);

  log(`  fresh send → verify flows at c=${best.concurrency} with the idle sessions open`);
  const fresh = await measure(otpFlow(target, 'fresh'), best.concurrency, settings, {
    worker: pids.worker,
    api: pids.api,
    temporal: pids.temporal,
  });
  log(levelLine('flow', fresh.result, fresh.processes));

  // The oldest idle sessions have likely left the worker's cache: verifying one replays its history.
  const cold: number[] = [];
  let coldErrors = 0;
  const coldCount = Math.min(settings.coldVerifies, sessions.length);
  for (const session of sessions.slice(0, coldCount)) {
    try {
      cold.push((await timed(() => verify(target, session.token, session.code)))[1]);
    } catch {
      coldErrors++;
    }
  }
  const coldVerify = percentiles(cold);

  const growth = {
    sessions: sessions.length,
    requested: n,
    errors,
    bcryptRounds: rounds,
    creationSeconds: Math.round(creationSeconds * 10) / 10,
    estimateSeconds: Math.round(estimate),
    creationProcesses: creation,
    workerRssMiBBefore: MiB(workerBefore),
    workerRssMiBAfter: MiB(workerAfter),
    workerKiBPerSession: perSession(workerBefore, workerAfter),
    temporalRssMiBBefore: MiB(temporalBefore),
    temporalRssMiBAfter: MiB(temporalAfter),
    temporalKiBPerSession: perSession(temporalBefore, temporalAfter),
    freshFlows: fresh.result,
    freshProcesses: fresh.processes,
    baselineVerify,
    coldVerify,
    coldVerifyErrors: coldErrors,
  };
  log(`  created in ${fmt(growth.creationSeconds, 0)} s (estimate ${growth.estimateSeconds} s)`);
  log(
    `  oldest ${coldCount} idle sessions verified one at a time: p50/p95/p99 ${latency(coldVerify)} ms` +
      (coldErrors ? ` (${coldErrors} errors)` : ''),
  );
  log(
    `  Temporal server RSS ${fmt(growth.temporalRssMiBBefore)} → ${fmt(growth.temporalRssMiBAfter)} MiB ` +
      `(${fmt(growth.temporalKiBPerSession)} KiB/session)`,
  );
  log(
    `growth: ${growth.sessions} idle sessions, worker RSS ${fmt(growth.workerRssMiBBefore)} → ${fmt(growth.workerRssMiBAfter)} MiB ` +
      `= ${fmt(growth.workerKiBPerSession)} KiB/session; verify p50/p95/p99 ${latency(fresh.result.steps.verify)} ms at ` +
      `c=${best.concurrency} (without idle sessions ${latency(baselineVerify)} ms)` +
      (rounds !== settings.bcryptRounds ? ` [bcrypt rounds ${rounds}]` : ''),
  );
  return growth;
}

/**
 * Live flows with credits on and off, in one stack: the API and worker restarted with REDIS_URL
 * (separate processes share a balance only through Redis; it holds the rate limits too, for both
 * tenants alike). Kinds alternate off, on, on, off (half the time each) so that drift on a busy
 * machine weighs on both; the ratio is of the totals.
 */
async function measureLive(
  settings: Settings,
  stack: OwnStack | undefined,
  redis: BenchRedis | undefined,
  sink: CodeSink | undefined,
  best: LevelResult,
  pids: Pids,
) {
  if (!stack || !sink || !redis) {
    if (!stack) log('\nlive flows: skipped (only on a stack the bench starts)');
    return undefined;
  }
  const concurrency = settings.liveConcurrency ?? best.concurrency;
  log(
    `\nlive flows: live send → code by email (local SMTP sink) → verify, c=${concurrency}; ` +
      `credits on = a tenant with a balance, off = one without; credit store and limits in Redis`,
  );
  log('  restarting the API and the worker with REDIS_URL');
  await stack.restartAll({ REDIS_URL: redis.url, OTP_BCRYPT_ROUNDS: String(settings.bcryptRounds) });
  Object.assign(pids, { worker: stack.worker.pid, api: stack.api.pid });
  const targets = {
    on: { url: stack.url, apiKey: stack.liveKeys.credits },
    off: { url: stack.url, apiKey: stack.liveKeys.free },
  };
  let paidSends = 0;
  const flows = {
    on: liveFlow(targets.on, sink, 'live-on', () => paidSends++),
    off: liveFlow(targets.off, sink, 'live-off'),
  };
  const balanceBefore = await balanceOf(targets.on);
  if (settings.warmupSeconds > 0) {
    for (const kind of ['off', 'on'] as const)
      await runClosedLoop(flows[kind], concurrency, settings.warmupSeconds);
  }
  const segments: { kind: 'on' | 'off'; result: LoadResult; processes: Record<string, ProcessFigures> }[] =
    [];
  for (const kind of ['off', 'on', 'on', 'off'] as const) {
    const sampler = new ProcessSampler({ ...pids, redis: redis.pid, bench: process.pid });
    const result = await runClosedLoop(flows[kind], concurrency, settings.liveSeconds / 2);
    segments.push({ kind, result, processes: sampler.stop() });
    log(levelLine(kind, result, segments.at(-1)!.processes));
  }
  const total = (kind: 'on' | 'off') => {
    const mine = segments.filter((s) => s.kind === kind).map((s) => s.result);
    const flowCount = mine.reduce((sum, r) => sum + r.flows, 0);
    const seconds = mine.reduce((sum, r) => sum + r.seconds, 0);
    return {
      flows: flowCount,
      seconds: Math.round(seconds * 100) / 100,
      flowsPerSecond: Math.round((flowCount / seconds) * 100) / 100,
      errors: mine.reduce((sum, r) => sum + r.errors, 0),
    };
  };
  const on = total('on');
  const off = total('off');
  const ratio =
    off.flowsPerSecond > 0 ? Math.round((on.flowsPerSecond / off.flowsPerSecond) * 100) / 100 : null;
  const balanceAfter = await balanceOf(targets.on);
  const creditsSpent = balanceBefore - balanceAfter;
  log(
    `  the tenant with a balance paid ${creditsSpent} credits for ${paidSends} live sends (warm-up included)` +
      `${creditsSpent === paidSends ? ': exact' : ': NOT one per send'}; the SMTP sink received ${sink.received()} emails`,
  );
  log(
    `live flows/s credits on / off: ${fmt(on.flowsPerSecond, 2)} / ${fmt(off.flowsPerSecond, 2)} (ratio ${fmt(ratio, 2)})` +
      (on.errors + off.errors ? ` [errors on ${on.errors}, off ${off.errors}]` : ''),
  );
  return { concurrency, on, off, ratio, segments, paidSends, creditsSpent };
}

async function balanceOf(target: ApiTarget): Promise<number> {
  const response = await fetch(`${target.url}/api/v1/otp/balance`, {
    headers: { 'x-api-key': target.apiKey },
  });
  const body = (await response.json()) as { credits?: number };
  if (response.status !== 200 || typeof body.credits !== 'number')
    throw new Error(`GET /balance answered ${response.status}`);
  return body.credits;
}

/** Reserve + capture pairs of one tenant against the credit stores, in this process. */
async function measureDebitRate(settings: Settings, redis: BenchRedis | undefined): Promise<DebitResult[]> {
  log(
    `\ndebits: one tenant, ${settings.debitInFlight} in flight, each a reserve + capture of a fresh key, ` +
      `${settings.debitSeconds} s per store`,
  );
  const results = await measureDebits({
    redis,
    inFlight: settings.debitInFlight,
    seconds: settings.debitSeconds,
  });
  for (const r of results) {
    log(
      `  ${r.store.padEnd(5)} ${fmt(r.flowsPerSecond, 0).padStart(6)} debits/s  reserve p50/p95/p99 ${latency(r.steps.reserve)} ms` +
        `  capture ${latency(r.steps.capture)} ms  errors ${r.errors}` +
        `  balance exact: ${r.balanceExact === null ? 'n/a' : r.balanceExact ? 'yes' : 'NO'}\n` +
        `         ${processLine(r.processes)}`,
    );
  }
  const rate = (store: string) => fmt(results.find((r) => r.store === store)?.flowsPerSecond, 0);
  log(
    `debits/s (one tenant, ${settings.debitInFlight} in flight, reserve + capture): ` +
      `redis ${rate('redis')}, local ${rate('local')}`,
  );
  return results;
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
});
