/**
 * End to end over the scaled topology (`make test-cluster`): scripts/cluster.sh starts PostgreSQL,
 * the real Temporal server (SQL visibility), Redis, two worker processes and one API process, and
 * these tests speak HTTP to the API only — plus the Temporal frontend, to see which worker ran
 * what. Live email goes to a local SMTP sink this file runs.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { processAlive, startCluster, type RunningCluster, trackFailures } from '../support/cluster';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEYS = {
  acme: 'sk_live_cluster_acme_0123456789abcdef01234567',
  acmeTest: 'sk_test_cluster_acme_0123456789abcdef01234567',
  metered: 'sk_live_cluster_metered_0123456789abcdef0123',
};
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const TEMPLATES = { otp_email: { subject: 'Your code', text: 'Your code: {{code}}' } };
const TENANTS = {
  tenants: [
    {
      id: 'acme',
      name: 'Acme',
      api_keys: [
        { id: 'acme-live', mode: 'live', sha256: sha256(KEYS.acme) },
        { id: 'acme-test', mode: 'test', sha256: sha256(KEYS.acmeTest) },
      ],
      templates: TEMPLATES,
      // Every send of this file comes from 127.0.0.1.
      limits: { ip_sends: { max: 1000, window_minutes: 60 } },
    },
    {
      id: 'metered',
      name: 'Metered',
      api_keys: [{ id: 'metered-live', mode: 'live', sha256: sha256(KEYS.metered) }],
      templates: TEMPLATES,
      limits: { recipient_sends: { max: 3, window_minutes: 10 } },
      credits: 10,
    },
  ],
};
const RETENTION_DAYS = 3;

let sink: SmtpSink;
let cluster: RunningCluster;
let tenantsDir: string;
const { test, failed } = trackFailures();

beforeAll(async () => {
  sink = await startSmtpSink();
  tenantsDir = mkdtempSync(path.join(tmpdir(), 'otp-cluster-tenants-'));
  writeFileSync(path.join(tenantsDir, 'tenants.json'), JSON.stringify(TENANTS));
  cluster = await startCluster({ env: clusterEnv() });
}, 240_000);

afterAll(async () => {
  if (cluster?.running()) await cluster.stop();
  await sink?.close();
  if (!cluster) return;
  if (failed()) console.error(`cluster state and logs kept in ${cluster.dir}`);
  else for (const dir of [cluster.dir, tenantsDir]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

function clusterEnv(): Record<string, string> {
  return {
    OTP_TENANTS_FILE: path.join(tenantsDir, 'tenants.json'),
    SMTP_URL: sink.url,
    EMAIL_FROM: 'otp@example.test',
    OTP_BCRYPT_ROUNDS: '4',
    OTP_RETENTION: `${RETENTION_DAYS}d`,
  };
}

async function call(
  method: string,
  urlPath: string,
  { key, body, headers = {} }: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${cluster.apiUrl}${urlPath}`, {
    method,
    headers: {
      ...(key ? { 'X-API-Key': key } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

const API = '/api/v1/otp';

function sendBody(to: string, purpose: string): Json {
  return {
    channels: ['email'],
    recipients: { email: to },
    config: { resend_cooldown_seconds: 0 },
    metadata: { purpose },
  };
}

function emailsTo(to: string): string[] {
  return sink.messages
    .filter((m) => m.envelope.to.includes(to))
    .map((m) => /Your code: ([0-9A-Z]+)/.exec(m.raw)?.[1])
    .filter((code): code is string => Boolean(code));
}

async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The code of the `n`th email (1-based) to `to`, once it arrived. */
async function emailedCode(to: string, n = 1): Promise<string> {
  const codes = await eventually(
    () => emailsTo(to),
    (c) => c.length >= n,
    45_000,
  );
  if (codes.length < n) throw new Error(`no email #${n} to ${to} (got ${codes.length})`);
  return codes[n - 1];
}

