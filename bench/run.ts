/**
 * `npm run bench`: what the service does on this machine, in one run, ending with its headline:
 *
 *  - flows/s of sandbox send → verify through the REST API at the best concurrency level, against
 *    the engine floor (a no-op workflow driven like a session, bench/engine-floor.ts) and the
 *    bcrypt bound (bench/bcrypt-bound.ts), both measured in the same run;
 *  - latency p50/p99 of each step (send, verify) at the lowest level and at the best one;
 *  - CPU ms per flow by process (API, worker, Temporal server; on the cluster also PostgreSQL
 *    and Redis), the load generator left out;
 *  - live flows/s with credits on over credits off (the code read from the email a local SMTP
 *    sink receives), and debits/s of one tenant on the Redis and the local credit store.
 *
 * It starts its own stack (bench/stack.ts), or scripts/cluster.sh's topology (BENCH_CLUSTER=1,
 * bench/cluster.ts), or measures a running one (BENCH_TARGET_URL). The figures also go to
 * bench/results/<timestamp>.json. Variables: bench/RESULTS.md, "How to run".
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { measureBcryptBound, type BcryptBound } from './bcrypt-bound';
import { startBenchCluster, type BenchCluster } from './cluster';
import { cpuLine, cpuPerFlow, type CpuPerFlow } from './cpu-budget';
import { measureDebits, measureFraudChecks, type DebitResult, type FraudCheckResult } from './debits';
import { noopFlow, waitForPoller } from './engine-floor';
import { runClosedLoop, type Flow, type LoadResult, type Percentiles } from './load';
import { liveFlow, otpFlow, updateRetries, type ApiTarget } from './otp-flows';
import { ProcessSampler, type ProcessFigures } from './proc-stats';
import { startBenchRedis, type BenchRedis } from './redis';
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
import { startCodeSink, type CodeSink } from './smtp-sink';
import { BenchChild, REPO_ROOT, startOwnStack, type OwnStack } from './stack';

function readSettings() {
  const levels = (process.env.BENCH_LEVELS ?? '1,4,16,64').split(',').map((s) => Number(s.trim()));
  if (levels.some((l) => !Number.isInteger(l) || l < 1 || l > 512)) {
    throw new Error(`BENCH_LEVELS=${process.env.BENCH_LEVELS}: expected concurrency levels from 1 to 512`);
  }
  const seconds = numberEnv('BENCH_SECONDS', 10, 0.5, 600);
  return {
    cluster: process.env.BENCH_CLUSTER === '1',
    clusterStartSeconds: numberEnv('BENCH_CLUSTER_START_SECONDS', 300, 10, 3600),
    levels,
    seconds,
    warmupSeconds: numberEnv('BENCH_WARMUP_SECONDS', 2, 0, 60),
    bcryptRounds: numberEnv('OTP_BCRYPT_ROUNDS', 10, 4, 15),
    bcryptSeconds: numberEnv('BENCH_BCRYPT_SECONDS', 3, 0.5, 60),
    liveSeconds: numberEnv('BENCH_LIVE_SECONDS', seconds, 0, 600),
    liveConcurrency: process.env.BENCH_LIVE_CONCURRENCY
      ? numberEnv('BENCH_LIVE_CONCURRENCY', 8, 1, 256)
      : undefined,
    debitSeconds: numberEnv('BENCH_DEBIT_SECONDS', 5, 0, 120),
    debitInFlight: numberEnv('BENCH_DEBIT_IN_FLIGHT', 64, 1, 1024),
    resultsDir: process.env.BENCH_RESULTS_DIR || path.join(REPO_ROOT, 'bench', 'results'),
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
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
  /** CPU ms per flow of the product's processes (and the engine's), the load generator left out. */
  cpu: CpuPerFlow | null;
  /** The engine floor at the same concurrency, in its own closed loops. */
  floor?: LoadResult;
  floorProcesses?: Record<string, ProcessFigures>;
  floorCpu?: CpuPerFlow | null;
  percentOfFloor: number | null;
  percentOfBcrypt: number | null;
}

const log = (line = '') => process.stdout.write(`${line}\n`);

/** Sampled as process trees: PostgreSQL forks a backend per connection. */
const PROCESS_TREES = new Set(['postgres']);
/** The bench process: the load generator of the product's flows, the Temporal client of the floor's. */
const LOAD = 'bench';
const FLOOR_CLIENT = 'client';

