/**
 * The session worker of test/credits-crash.test.ts: src/bin/worker.ts's wiring (real activities,
 * abuse controls and credit store from REDIS_URL, the SMTP sender from SMTP_URL), run in a
 * process of its own so the test can lose it the way a machine loses power — SIGKILL, nothing
 * flushed, no activity completed or failed.
 *
 * It runs compiled, `node dist/test/support/crash-worker.js` (test/support/build.ts builds dist
 * when it is stale), like the bench's processes: no TypeScript loader to add or pin.
 *
 * CRASH_PLAN (JSON) maps a recipient address to where its delivery kills the worker:
 * - `before-send`: in the email sender, so after issueCode captured the credits, before the
 *   provider (SMTP) is called;
 * - `after-send`: in the email sender, once the provider accepted the message (SMTP 250), before
 *   the activity can return.
 * A delivery that reaches its point waits there; when every planned point has been reached the
 * process SIGKILLs itself, so one kill leaves each planned delivery at its own point. Progress
 * goes to stdout as JSON lines: `{"event":"polling"}`, `{"event":"crash","points":{…}}`.
 */
import { testDataConverter } from './session-env';
import fs from 'node:fs';
import { NativeConnection } from '@temporalio/worker';
import { createSessionActivities } from '../../activities';
import { codeKeys } from '../../activities/codes';
import type { ChannelSender } from '../../activities/delivery';
import { startAbuseControls } from '../../src/limits';
import { loadConfig } from '../../src/config/config';
import { runEntryPoint } from '../../src/config/process';
import { buildSenders } from '../../activities/senders';
import { installRuntime } from '../../src/temporal/runtime';
import { makeWorkerCurrent } from '../../src/temporal/versioning';
import { createSessionWorker } from '../../src/temporal/worker';
import { UNOBSERVED } from '../../src/fraud/defence';

type CrashPoint = 'before-send' | 'after-send';

/** Synchronous, so the line is out before the kill. */
const report = (event: object) => fs.writeSync(1, `${JSON.stringify(event)}\n`);

function crashingSender(real: ChannelSender, plan: Record<string, CrashPoint>): ChannelSender {
  const reached: Record<string, CrashPoint> = {};
  const waitForTheKill = () => new Promise<never>(() => undefined);
  function arrive(to: string, point: CrashPoint): Promise<never> {
    reached[to] = point;
    if (Object.keys(plan).every((address) => reached[address] === plan[address])) {
      report({ event: 'crash', points: reached });
      process.kill(process.pid, 'SIGKILL');
    }
    return waitForTheKill();
  }
  return {
    async send(message) {
      const point = plan[message.to];
      if (point === 'before-send') await arrive(message.to, point);
      const receipt = await real.send(message);
      if (point === 'after-send') await arrive(message.to, point);
      return receipt;
    },
    close: () => real.close?.() ?? Promise.resolve(),
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  // No metrics endpoint: several crash workers may run at once.
  installRuntime({ workerMetrics: { host: '127.0.0.1', port: 0 } });
  const plan = JSON.parse(process.env.CRASH_PLAN || '{}') as Record<string, CrashPoint>;
  const codeSecret = process.env.OTP_CODE_SECRET;
  if (!config.temporal.address || !config.redisUrl || !config.smtp || !codeSecret) {
    throw new Error(
      'crash-worker needs TEMPORAL_ADDRESS, REDIS_URL, SMTP_URL, EMAIL_FROM and OTP_CODE_SECRET',
    );
  }
  const { email } = buildSenders(config, { devOutbox: false });
  const abuse = await startAbuseControls(config, codeSecret, UNOBSERVED);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createSessionWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataConverter: testDataConverter,
    activities: createSessionActivities({
      keys: codeKeys(codeSecret),
      bcryptRounds: config.bcryptRounds,
      senders: { email: crashingSender(email!, plan) },
      admission: abuse.admission,
    }),
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  // Every crash worker is the same build: the first makes it current, the others find it so.
  await makeWorkerCurrent(worker);
  report({ event: 'polling' });
  await running;
  await email!.close?.();
  await abuse.close();
  await connection.close();
}

runEntryPoint(main);
