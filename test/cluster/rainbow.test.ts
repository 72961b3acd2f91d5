/**
 * A rainbow deploy on the `make cluster` topology (SPEC §10, deploy/README.md "Deploying a new
 * version"): scripts/cluster.sh runs build A (two workers, made current) and the API. Sessions
 * open on A; build B — the same product with workflow code that fails A's histories on replay
 * (test/fixtures/rainbow-workflows.ts) — starts two workers of its own, and `node dist/src/bin/deploy.js
 * promote` makes it current and waits. A's sessions verify, resend and expire on A's workers; new
 * sessions run on B's; A reports drained, the deploy step returns, and A's workers stop. Across
 * all of it: no failed workflow task, no 5xx from the API, every session accounted for.
 *
 * Real time throughout: A's sessions expire after the minimum of 1 minute, and the cluster's
 * dynamic config checks drainage every 10 s (deploy/cluster/dynamicconfig.yaml).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { payloadDataConverter } from '../../src/codec';
import { loadConfig } from '../../src/config/config';
import { ROOT } from '../support/build';
import { processAlive, startCluster, type RunningCluster, trackFailures } from '../support/cluster';
import {
  clusterWorkerEnv,
  copyBuild,
  spawnBuildWorker,
  type Build,
  type SpawnedWorker,
} from '../support/worker-build';
import { BUILD_MARKER } from '../fixtures/rainbow-workflows';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = 'sk_test_rainbow_acme_0123456789abcdef01234567';
const TENANTS = {
  tenants: [
    {
      id: 'acme',
      name: 'Acme',
      api_keys: [{ id: 'acme-test', mode: 'test', sha256: createHash('sha256').update(KEY).digest('hex') }],
      // Every send of this file comes from 127.0.0.1, each to an address of its own.
      limits: { ip_sends: { max: 10_000, window_minutes: 60 } },
    },
  ],
};
const API = '/api/v1/otp';
const DEPLOYMENT = 'durable-otp';
const PINNED = temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED;
const DRAINED = temporal.api.enums.v1.VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED;

let cluster: RunningCluster;
let tenantsDir: string;
let buildB: Build;
const workersB: SpawnedWorker[] = [];
const { test, failed } = trackFailures();

/** Every API answer of this file, to count the 5xx. */
const answers: { request: string; status: number }[] = [];