async function measure(
  flow: Flow,
  concurrency: number,
  settings: Settings,
  pids: Record<string, number | undefined>,
  benchRole = LOAD,
) {
  if (settings.warmupSeconds > 0) await runClosedLoop(flow, concurrency, settings.warmupSeconds);
  const sampler = new ProcessSampler({ ...pids, [benchRole]: process.pid }, 250, PROCESS_TREES);
  const result = await runClosedLoop(flow, concurrency, settings.seconds);
  return { result, processes: sampler.stop() };
}

/** `kind`: `floor` (the no-op workflow: its steps are update-with-start, then the second update) or a flow. */
function phaseLines(
  kind: string,
  result: LoadResult,
  processes: Record<string, ProcessFigures>,
  cpu: CpuPerFlow | null,
): string {
  const errors = result.errors
    ? ` errors ${result.errors} (${Object.keys(result.errorReasons).join('; ')})`
    : ' errors 0';
  const floor = kind === 'floor';
  return (
    `  ${kind.padEnd(6)} c=${String(result.concurrency).padEnd(3)} ${fmt(result.flowsPerSecond).padStart(7)} flows/s` +
    `  ${floor ? 'start+u1' : 'send'} p50/p95/p99 ${latency(result.steps.send)} ms` +
    `  ${floor ? 'u2' : 'verify'} ${latency(result.steps.verify)} ms${errors}\n` +
    `         CPU ms/flow ${cpuLine(cpu)}\n` +
    `         ${processLine(processes)}`
  );
}

const p50p99 = (p: Percentiles | undefined) => ({ p50: p?.p50 ?? null, p99: p?.p99 ?? null });

