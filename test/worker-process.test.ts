/**
 * The worker as production runs it: `npm run build` writes the prebuilt workflow bundle, the
 * compiled worker (`node dist/src/bin/worker.js`) starts from it and polls as the version of its
 * build (deployment `durable-otp`, a build id derived from the bundle and the activities' code),
 * and SIGTERM lets an in-flight delivery finish before the process exits 0.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createSessionActivities } from '../activities';
import type { SessionActivities } from '../workflows/activity-contract';
import { startDevServer } from '../src/temporal/dev-server';
import { temporal } from '@temporalio/proto';
import { makePollingVersionCurrent, makeWorkerCurrent } from '../src/temporal/versioning';
import { buildIdOf, createSessionWorker, DEPLOYMENT_NAME } from '../src/temporal/worker';
import { activityCodeDigest, loadSessionWorkflowCode } from '../src/temporal/workflow-bundle';
import { initialDeliveryUpdate, otpSession } from '../workflows/otp-session';
import { BUNDLE, ensureBuilt, ROOT } from './support/build';
import {
  keys,
  sessionStart,
  TEST_CODE_SECRET,
  TEST_PAYLOAD_KEYS_ENV,
  testDataConverter,
} from './support/session-env';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { makeTestPki, startTlsFrontend } from './support/tls';

const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
/** The package version + sha256 of the prebuilt bundle and of the activities' code (here: their sources). */
const bundleBuildId = () =>
  `${version}+${createHash('sha256').update(readFileSync(BUNDLE)).update(activityCodeDigest()).digest('hex').slice(0, 12)}`;

let devServer: TestWorkflowEnvironment;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt(['dist/src/bin/worker.js']);
  devServer = await startDevServer({ dataConverter: testDataConverter });
  dataDir = mkdtempSync(path.join(tmpdir(), 'otp-worker-'));
}, 300_000);