async function listWorkflowIds(query: string): Promise<string[]> {
  const { executions } = await cluster.connection.workflowService.listWorkflowExecutions({
    namespace: cluster.env.TEMPORAL_NAMESPACE,
    query,
  });
  return executions.map((e) => e.execution!.workflowId!);
}

describe('the cluster as scripts/cluster.sh set it up', () => {
  test('the namespace keeps histories for OTP_RETENTION and knows the session search attributes', async () => {
    const namespace = cluster.env.TEMPORAL_NAMESPACE;
    const described = await cluster.connection.workflowService.describeNamespace({ namespace });
    expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(RETENTION_DAYS * 86_400);

    const { customAttributes } = await cluster.connection.operatorService.listSearchAttributes({ namespace });
    // IndexedValueType: 2 KEYWORD, 5 BOOL, 7 KEYWORD_LIST.
    expect(customAttributes).toEqual(
      expect.objectContaining({
        OtpStatus: 2,
        OtpChannels: 7,
        OtpTenant: 2,
        OtpSandbox: 5,
        OtpPurpose: 2,
        OtpKeyMode: 2,
      }),
    );
    const system = await cluster.connection.workflowService.getSystemInfo({});
    expect(system.serverVersion).toBe('1.29.1');
  });

  test('two workers poll the task queue', async () => {
    expect(Object.keys(cluster.workers).sort()).toEqual(['worker-1', 'worker-2']);
    const identities = await eventually(
      async () => {
        const { pollers } = await cluster.connection.workflowService.describeTaskQueue({
          namespace: cluster.env.TEMPORAL_NAMESPACE,
          taskQueue: { name: cluster.env.TEMPORAL_TASK_QUEUE },
        });
        return new Set(pollers.map((p) => p.identity));
      },
      (seen) => seen.size >= 2,
    );
    const expected = Object.values(cluster.workers).map((pid) => `${pid}@${hostname()}`);
    expect([...identities].sort()).toEqual(expected.sort());
    expect((await call('GET', '/readyz')).status).toBe(200);
  });
});

let flowSessionId: string;