async function main(): Promise<void> {
  const settings = readSettings();
  const machine = describeMachine();
  const commit = describeCommit(REPO_ROOT);
  const topology = settings.cluster ? 'cluster' : settings.target ? 'target' : 'embedded';
  log(
    `durable-otp bench · commit ${commit} · ${machine.cpus} CPUs ${machine.model} · ${machine.memoryGiB} GiB · Node ${machine.node}`,
  );
  log(
    `${topology} · levels ${settings.levels.join(',')} · ${settings.seconds} s each after ${settings.warmupSeconds} s warm-up · ` +
      `OTP_BCRYPT_ROUNDS ${settings.bcryptRounds} · log level ${settings.logLevel}`,
  );

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
    /** Sampled in every phase: the product's processes, and the engine's (Temporal, its database). */
    let productPids: Record<string, number | undefined> = {};
    let enginePids: Record<string, number | undefined> = {};
    if (settings.cluster) {
      cluster = await startBenchCluster({
        bcryptRounds: settings.bcryptRounds,
        logLevel: settings.logLevel,
        startSeconds: settings.clusterStartSeconds,
        onProgress: (line) => log(`· ${line}`),
      });
      target = { url: cluster.url, apiKey: cluster.apiKey };
      temporalAddress = cluster.temporalAddress;
      const { temporal, postgres, redis: clusterRedis, api, ...rest } = cluster.pids;
      const workers = Object.fromEntries(Object.entries(rest).filter(([name]) => name.startsWith('worker-')));
      productPids = { api, ...workers, redis: clusterRedis };
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
      const pid = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
      productPids = { api: pid('BENCH_API_PID'), worker: pid('BENCH_WORKER_PID') };
      log(
        `target ${target.url} (existing stack; Temporal ${temporalAddress ?? 'not given: no engine floor'})`,
      );
    } else {
      // The live flows' email provider; sandbox sessions send nothing, so it idles until then.
      if (settings.liveSeconds > 0) sink = await startCodeSink();
      stack = await startOwnStack({
        smtpUrl: sink?.url,
        // The floor's worker builds its workflow bundle while the product's processes start.
        onTemporalReady: (address, dir) => (noopWorker = startNoopWorker(address, dir)),
        bcryptRounds: settings.bcryptRounds,
        logLevel: settings.logLevel,
        onProgress: (line) => log(`· ${line}`),
      });
      target = { url: stack.url, apiKey: stack.apiKey };
      temporalAddress = stack.temporalAddress;
      productPids = { api: stack.api.pid, worker: stack.worker.pid };
      enginePids = { temporal: stack.temporalServerPid };
      log(
        `· stack up: API ${stack.url}, Temporal ${temporalAddress}, worker pid ${stack.worker.pid}, API pid ${stack.api.pid}`,
      );
    }

    // With the stack idle, so that bcrypt has the cores to itself.
    log(`\nbcrypt bound (rounds ${settings.bcryptRounds}, all cores, ${settings.bcryptSeconds} s)`);
    const bcrypt: BcryptBound = await measureBcryptBound(settings.bcryptRounds, settings.bcryptSeconds);
    log(
      `  ${fmt(bcrypt.opsPerSecond)} ops/s (${fmt(bcrypt.hashesPerSecond)} hashes + ${fmt(bcrypt.comparesPerSecond)} compares, ` +
        `${bcrypt.inFlight} in flight; one op alone ${fmt(bcrypt.singleOpMs)} ms) → bound ${fmt(bcrypt.flowsPerSecond)} flows/s; ` +
        `CPU ${fmt(bcrypt.cpuMsPerFlow)} ms per flow (one hash, one compare)`,
    );

    let client: Client | undefined;
    if (temporalAddress) {
      noopWorker ??= startNoopWorker(temporalAddress, os.tmpdir());
      connection = await Connection.connect({ address: temporalAddress });
      client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
      await waitForPoller(client, noopTaskQueue, 120_000, noopWorker.deathNote);
    }

    const levels: LevelResult[] = [];
    const retriesBefore = await updateRetries(target);
    log(
      `\nlevels: floor = the no-op workflow (update-with-start + update), flow = sandbox send → verify via the API`,
    );
    for (const concurrency of settings.levels) {
      let floor: Awaited<ReturnType<typeof measure>> | undefined;
      let floorCpu: CpuPerFlow | null | undefined;
      if (client && noopWorker) {
        floor = await measure(
          noopFlow(client, noopTaskQueue),
          concurrency,
          settings,
          { 'noop-worker': noopWorker.pid, ...enginePids },
          FLOOR_CLIENT,
        );
        floorCpu = cpuPerFlow(floor.processes, floor.result.flows);
        log(phaseLines('floor', floor.result, floor.processes, floorCpu));
      }
      const flows = await measure(otpFlow(target), concurrency, settings, { ...productPids, ...enginePids });
      const cpu = cpuPerFlow(flows.processes, flows.result.flows, [LOAD]);
      const percentOfFloor = floor ? pct(flows.result.flowsPerSecond, floor.result.flowsPerSecond) : null;
      const percentOfBcrypt = pct(flows.result.flowsPerSecond, bcrypt.flowsPerSecond);
      log(phaseLines('flow', flows.result, flows.processes, cpu));
      log(
        `         ${fmt(percentOfFloor)}% of the engine floor at c=${concurrency}, ${fmt(percentOfBcrypt)}% of the bcrypt bound`,
      );
      levels.push({
        concurrency,
        flows: flows.result,
        flowProcesses: flows.processes,
        cpu,
        floor: floor?.result,
        floorProcesses: floor?.processes,
        floorCpu,
        percentOfFloor,
        percentOfBcrypt,
      });
    }
    await noopWorker?.stop();
    noopWorker = undefined;
    const retriesAfter = await updateRetries(target);
    const measuredFlows = levels.reduce((sum, l) => sum + l.flows.flows, 0);
    const retriesPerThousandFlows =
      retriesBefore === undefined || retriesAfter === undefined || !measuredFlows
        ? null
        : ((retriesAfter - retriesBefore) / measuredFlows) * 1000;

    const best = levels.reduce((a, b) => (b.flows.flowsPerSecond > a.flows.flowsPerSecond ? b : a));
    const lowest = levels.reduce((a, b) => (b.concurrency < a.concurrency ? b : a));
    const floors = levels.filter((l) => l.floor);
    const bestFloor = floors.length
      ? floors.reduce((a, b) => (b.floor!.flowsPerSecond > a.floor!.flowsPerSecond ? b : a))
      : undefined;

    log(
      '\n| c | flows/s | % of floor | % of bcrypt | send p50/p95/p99 ms | verify p50/p95/p99 ms | CPU ms/flow | errors | floor flows/s |',
    );
    log('|---|---|---|---|---|---|---|---|---|');
    for (const l of levels) {
      log(
        `| ${l.concurrency} | ${fmt(l.flows.flowsPerSecond)} | ${fmt(l.percentOfFloor)} | ${fmt(l.percentOfBcrypt)} | ` +
          `${latency(l.flows.steps.send)} | ${latency(l.flows.steps.verify)} | ${cpuLine(l.cpu)} | ${l.flows.errors} | ` +
          `${fmt(l.floor?.flowsPerSecond)} |`,
      );
    }

    if (settings.liveSeconds > 0 || settings.debitSeconds > 0) {
      redis = await startBenchRedis();
      if (!redis)
        log(
          '\nNOTE: redis-server not found: no live flows and no Redis debits (scripts/install-test-deps.sh installs it)',
        );
    }
    const live =
      settings.liveSeconds > 0
        ? await measureLive(settings, stack, redis, sink, settings.liveConcurrency ?? best.concurrency)
        : undefined;
    const debits = settings.debitSeconds > 0 ? await measureDebitRate(settings, redis) : undefined;
    const debitRate = (store: DebitResult['store']) =>
      debits?.find((r) => r.store === store)?.flowsPerSecond ?? null;
    const fraudChecks = settings.debitSeconds > 0 ? await measureFraudCheckRate(settings, redis) : undefined;
    const fraudCheckRate = (store: FraudCheckResult['store']) =>
      fraudChecks?.find((r) => r.store === store)?.flowsPerSecond ?? null;

    const headline = {
      flowsPerSecond: best.flows.flowsPerSecond,
      concurrency: best.concurrency,
      engineFloorFlowsPerSecond: bestFloor?.floor?.flowsPerSecond ?? null,
      engineFloorConcurrency: bestFloor?.concurrency ?? null,
      percentOfEngineFloor: pct(best.flows.flowsPerSecond, bestFloor?.floor?.flowsPerSecond),
      bcryptBoundFlowsPerSecond: bcrypt.flowsPerSecond,
      percentOfBcryptBound: pct(best.flows.flowsPerSecond, bcrypt.flowsPerSecond),
      // At the lowest level (a flow's own time) and at the best one (where queueing adds to it).
      latencyMs: [...new Set([lowest, best])].map((l) => ({
        concurrency: l.concurrency,
        send: p50p99(l.flows.steps.send),
        verify: p50p99(l.flows.steps.verify),
      })),
      cpuMsPerFlow: best.cpu,
      bcryptCpuMsPerFlow: bcrypt.cpuMsPerFlow,
      updateRetriesPerThousandFlows: retriesPerThousandFlows,
      liveOnOffRatio: live?.ratio ?? null,
      debitsPerSecond: { redis: debitRate('redis'), local: debitRate('local') },
      fraudChecksPerSecond: { redis: fraudCheckRate('redis'), local: fraudCheckRate('local') },
    };
    const results = {
      at: new Date().toISOString(),
      commit,
      machine,
      settings: { ...settings, target: settings.target?.url },
      topology,
      headline,
      bcrypt,
      levels,
      live,
      debits,
      fraudChecks,
    };
    const file = writeResults(settings.resultsDir, results);

    log(`\nheadline (${topology}, commit ${commit}, best level c=${best.concurrency}):`);
    log(
      `flows/s: ${fmt(headline.flowsPerSecond)} (${fmt(headline.percentOfEngineFloor)}% of engine floor, ` +
        `${fmt(headline.percentOfBcryptBound)}% of bcrypt bound)`,
    );
    log(
      `  engine floor ${fmt(headline.engineFloorFlowsPerSecond)} flows/s (its best level, c=${headline.engineFloorConcurrency ?? 'n/a'}); ` +
        `bcrypt bound ${fmt(bcrypt.flowsPerSecond)} flows/s at rounds ${bcrypt.rounds}`,
    );
    log(
      `latency p50/p99 ms: ${headline.latencyMs
        .map(
          ({ concurrency, send, verify }) =>
            `send ${fmt(send.p50)}/${fmt(send.p99)} · verify ${fmt(verify.p50)}/${fmt(verify.p99)} at c=${concurrency}`,
        )
        .join('; ')}`,
    );
    log(
      `CPU ms/flow: ${cpuLine(best.cpu)}; of it bcrypt ${fmt(bcrypt.cpuMsPerFlow)} (one hash, one compare)`,
    );
    log(`update retries per 1,000 flows (all levels): ${fmt(retriesPerThousandFlows, 2)}`);
    log(
      live
        ? `live flows/s credits on / off: ${fmt(live.on.flowsPerSecond, 2)} / ${fmt(live.off.flowsPerSecond, 2)} (ratio ${fmt(live.ratio, 2)})` +
            (live.on.errors + live.off.errors ? ` [errors on ${live.on.errors}, off ${live.off.errors}]` : '')
        : 'live flows/s credits on / off: n/a',
    );
    log(
      debits
        ? `debits/s (one tenant, ${settings.debitInFlight} in flight, reserve + capture): ` +
            `redis ${fmt(headline.debitsPerSecond.redis, 0)}, local ${fmt(headline.debitsPerSecond.local, 0)}`
        : 'debits/s: n/a',
    );
    log(
      fraudChecks
        ? `fraud checks/s (one tenant, ${settings.debitInFlight} in flight, admit of a fresh number): ` +
            `redis ${fmt(headline.fraudChecksPerSecond.redis, 0)}, local ${fmt(headline.fraudChecksPerSecond.local, 0)}`
        : 'fraud checks/s: n/a',
    );
    log(`\nresults: ${path.relative(process.cwd(), file)}`);
  } finally {
    await cleanup();
  }
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
  concurrency: number,
) {
  if (!stack || !sink || !redis) {
    if (!stack) log('\nlive flows: skipped (only on a stack the bench starts)');
    return undefined;
  }
  log(
    `\nlive flows: live send → code by email (local SMTP sink) → verify, c=${concurrency}; ` +
      `credits on = a tenant with a balance, off = one without; credit store and limits in Redis`,
  );
  log('  restarting the API and the worker with REDIS_URL');
  await stack.restartAll({ REDIS_URL: redis.url, OTP_BCRYPT_ROUNDS: String(settings.bcryptRounds) });
  const pids = {
    api: stack.api.pid,
    worker: stack.worker.pid,
    temporal: stack.temporalServerPid,
    redis: redis.pid,
  };
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
  const segments: {
    kind: 'on' | 'off';
    result: LoadResult;
    processes: Record<string, ProcessFigures>;
    cpu: CpuPerFlow | null;
  }[] = [];
  for (const kind of ['off', 'on', 'on', 'off'] as const) {
    const sampler = new ProcessSampler({ ...pids, [LOAD]: process.pid });
    const result = await runClosedLoop(flows[kind], concurrency, settings.liveSeconds / 2);
    const processes = sampler.stop();
    const cpu = cpuPerFlow(processes, result.flows, [LOAD]);
    segments.push({ kind, result, processes, cpu });
    log(phaseLines(kind, result, processes, cpu));
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
  const creditsSpent = balanceBefore - (await balanceOf(targets.on));
  log(
    `  the tenant with a balance paid ${creditsSpent} credits for ${paidSends} live sends (warm-up included)` +
      `${creditsSpent === paidSends ? ': exact' : ': NOT one per send'}; the SMTP sink received ${sink.received()} emails`,
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
  return results;
}

/** One live phone send's fraud check (SPEC §11) of one tenant against the stores, in this process. */
async function measureFraudCheckRate(
  settings: Settings,
  redis: BenchRedis | undefined,
): Promise<FraudCheckResult[]> {
  log(
    `\nfraud checks: one tenant, ${settings.debitInFlight} in flight, each an admit of a fresh number, ` +
      `${settings.debitSeconds} s per store`,
  );
  const results = await measureFraudChecks({
    redis,
    inFlight: settings.debitInFlight,
    seconds: settings.debitSeconds,
  });
  for (const r of results) {
    log(
      `  ${r.store.padEnd(5)} ${fmt(r.flowsPerSecond, 0).padStart(6)} checks/s  admit p50/p95/p99 ${latency(r.steps.admit)} ms` +
        `  errors ${r.errors}  all admitted: ${r.allAdmitted === null ? 'n/a' : r.allAdmitted ? 'yes' : 'NO'}\n` +
        `         ${processLine(r.processes)}`,
    );
  }
  return results;
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
});
