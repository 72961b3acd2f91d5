/**
 * `node dist/bench/probe.js`: short measurements behind the tuning proposals of bench/RESULTS.md,
 * on a stack of its own (as `npm run bench` starts it):
 *  - the history of one finished sandbox session: its events, with the time each came after the
 *    first, and how many workflow tasks and activity tasks a send and a verify cost;
 *  - engine variants at PROBE_LEVELS (default 1,4) for PROBE_SECONDS (default 5) each: the no-op
 *    floor by update-with-start vs by start then update, and with the first update awaiting a
 *    no-op activity vs a no-op local activity;
 *  - HTTP keep-alive: GET /healthz with and without a keep-alive agent.
 */
import http from 'node:http';
import path from 'node:path';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { waitForPoller } from './engine-floor';
import { runClosedLoop, timed, type Flow } from './load';
import {
  firstUpdate,
  noopSession,
  noopSessionWithActivity,
  noopSessionWithLocalActivity,
  secondUpdate,
} from './noop-workflow';
import { otpFlow, sendSandbox, verify } from './otp-flows';
import { fmt, latency } from './report';
import { BenchChild, startOwnStack } from './stack';

const log = (line = '') => process.stdout.write(`${line}\n`);
const seconds = Number(process.env.PROBE_SECONDS ?? 5);
const levels = (process.env.PROBE_LEVELS ?? '1,4').split(',').map(Number);
const tag = Math.random().toString(36).slice(2, 8);

type NoopWorkflow = typeof noopSession;

function updateWithStart(client: Client, taskQueue: string, workflow: NoopWorkflow): Flow {
  return async (index) => {
    const workflowId = `probe-${tag}-${workflow.name}-${index}`;
    const [, first] = await timed(() =>
      client.workflow.executeUpdateWithStart(firstUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(workflow, {
          workflowId,
          taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      }),
    );
    const [, second] = await timed(() => client.workflow.getHandle(workflowId).executeUpdate(secondUpdate));
    return { first, second };
  };
}

function startThenUpdate(client: Client, taskQueue: string): Flow {
  return async (index) => {
    const workflowId = `probe-${tag}-start-${index}`;
    const [, first] = await timed(async () => {
      const handle = await client.workflow.start(noopSession, { workflowId, taskQueue });
      return handle.executeUpdate(firstUpdate);
    });
    const [, second] = await timed(() => client.workflow.getHandle(workflowId).executeUpdate(secondUpdate));
    return { first, second };
  };
}

async function healthz(url: string, agent: http.Agent, count: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => {
      http
        .get(`${url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
  }
  return (performance.now() - t0) / count;
}

async function main(): Promise<void> {
  const taskQueue = `probe-noop-${tag}`;
  let noopWorker: BenchChild | undefined;
  const stack = await startOwnStack({
    bcryptRounds: Number(process.env.OTP_BCRYPT_ROUNDS ?? 10),
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
    workerTuning: process.env.BENCH_WORKER_TUNING || undefined,
    onProgress: (line) => log(`· ${line}`),
    onTemporalReady: (address, dir) =>
      (noopWorker = new BenchChild(
        'noop-worker',
        path.join(__dirname, 'noop-worker.js'),
        { ...process.env, TEMPORAL_ADDRESS: address, BENCH_NOOP_TASK_QUEUE: taskQueue },
        path.join(dir, 'noop-worker.log'),
      )),
  });
  try {
    const client = stack.devServer.client;
    const target = { url: stack.url, apiKey: stack.apiKey };
    await waitForPoller(client, taskQueue, 120_000, noopWorker!.deathNote);

    // One session's history, after a short warm-up.
    await runClosedLoop(otpFlow(target, 'probe-warm'), 1, 2);
    const session = await sendSandbox(target, 'probe-history', 0);
    const sendDone = Date.now();
    await verify(target, session.token, session.code);
    const workflowId = `otp-bench-${session.sessionId}`;
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    const t0 =
      Number(events[0]?.eventTime?.seconds ?? 0) * 1000 +
      Math.floor((events[0]?.eventTime?.nanos ?? 0) / 1e6);
    log(`\nhistory of ${workflowId} (${events.length} events; ms after the first)`);
    const counts: Record<string, number> = {};
    for (const event of events) {
      const at =
        Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
      const type = String(temporal.api.enums.v1.EventType[event.eventType ?? 0]).replace('EVENT_TYPE_', '');
      counts[type] = (counts[type] ?? 0) + 1;
      log(`  ${String(at - t0).padStart(5)} ${at > sendDone ? 'verify' : 'send  '} ${type}`);
    }
    log(`  counts: ${JSON.stringify(counts)}`);

    log(`\nengine variants (${seconds} s each, after 1 s warm-up)`);
    const variants: [string, Flow][] = [
      ['no-op, update-with-start + update', updateWithStart(client, taskQueue, noopSession)],
      ['no-op, start + update + update', startThenUpdate(client, taskQueue)],
      ['first update awaits an activity', updateWithStart(client, taskQueue, noopSessionWithActivity)],
      [
        'first update awaits a local activity',
        updateWithStart(client, taskQueue, noopSessionWithLocalActivity),
      ],
    ];
    for (const concurrency of levels) {
      for (const [name, flow] of variants) {
        await runClosedLoop(flow, concurrency, 1);
        const r = await runClosedLoop(flow, concurrency, seconds);
        log(
          `  c=${concurrency} ${name.padEnd(38)} ${fmt(r.flowsPerSecond).padStart(6)}/s  first ${latency(r.steps.first)} ms` +
            `  second ${latency(r.steps.second)} ms${r.errors ? `  errors ${JSON.stringify(r.errorReasons)}` : ''}`,
        );
      }
    }

    const keepAlive = new http.Agent({ keepAlive: true });
    const noKeepAlive = new http.Agent({ keepAlive: false });
    await healthz(stack.url, keepAlive, 200);
    const withKa = await healthz(stack.url, keepAlive, 1000);
    const withoutKa = await healthz(stack.url, noKeepAlive, 1000);
    log(
      `\nGET /healthz, one at a time: ${fmt(withKa, 2)} ms with keep-alive, ${fmt(withoutKa, 2)} ms without`,
    );
    keepAlive.destroy();
  } finally {
    await noopWorker?.stop();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(`probe failed: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
});