describe('sessions over HTTP', () => {
  test('send → verify (wrong) → resend → verify (old code refused) → verify (new code)', async () => {
    const to = 'flow@example.test';
    const sent = await call('POST', `${API}/send`, { key: KEYS.acme, body: sendBody(to, 'e2e-flow') });
    expect(sent.status).toBe(201);
    expect(sent.body.channels).toMatchObject({ email: { delivery: 'sent' } });
    flowSessionId = sent.body.session_id;
    const token = sent.body.session_token;
    const first = await emailedCode(to, 1);

    const wrong = first === '000000' ? '111111' : '000000';
    const refused = await call('POST', `${API}/verify`, {
      key: KEYS.acme,
      body: { token, otps: { email: wrong } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid_otp' });

    const resent = await call('POST', `${API}/resend`, { key: KEYS.acme, body: { session_token: token } });
    expect(resent.status).toBe(200);
    expect(resent.body.channels).toMatchObject({ email: { delivery: 'sent' } });
    const second = await emailedCode(to, 2);
    expect(second).not.toBe(first);

    const old = await call('POST', `${API}/verify`, {
      key: KEYS.acme,
      body: { token, otps: { email: first } },
    });
    expect(old.status).toBe(400);
    expect(old.body).toMatchObject({ code: 'invalid_otp' });

    const verified = await call('POST', `${API}/verify`, {
      key: KEYS.acme,
      body: { token, otps: { email: second } },
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ success: true, status: 'verified', verified_channels: ['email'] });

    const detail = await call('GET', `${API}/sessions/${flowSessionId}`, { key: KEYS.acme });
    expect(detail.body).toMatchObject({ status: 'verified' });
    expect(emailsTo(to)).toHaveLength(2);
  });

  test('lists are SQL visibility queries on the search attributes', async () => {
    const list = (query: string) => call('GET', `${API}/sessions?${query}`, { key: KEYS.acme });
    const found = await eventually(
      () => list('purpose=e2e-flow&status=verified&channel=email&sandbox=false'),
      (r) => r.body.data?.length === 1,
    );
    expect(found.status).toBe(200);
    expect(found.body.data).toEqual([
      expect.objectContaining({
        session_id: flowSessionId,
        status: 'verified',
        channels: ['email'],
        sandbox: false,
      }),
    ]);
    expect((await list('purpose=e2e-flow&status=pending')).body.data).toEqual([]);
    expect((await list('purpose=e2e-flow&sandbox=true')).body.data).toEqual([]);
    // Another tenant's key sees none of it.
    expect((await call('GET', `${API}/sessions?purpose=e2e-flow`, { key: KEYS.metered })).body.data).toEqual(
      [],
    );
  });

  test('a send repeated with one Idempotency-Key is one session and one email; another body is refused', async () => {
    const to = 'idem@example.test';
    const headers = { 'Idempotency-Key': 'e2e-idempotent-send-1' };
    const body = sendBody(to, 'e2e-idem');
    const first = await call('POST', `${API}/send`, { key: KEYS.acme, body, headers });
    const again = await call('POST', `${API}/send`, { key: KEYS.acme, body, headers });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.session_id).toBe(first.body.session_id);
    expect(again.body.session_token).toBe(first.body.session_token);

    const other = await call('POST', `${API}/send`, {
      key: KEYS.acme,
      body: sendBody('someone-else@example.test', 'e2e-idem'),
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });

    await emailedCode(to, 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(emailsTo(to)).toHaveLength(1);
    expect(await listWorkflowIds(`OtpPurpose = 'e2e-idem'`)).toHaveLength(1);
  });

  test('limits and credits are one store for the API and the workers (Redis)', async () => {
    // recipient_sends 3 per 10 minutes: the API counts the first send, the workers the resends.
    const to = 'metered@example.test';
    const sent = await call('POST', `${API}/send`, { key: KEYS.metered, body: sendBody(to, 'e2e-metered') });
    expect(sent.status).toBe(201);
    const token = sent.body.session_token;
    for (let i = 0; i < 2; i++) {
      const resent = await call('POST', `${API}/resend`, {
        key: KEYS.metered,
        body: { session_token: token },
      });
      expect(resent.status).toBe(200);
    }
    await emailedCode(to, 3);

    // The fourth message to the address: the API sees the two the workers admitted.
    const fourth = await call('POST', `${API}/send`, {
      key: KEYS.metered,
      body: sendBody(to, 'e2e-metered'),
    });
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({ code: 'rate_limited' });

    // Credits 10, one per email: the API held the first, the workers held the resends, and the
    // delivery activities captured all three.
    const balance = await eventually(
      () => call('GET', `${API}/balance`, { key: KEYS.metered }),
      (r) => r.body.credits === 7,
    );
    expect(balance.body).toEqual({ credits: 7 });
  });
});

describe('a worker killed while it delivers', () => {
  test('the other worker finishes its sessions: every one delivered and verified', async () => {
    const count = 6;
    const recipients = Array.from({ length: count }, (_, i) => `kill-${i}@example.test`);
    const namespace = cluster.env.TEMPORAL_NAMESPACE;
    const identityOf = (pid: number) => `${pid}@${hostname()}`;

    // Every delivery stays in flight (the SMTP sink does not answer DATA) until after the kill.
    sink.hold();
    const sends = recipients.map((to) =>
      call('POST', `${API}/send`, { key: KEYS.acme, body: sendBody(to, 'e2e-kill') }),
    );

    // Wait until every session's delivery activity runs on some worker.
    const describeAll = async () => {
      const ids = await listWorkflowIds(`OtpPurpose = 'e2e-kill' AND ExecutionStatus = 'Running'`);
      return Promise.all(
        ids.map(async (workflowId) => {
          const described = await cluster.connection.workflowService.describeWorkflowExecution({
            namespace,
            execution: { workflowId },
          });
          // PendingActivityState 2: STARTED.
          const running = described.pendingActivities.find((a) => a.state === 2);
          return { workflowId, worker: running?.lastWorkerIdentity ?? undefined };
        }),
      );
    };
    const inFlight = await eventually(
      describeAll,
      (all) => all.length === count && all.every((s) => s.worker),
      30_000,
    );
    expect(inFlight.filter((s) => s.worker)).toHaveLength(count);

    // The victim: the worker holding the most deliveries (at least one, since all are running).
    const workerNames = Object.keys(cluster.workers);
    const held = (name: string) => inFlight.filter((s) => s.worker === identityOf(cluster.workers[name]));
    const victim = workerNames.reduce((a, b) => (held(b).length > held(a).length ? b : a));
    const survivor = workerNames.find((name) => name !== victim)!;
    const victimSessions = held(victim).map((s) => s.workflowId);
    expect(victimSessions.length).toBeGreaterThan(0);

    process.kill(cluster.workers[victim], 'SIGKILL');
    await eventually(
      () => processAlive(cluster.workers[victim]),
      (alive) => !alive,
      5000,
    );
    sink.release();

    // Every send answers: the session started, its delivery queued or sent.
    const answers = await Promise.all(sends);
    for (const answer of answers) {
      expect(answer.status).toBe(201);
      expect(['sent', 'queued']).toContain(answer.body.channels.email.delivery);
    }

    // The killed worker's deliveries time out (startToClose 20 s) and are retried by the other
    // one; every person gets a code, and every code verifies.
    const byRecipient = new Map(answers.map((a, i) => [recipients[i], a.body]));
    for (const [to, session] of byRecipient) {
      const code = await emailedCode(to, 1);
      const verified = await call('POST', `${API}/verify`, {
        key: KEYS.acme,
        body: { token: session.session_token, otps: { email: code } },
      });
      expect({ to, status: verified.status, body: verified.body }).toMatchObject({
        to,
        status: 200,
        body: { status: 'verified' },
      });
    }

    // The history of each of the victim's sessions: the delivery's final attempt (2 or more)
    // ran on the survivor.
    for (const workflowId of victimSessions) {
      const { history } = await cluster.connection.workflowService.getWorkflowExecutionHistory({
        namespace,
        execution: { workflowId },
      });
      const started = history!.events!.filter((e) => e.activityTaskStartedEventAttributes);
      const delivery = started.find((e) => (e.activityTaskStartedEventAttributes!.attempt ?? 1) > 1);
      expect({ workflowId, identity: delivery?.activityTaskStartedEventAttributes?.identity }).toEqual({
        workflowId,
        identity: identityOf(cluster.workers[survivor]),
      });
    }

    // Nothing lost: all of them verified, in the list; the cluster carried on with one worker.
    const listed = await eventually(
      () => call('GET', `${API}/sessions?purpose=e2e-kill&status=verified`, { key: KEYS.acme }),
      (r) => r.body.data?.length === count,
    );
    expect(listed.body.data).toHaveLength(count);
    expect(cluster.running()).toBe(true);
    expect((await call('GET', '/readyz')).status).toBe(200);
    expect(cluster.output()).toContain(`${victim} (pid ${cluster.workers[victim]}) exited`);
  }, 180_000);
});

describe('stop and start again', () => {
  test('SIGINT (Ctrl-C) stops every process cleanly; a restart finds the sessions', async () => {
    const { dir, workers } = cluster;
    const pids = Object.entries(cluster.env)
      .filter(([key]) => key.startsWith('PID_'))
      .map(([, pid]) => Number(pid));
    const offset = Number(cluster.env.CLUSTER_PG_PORT) - 5432;

    const stopped = await cluster.stop();
    expect(stopped.code).toBe(0);
    expect(pids.filter(processAlive)).toEqual([]);

    cluster = await startCluster({ dir, portOffset: offset, env: clusterEnv() });
    expect(Object.values(cluster.workers)).not.toEqual(Object.values(workers));
    const detail = await call('GET', `${API}/sessions/${flowSessionId}`, { key: KEYS.acme });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ session_id: flowSessionId, status: 'verified' });
  }, 240_000);
});
