/**
 * Worker Versioning on the dev server (SPEC §10): a worker of a build that is not current gets no
 * new sessions, so `GET /readyz` does not count it; `node dist/src/bin/deploy.js promote` makes a
 * build current once its workers poll, and refuses (exit 1, saying why) when none does.
 * The rainbow deploy itself, drainage included, runs on the real cluster
 * (test/cluster/rainbow.test.ts).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { createSessionActivities } from '../activities';
import { describeDeployment, pollersForNewWorkflows, setCurrentVersion } from '../src/temporal/versioning';
import { createSessionWorker } from '../src/temporal/worker';
import { initialDeliveryUpdate, otpSession } from '../workflows/otp-session';
import { fetchJson, startApiEnv, type ApiTestEnv } from './support/api-env';
import { ensureBuilt, ROOT } from './support/build';
import { keys, sessionStart, testDataConverter } from './support/session-env';

const VERSIONED = temporal.api.enums.v1.WorkerVersioningMode.WORKER_VERSIONING_MODE_VERSIONED;
const UNVERSIONED = temporal.api.enums.v1.WorkerVersioningMode.WORKER_VERSIONING_MODE_UNVERSIONED;

describe('the pollers that receive new sessions', () => {
  const poller = (buildId: string | undefined, mode = VERSIONED) => ({
    identity: `worker-${buildId ?? 'unversioned'}`,
    deploymentOptions: buildId
      ? { deploymentName: 'durable-otp', buildId, workerVersioningMode: mode }
      : null,
  });
  const current = (buildId: string) => ({
    currentDeploymentVersion: { deploymentName: 'durable-otp', buildId },
  });

  it('are the current version’s once the task queue has one', () => {
    const pollers = [poller('a'), poller('b'), poller(undefined)];
    expect(pollersForNewWorkflows({ pollers, versioningInfo: current('b') })).toEqual([poller('b')]);
    expect(pollersForNewWorkflows({ pollers: [poller('a')], versioningInfo: current('b') })).toEqual([]);
  });

  it('are the unversioned ones while it has none', () => {
    expect(
      pollersForNewWorkflows({ pollers: [poller('a'), poller(undefined)], versioningInfo: null }),
    ).toEqual([poller(undefined)]);
    expect(pollersForNewWorkflows({ pollers: [poller('a', UNVERSIONED)] })).toEqual([
      poller('a', UNVERSIONED),
    ]);
    expect(pollersForNewWorkflows({ pollers: [poller('a')] })).toEqual([]);
  });
});

describe('on the dev server', () => {
  let t: ApiTestEnv;
  const running: { worker: Worker; done: Promise<void> }[] = [];

  beforeAll(async () => {
    ensureBuilt(['dist/src/bin/deploy.js']);
    t = await startApiEnv();
  }, 300_000);

  afterAll(async () => {
    for (const { worker, done } of running) {
      worker.shutdown();
      await done;
    }
    await t?.close();
  });

  /** A session worker on its own task queue, polling as `deploymentName:buildId`. */
  async function startWorker(taskQueue: string, deploymentName: string, buildId: string): Promise<Worker> {
    const worker = await createSessionWorker({
      connection: t.sessions.env.nativeConnection,
      namespace: 'default',
      taskQueue,
      deploymentName,
      buildId,
      dataConverter: testDataConverter,
      activities: createSessionActivities({ keys, bcryptRounds: 4, senders: {} }),
    });
    running.push({ worker, done: worker.run() });
    return worker;
  }

  function deploy(args: string[], env: Record<string, string>) {
    return promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/src/bin/deploy.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: t.sessions.env.address, ...env },
    }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (err: { code: number; stdout: string; stderr: string }) => ({
        code: err.code,
        output: err.stdout + err.stderr,
      }),
    );
  }

  it('readyz: a worker of a build that is not current does not make the API ready; once it is current, it does', async () => {
    const taskQueue = `readiness-${randomUUID()}`;
    const deploymentName = `readiness-${randomUUID().slice(0, 8)}`;
    const api = await t.startVariant({
      config: { ...t.config, temporal: { ...t.config.temporal, taskQueue } },
    });
    await startWorker(taskQueue, deploymentName, 'b-1');
    // It polls: DescribeTaskQueue lists it, but the task queue has no current version.
    const service = t.sessions.env.client.workflowService;
    for (;;) {
      const { pollers } = await service.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
      });
      if (pollers.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await fetchJson(`${api.url}/readyz`)).toMatchObject({
      status: 503,
      body: { status: 'unavailable', reason: 'no_worker_polling' },
    });

    await setCurrentVersion(service, 'default', { deploymentName, buildId: 'b-1' }, { taskQueue });
    expect(await fetchJson(`${api.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('deploy.js promote makes a polling build current, and sessions then start on it, pinned', async () => {
    const taskQueue = `promote-${randomUUID()}`;
    const deploymentName = `promote-${randomUUID().slice(0, 8)}`;
    const env = { TEMPORAL_TASK_QUEUE: taskQueue, WORKER_DEPLOYMENT_NAME: deploymentName };
    await startWorker(taskQueue, deploymentName, 'p-1');

    const promoted = await deploy(['promote', '--build-id', 'p-1', '--no-wait'], env);
    expect(promoted).toEqual({
      code: 0,
      output: expect.stringContaining(`deploy: ${deploymentName}:p-1 is current: new sessions start on it`),
    });
    await expect(
      describeDeployment(t.sessions.env.client.workflowService, 'default', deploymentName),
    ).resolves.toMatchObject({ current: 'p-1', versions: [{ buildId: 'p-1', status: 'CURRENT' }] });

    const start = sessionStart();
    const handle = await t.sessions.env.client.workflow.start(otpSession, {
      taskQueue,
      workflowId: `otp-${start.tenant_id}-${start.session_id}`,
      args: [start],
    });
    await handle.executeUpdate(initialDeliveryUpdate);
    const { raw } = await handle.describe();
    expect(raw.workflowExecutionInfo?.versioningInfo).toMatchObject({
      behavior: temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
      deploymentVersion: { deploymentName, buildId: 'p-1' },
    });

    // Again: nothing to do. `status` lists it with its open session.
    expect(await deploy(['promote', '--build-id', 'p-1', '--no-wait'], env)).toEqual({
      code: 0,
      output: expect.stringContaining(`${deploymentName}:p-1 is current already`),
    });
    const status = await deploy(['status'], env);
    expect(status.code).toBe(0);
    expect(status.output).toContain(`deployment ${deploymentName} in namespace default: current p-1`);
    expect(status.output).toMatch(/p-1 {2}current {2}1 open/);
  });

  it('deploy.js promote refuses a build no worker polls, saying so', async () => {
    const deploymentName = `nobody-${randomUUID().slice(0, 8)}`;
    const refused = await deploy(['promote', '--build-id', 'n-1', '--poll-timeout', '2s'], {
      TEMPORAL_TASK_QUEUE: `nobody-${randomUUID()}`,
      WORKER_DEPLOYMENT_NAME: deploymentName,
    });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`could not make ${deploymentName}:n-1 current within 2 s`);
    expect(refused.output).toContain(`no worker of ${deploymentName}:n-1 has polled`);
  });
});