async function call(
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${cluster.apiUrl}${urlPath}`, {
    method,
    headers: { 'X-API-Key': KEY, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  answers.push({ request: `${method} ${urlPath}`, status: response.status });
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

interface Session {
  id: string;
  token: string;
  code: string;
  workflowId: string;
}

let sends = 0;
async function send(purpose: string): Promise<Session> {
  const sent = await call('POST', `${API}/send`, {
    channels: ['email'],
    recipients: { email: `rainbow-${++sends}@example.test` },
    config: { resend_cooldown_seconds: 0, expiry_minutes: 1 },
    metadata: { purpose },
  });
  expect(sent).toMatchObject({ status: 201, body: { sandbox_otps: { email: expect.any(String) } } });
  return {
    id: sent.body.session_id,
    token: sent.body.session_token,
    code: sent.body.sandbox_otps.email,
    workflowId: `otp-acme-${sent.body.session_id}`,
  };
}

const verify = (session: Session, code = session.code) =>
  call('POST', `${API}/verify`, { token: session.token, otps: { email: code } });

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const namespace = () => cluster.env.TEMPORAL_NAMESPACE;
const service = () => cluster.connection.workflowService;

async function describe_(workflowId: string) {
  return service().describeWorkflowExecution({ namespace: namespace(), execution: { workflowId } });
}

/** The build a session is pinned to, and how. */
async function pinnedTo(workflowId: string): Promise<{ buildId?: string | null; behavior?: number | null }> {
  const info = (await describe_(workflowId)).workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
}

async function historyOf(workflowId: string) {
  const { history } = await service().getWorkflowExecutionHistory({
    namespace: namespace(),
    execution: { workflowId },
  });
  return history!;
}

/** The identities that completed the session's workflow tasks, and how many of its tasks failed or timed out. */
async function workflowTasksOf(workflowId: string): Promise<{ identities: Set<string>; failed: number }> {
  const events = (await historyOf(workflowId)).events ?? [];
  return {
    identities: new Set(
      events
        .map((e) => e.workflowTaskCompletedEventAttributes?.identity)
        .filter((identity): identity is string => Boolean(identity)),
    ),
    failed: events.filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes)
      .length,
  };
}

const identityOf = (pid: number) => `${pid}@${hostname()}`;

beforeAll(async () => {
  tenantsDir = mkdtempSync(path.join(tmpdir(), 'otp-rainbow-tenants-'));
  writeFileSync(path.join(tenantsDir, 'tenants.json'), JSON.stringify(TENANTS));
  // Build B first: bundling is CPU work the cluster's start would otherwise compete with.
  buildB = await copyBuild({ workflowsPath: path.join(ROOT, 'test/fixtures/rainbow-workflows.ts') });
  cluster = await startCluster({
    env: { OTP_TENANTS_FILE: path.join(tenantsDir, 'tenants.json'), OTP_BCRYPT_ROUNDS: '4' },
  });
}, 300_000);

afterAll(async () => {
  await Promise.all(workersB.map((w) => w.stop()));
  if (cluster?.running()) await cluster.stop();
  if (failed() && cluster) {
    console.error(`cluster state and logs kept in ${cluster.dir}; build B in ${buildB?.root}`);
    return;
  }
  buildB?.remove();
  for (const dir of [cluster?.dir, tenantsDir]) if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

let buildA: string;
let idB: string;
const onA: Record<'verify' | 'resend' | 'expire', Session> = {} as never;

test('build A: make cluster made its build current; its sessions are pinned to it', async () => {
  const { workerDeploymentInfo } = await service().describeWorkerDeployment({
    namespace: namespace(),
    deploymentName: DEPLOYMENT,
  });
  buildA = workerDeploymentInfo!.routingConfig!.currentDeploymentVersion!.buildId!;
  expect(buildA).toBe(
    execFileSync(process.execPath, [path.join(ROOT, 'dist/src/bin/deploy.js'), 'build-id'], {
      encoding: 'utf8',
    }).trim(),
  );
  for (const role of ['verify', 'resend', 'expire'] as const) onA[role] = await send(`rainbow-a-${role}`);
  for (const session of Object.values(onA)) {
    expect(await pinnedTo(session.workflowId)).toEqual({ buildId: buildA, behavior: PINNED });
  }
});

test("build B: its workflow code fails A's sessions on replay", async () => {
  idB = buildB.buildId();
  expect(idB).not.toBe(buildA);
  const dataConverter = payloadDataConverter(
    loadConfig({ OTP_PAYLOAD_KEYS: clusterWorkerEnv(cluster, {}).OTP_PAYLOAD_KEYS }).payloadKeys!,
  );
  const history = await historyOf(onA.verify.workflowId);
  // A's own code replays it; B's does not.
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: path.join(ROOT, 'dist/workflow-bundle-untraced.js') }, dataConverter },
    history,
  );
  await expect(
    Worker.runReplayHistory(
      { workflowBundle: { codePath: path.join(buildB.dist, 'workflow-bundle-untraced.js') }, dataConverter },
      history,
    ),
  ).rejects.toBeInstanceOf(DeterminismViolationError);
}, 60_000);

let promote: { output: () => string; exited: Promise<number | null> };
const load: Session[] = [];
let loadRunning = true;
let loadDone: Promise<void>;

test('promote: B becomes current once its workers poll; A keeps its sessions, B takes the new ones', async () => {
  for (let i = 1; i <= 2; i++) {
    workersB.push(
      spawnBuildWorker(
        buildB,
        clusterWorkerEnv(cluster, {
          OTP_TENANTS_FILE: path.join(tenantsDir, 'tenants.json'),
          OTP_BCRYPT_ROUNDS: '4',
        }),
        path.join(cluster.dir, 'logs', `worker-b${i}.log`),
      ),
    );
  }
  for (const worker of workersB) {
    await expect(worker.polling).resolves.toMatchObject({ deployment: DEPLOYMENT, buildId: idB });
  }

  // Sessions keep coming while the deploy happens: send → verify, one after the other.
  loadDone = (async () => {
    while (loadRunning) {
      const session = await send('rainbow-load');
      load.push(session);
      expect(await verify(session)).toMatchObject({ status: 200, body: { status: 'verified' } });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();

  // The deploy step, as an operator runs it: B current, then it waits for A to drain.
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'dist/src/bin/deploy.js'), 'promote', '--build-id', idB],
    {
      cwd: ROOT,
      env: clusterWorkerEnv(cluster, { OTP_TENANTS_FILE: path.join(tenantsDir, 'tenants.json') }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  promote = {
    output: () => output,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  // The step prints that B is current, then (a moment later) that it waits for A: read both.
  const current = await eventually(
    async () => promote.output(),
    (text) => text.includes('is current: new sessions start on it') && text.includes('to drain'),
    60_000,
  );
  expect(current).toContain(`${DEPLOYMENT}:${idB} is current: new sessions start on it (before: ${buildA})`);
  expect(current).toContain(`waiting for ${DEPLOYMENT}:${buildA} to drain`);

  // A's sessions stay on A: a verify, a resend and the verify of the new code.
  expect(await verify(onA.verify)).toMatchObject({ status: 200, body: { status: 'verified' } });
  const resent = await call('POST', `${API}/resend`, { session_token: onA.resend.token });
  expect(resent.status).toBe(200);
  const newCode: string = resent.body.sandbox_otps.email;
  expect(newCode).not.toBe(onA.resend.code);
  expect(await verify(onA.resend, newCode)).toMatchObject({ status: 200, body: { status: 'verified' } });

  // A new session runs on B.
  const onB = await send('rainbow-b');
  expect(await verify(onB)).toMatchObject({ status: 200, body: { status: 'verified' } });
  expect(await pinnedTo(onB.workflowId)).toEqual({ buildId: idB, behavior: PINNED });
  expect((await describe_(onB.workflowId)).workflowExecutionInfo?.memo?.fields?.[BUILD_MARKER]).toBeDefined();

  const idsA = Object.values(cluster.workers).map(identityOf);
  const idsB = workersB.map((w) => identityOf(w.pid));
  for (const session of Object.values(onA)) {
    expect(await pinnedTo(session.workflowId)).toEqual({ buildId: buildA, behavior: PINNED });
    const { identities } = await workflowTasksOf(session.workflowId);
    expect([...identities].filter((id) => !idsA.includes(id))).toEqual([]);
  }
  const { identities } = await workflowTasksOf(onB.workflowId);
  expect(identities.size).toBeGreaterThan(0);
  expect([...identities].filter((id) => !idsB.includes(id))).toEqual([]);
}, 120_000);

test("A drains once its last session expired; the deploy step returns, A's workers stop; nothing failed, nothing lost", async () => {
  // The session left alone expires on A (1 minute after its send).
  const expired = await eventually(
    () => call('GET', `${API}/sessions/${onA.expire.id}`),
    (r) => r.body.status === 'expired',
    90_000,
  );
  expect(expired).toMatchObject({ status: 200, body: { status: 'expired' } });

  // The deploy step reports A drained and exits 0.
  const exitCode = await promote.exited;
  if (exitCode !== 0) console.error(promote.output());
  expect(exitCode).toBe(0);
  expect(promote.output()).toContain(`${DEPLOYMENT}:${buildA} drained: stop its workers`);
  const { workerDeploymentVersionInfo } = await service().describeWorkerDeploymentVersion({
    namespace: namespace(),
    deploymentVersion: { deploymentName: DEPLOYMENT, buildId: buildA },
  });
  expect(workerDeploymentVersionInfo?.drainageInfo?.status).toBe(DRAINED);

  // A's workers stop, as an orchestrator stops them; the cluster carries on with B.
  for (const [name, pid] of Object.entries(cluster.workers)) {
    process.kill(pid, 'SIGTERM');
    await eventually(
      async () => processAlive(pid),
      (alive) => !alive,
      40_000,
    );
    expect(processAlive(pid)).toBe(false);
    await eventually(
      async () => cluster.output(),
      (text) => text.includes(`${name} (pid ${pid}) exited`),
      5_000,
    );
  }
  loadRunning = false;
  await loadDone;
  expect((await call('GET', '/readyz')).status).toBe(200);
  const after = await send('rainbow-b-after');
  expect(await verify(after)).toMatchObject({ status: 200, body: { status: 'verified' } });

  // Every session accounted for, each in the state it should be, on the build it started on.
  const expected: [Session, string][] = [
    [onA.verify, 'verified'],
    [onA.resend, 'verified'],
    [onA.expire, 'expired'],
    [after, 'verified'],
    ...load.map((s): [Session, string] => [s, 'verified']),
  ];
  expect(load.length).toBeGreaterThan(5);
  for (const [session, status] of expected) {
    const detail = await call('GET', `${API}/sessions/${session.id}`);
    expect({ id: session.id, status: detail.status, state: detail.body.status }).toEqual({
      id: session.id,
      status: 200,
      state: status,
    });
  }
  // Listed too (visibility, a moment behind).
  const listAll = async () => {
    const ids: string[] = [];
    for (let cursor: string | undefined; ;) {
      const query = `purpose=rainbow-load&status=verified&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call('GET', `${API}/sessions?${query}`);
      expect(page.status).toBe(200);
      ids.push(...(page.body.data as Json[]).map((s) => s.session_id as string));
      cursor = page.body.next_cursor ?? undefined;
      if (!cursor) return ids;
    }
  };
  const listed = await eventually(listAll, (ids) => ids.length >= load.length);
  expect(listed.sort()).toEqual(load.map((s) => s.id).sort());

  // No workflow task failed or timed out — of any session, on A or on B, nor of the workflows
  // they started (webhook events, bookkeeping): every workflow of the namespace but the
  // server's own.
  const workflowIds: string[] = [];
  for (let nextPageToken: Uint8Array | undefined; ;) {
    const page = await service().listWorkflowExecutions({
      namespace: namespace(),
      pageSize: 1000,
      nextPageToken,
    });
    workflowIds.push(...page.executions.map((e) => e.execution!.workflowId!));
    if (!page.nextPageToken?.length) break;
    nextPageToken = page.nextPageToken;
  }
  const ours = workflowIds.filter((id) => !id.startsWith('temporal-sys-'));
  expect(ours).toEqual(expect.arrayContaining(expected.map(([session]) => session.workflowId)));
  const failures = await Promise.all(
    ours.map(async (id) => ({ id, failed: (await workflowTasksOf(id)).failed })),
  );
  expect(failures.filter((f) => f.failed > 0)).toEqual([]);
  const loadBuilds = new Set(
    await Promise.all(load.map(async (s) => (await pinnedTo(s.workflowId)).buildId)),
  );
  expect([...loadBuilds].every((id) => id === buildA || id === idB)).toBe(true);
  expect(loadBuilds.has(idB)).toBe(true);

  // And the API never answered 5xx.
  expect(answers.length).toBeGreaterThan(20);
  expect(answers.filter((a) => a.status >= 500)).toEqual([]);
}, 240_000);