afterAll(async () => {
  await devServer?.teardown();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface WorkerProcess {
  child: ChildProcess;
  /** Log lines (pino JSON) and anything else it printed. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first log line whose `msg` is `msg`. */
  logged(msg: string): Promise<Record<string, unknown>>;
}

function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/bin/worker.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: dataDir,
      DATA_DIR: dataDir,
      OTP_CODE_SECRET: TEST_CODE_SECRET,
      OTP_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS_ENV,
      // No API beside these workers, so no store to share (a test below starts one without it).
      OTP_ALLOW_PROCESS_LOCAL_STORE: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      lines.push(...complete.filter(Boolean));
      for (const wake of waiters.splice(0)) wake();
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const find = (msg: string) =>
    lines.map((line) => (line.startsWith('{') ? JSON.parse(line) : {})).find((entry) => entry.msg === msg);
  return {
    child,
    lines,
    exited,
    async logged(msg) {
      for (;;) {
        const entry = find(msg);
        if (entry) return entry;
        const outcome = await Promise.race([
          new Promise<'line'>((resolve) => waiters.push(() => resolve('line'))),
          exited.then(() => 'exit' as const),
        ]);
        if (outcome === 'exit' && !find(msg))
          throw new Error(`worker exited before "${msg}":\n${lines.join('\n')}`);
      }
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('npm run build writes the workflow bundle, and a worker created from it runs a session and reports its build id', async () => {
  const workflows = await loadSessionWorkflowCode(BUNDLE);
  expect(workflows).toMatchObject({
    source: 'prebuilt',
    bundle: { codePath: BUNDLE },
    defaultBuildId: bundleBuildId(),
  });
  const taskQueue = `bundle-${randomUUID()}`;
  const worker = await createSessionWorker({
    connection: devServer.nativeConnection,
    namespace: 'default',
    taskQueue,
    dataConverter: testDataConverter,
    workflows,
    activities: createSessionActivities({ keys, bcryptRounds: 4, senders: {} }),
  });
  expect(buildIdOf(worker)).toBe(bundleBuildId());
  await worker.runUntil(async () => {
    await makeWorkerCurrent(worker);
    const start = sessionStart();
    const handle = await devServer.client.workflow.start(otpSession, {
      taskQueue,
      workflowId: `otp-${start.tenant_id}-${start.session_id}`,
      args: [start],
    });
    const sent = await handle.executeUpdate(initialDeliveryUpdate);
    expect(sent.sandbox_otps?.email).toMatch(/^\d{6}$/);
    const { pollers } = await devServer.client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
    });
    expect(pollers?.[0]?.deploymentOptions).toMatchObject({
      deploymentName: DEPLOYMENT_NAME,
      buildId: bundleBuildId(),
      workerVersioningMode: temporal.api.enums.v1.WorkerVersioningMode.WORKER_VERSIONING_MODE_VERSIONED,
    });
    // The session stays on this build for life.
    const { raw } = await handle.describe();
    expect(raw.workflowExecutionInfo?.versioningInfo).toMatchObject({
      behavior: temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
      deploymentVersion: { deploymentName: DEPLOYMENT_NAME, buildId: bundleBuildId() },
    });
  });
});

describe('shutdown grace', () => {
  /**
   * A delivery that honours cancellation (here: Context.sleep), 2 s long, in flight when the worker
   * is told to stop. The shipped senders do not watch for cancellation yet, so they finish even
   * without a grace; this is what the grace guarantees for any step that does.
   */
  async function deliveryAtShutdown(shutdownGraceMs: number | undefined): Promise<string> {
    // A live session's delivery: a regular activity (sandbox codes are issued in a local one).
    const email = { send: async () => ({ providerMessageId: 'grace-1' }) };
    const activities = createSessionActivities({ keys, bcryptRounds: 4, senders: { email } });
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const issueCode: SessionActivities['issueCode'] = async (input) => {
      started();
      await Context.current().sleep(2000);
      return activities.issueCode(input);
    };
    const taskQueue = `grace-${randomUUID()}`;
    const worker = await createSessionWorker({
      connection: devServer.nativeConnection,
      namespace: 'default',
      taskQueue,
      dataConverter: testDataConverter,
      workflows: await loadSessionWorkflowCode(BUNDLE),
      shutdownGraceMs,
      activities: { ...activities, issueCode },
    });
    const running = worker.run();
    await makeWorkerCurrent(worker);
    const start = sessionStart({ sandbox: false });
    const handle = await devServer.client.workflow.start(otpSession, {
      taskQueue,
      workflowId: `otp-${start.tenant_id}-${start.session_id}`,
      args: [start],
    });
    await inFlight;
    worker.shutdown();
    await running;
    const { events } = await handle.fetchHistory();
    if (events!.some((e) => e.activityTaskCompletedEventAttributes)) return 'completed';
    // A failed attempt that will be retried is not in the history; the pending activity holds it.
    const { raw } = await handle.describe();
    return `retrying after: ${raw.pendingActivities?.[0]?.lastFailure?.message}`;
  }

  test('lets a cancellable delivery in flight finish within the grace; without one it is cancelled at once', async () => {
    await expect(deliveryAtShutdown(10_000)).resolves.toBe('completed');
    await expect(deliveryAtShutdown(undefined)).resolves.toMatch(/^retrying after: Worker is shutting down/);
  });
});

describe('node dist/src/bin/worker.js', () => {
  let smtp: SmtpSink;
  beforeAll(async () => {
    // Each message is answered 2 s after it arrived: a delivery that is in flight when SIGTERM comes.
    smtp = await startSmtpSink({ answerDelayMs: 2000 });
  });
  afterAll(() => smtp?.close());

  test('starts from the prebuilt bundle; on SIGTERM it lets the delivery in flight finish, then exits 0', async () => {
    const taskQueue = `sigterm-${randomUUID()}`;
    const worker = spawnWorker({
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'otp@example.test',
      OTP_BCRYPT_ROUNDS: '4',
      WORKER_SHUTDOWN_GRACE: '10s',
    });
    try {
      const polling = await worker.logged('worker polling');
      // The compiled build's id: its activities' compiled code, not their sources.
      const builtId = execFileSync(
        process.execPath,
        [path.join(ROOT, 'dist/src/bin/deploy.js'), 'build-id'],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      ).trim();
      expect(builtId).toMatch(new RegExp(`^${version.replace(/\./g, '\\.')}\\+[0-9a-f]{12}$`));
      expect(polling).toMatchObject({
        workflows: 'prebuilt',
        deployment: DEPLOYMENT_NAME,
        buildId: builtId,
      });
      await expect(
        makePollingVersionCurrent(devServer.client.workflowService, 'default', taskQueue),
      ).resolves.toEqual({ deploymentName: DEPLOYMENT_NAME, buildId: builtId });

      const start = sessionStart({ sandbox: false });
      const handle = await devServer.client.workflow.start(otpSession, {
        taskQueue,
        workflowId: `otp-${start.tenant_id}-${start.session_id}`,
        args: [start],
      });
      await until(() => smtp.answering === 1);
      const stoppedAt = Date.now();
      worker.child.kill('SIGTERM');
      await expect(worker.logged('stopping: finishing tasks in flight')).resolves.toMatchObject({
        graceMs: 10_000,
      });

      await expect(worker.exited).resolves.toEqual({ code: 0, signal: null });
      // It waited for the SMTP server's answer rather than dropping the delivery.
      expect(Date.now() - stoppedAt).toBeGreaterThan(1000);
      expect(smtp.messages).toHaveLength(1);
      const { events } = await handle.fetchHistory();
      const outcomes = events!
        .filter((e) => e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes)
        .map((e) => (e.activityTaskCompletedEventAttributes ? 'completed' : 'failed'));
      expect(outcomes).toEqual(['completed']);
    } finally {
      worker.child.kill('SIGKILL');
    }
  });

  test('stops start-up on a TLS frontend it cannot verify, naming the TLS variables', async () => {
    const pki = makeTestPki();
    // Nothing listens upstream: the handshake fails before any byte would be forwarded.
    const frontend = await startTlsFrontend(pki, '127.0.0.1:9');
    try {
      const worker = spawnWorker({
        TEMPORAL_ADDRESS: frontend.address,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.files.otherCa,
        TEMPORAL_TLS_CLIENT_CERT_PATH: pki.files.clientCert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: pki.files.clientKey,
      });
      await expect(worker.exited).resolves.toEqual({ code: 1, signal: null });
      expect(worker.lines.join('\n')).toMatch(
        /^Cannot connect to Temporal at .* over TLS with a client certificate: .*UnknownIssuer.*Check TEMPORAL_ADDRESS, TEMPORAL_TLS, TEMPORAL_TLS_SERVER_CA_CERT_PATH/m,
      );
    } finally {
      await frontend.close();
      pki.close();
    }
  });
});
