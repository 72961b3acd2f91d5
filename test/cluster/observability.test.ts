/**
 * Operations, run for real (`make test-cluster`): a real Prometheus (scripts/prometheus-toolchain.sh)
 * scrapes the API and both workers of scripts/cluster.sh, with deploy/prometheus/alerts.yml loaded.
 * After a few flows over HTTP — send, wrong code, resend, verify, a sandbox session, an SMTP
 * login refusal, a rate-limited send, a webhook — every query of the Grafana dashboard
 * (deploy/grafana/dashboards/durable-otp.json) returns series, Prometheus evaluates every alert
 * rule without error, and the metrics and labels the rules use are the ones the processes export.
 * promtool's unit tests of the rules are test/alert-rules.test.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCluster, type RunningCluster, trackFailures } from '../support/cluster';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startPrometheus, type RunningPrometheus } from '../../scripts/lib/prometheus';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = path.join(__dirname, '..', '..');
const KEYS = {
  live: 'sk_live_observability_0123456789abcdef0123456',
  test: 'sk_test_observability_0123456789abcdef0123456',
};
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const TEMPLATES = { otp_email: { subject: 'Your code', text: 'Your code: {{code}}' } };
const API = '/api/v1/otp';
/** A workflow type no worker registers: its workflow tasks fail, as after a bad deploy. */
const UNKNOWN_WORKFLOW_TYPE = 'observabilityNoSuchWorkflow';

interface Panel {
  title: string;
  targets: { expr: string; legendFormat?: string }[];
}
const dashboard = JSON.parse(
  readFileSync(path.join(ROOT, 'deploy/grafana/dashboards/durable-otp.json'), 'utf8'),
) as {
  panels: Panel[];
};
const alertsFile = path.join(ROOT, 'deploy/prometheus/alerts.yml');

/**
 * Metrics the alert rules read, with the labels they group or template by. Checked against the
 * live series below; the first test fails when a rule reads a metric missing here.
 */
const RULE_INPUTS: Record<string, string[]> = {
  otp_provider_credential_failures_total: ['channel'],
  otp_deliveries_total: ['channel', 'outcome'],
  otp_webhook_attempts_total: ['outcome'],
  http_request_duration_seconds_count: ['status'],
  otp_rate_limited_total: ['limit'],
  otp_update_retries_total: ['update'],
  temporal_worker_task_slots_available: ['worker_type'],
  temporal_workflow_task_execution_failed: ['failure_reason', 'task_queue'],
  temporal_workflow_task_schedule_to_start_latency_bucket: ['le', 'task_queue'],
  temporal_activity_schedule_to_start_latency_bucket: ['le', 'task_queue'],
};

/** Panels of events one occurrence of which matters: they must show this test's single one. */
const EVENT_PANELS = [
  'Provider credential failures (page)',
  'Workflow task failures (page on nondeterminism)',
];

let sink: SmtpSink;
let hooks: Server;
let cluster: RunningCluster;
let prometheus: RunningPrometheus;
let tenantsDir: string;
const { test, failed } = trackFailures();
const startedAt = Date.now();

beforeAll(async () => {
  sink = await startSmtpSink();
  hooks = createServer((req, res) => void req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  tenantsDir = mkdtempSync(path.join(tmpdir(), 'otp-observability-tenants-'));
  writeFileSync(
    path.join(tenantsDir, 'tenants.json'),
    JSON.stringify({
      tenants: [
        {
          id: 'acme',
          name: 'Acme',
          api_keys: [
            { id: 'acme-live', mode: 'live', sha256: sha256(KEYS.live) },
            { id: 'acme-test', mode: 'test', sha256: sha256(KEYS.test) },
          ],
          templates: TEMPLATES,
          // Two sends per address: the third is the rate-limited call the dashboard needs.
          limits: {
            ip_sends: { max: 1000, window_minutes: 60 },
            recipient_sends: { max: 2, window_minutes: 10 },
          },
          webhooks: [
            {
              url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/events`,
              secret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
              events: ['session.verified'],
            },
          ],
        },
      ],
    }),
  );
  cluster = await startCluster({
    env: {
      OTP_TENANTS_FILE: path.join(tenantsDir, 'tenants.json'),
      SMTP_URL: sink.url,
      EMAIL_FROM: 'otp@example.test',
      OTP_BCRYPT_ROUNDS: '4',
    },
  });
  const workers = Object.entries(cluster.env)
    .filter(([key]) => /^WORKER_\d+_METRICS_URL$/.test(key))
    .map(([, url]) => url);
  prometheus = await startPrometheus({
    targets: { 'otp-api': [`${cluster.apiUrl}/metrics`], 'otp-worker': workers },
    ruleFiles: [alertsFile],
    scrapeInterval: '1s',
    dir: path.join(cluster.dir, 'prometheus'),
  });
}, 240_000);

afterAll(async () => {
  await prometheus?.stop({ keep: failed() });
  if (cluster?.running()) await cluster.stop();
  await sink?.close();
  await new Promise((resolve) => (hooks ? hooks.close(resolve) : resolve(undefined)));
  if (!cluster) {
    // The cluster did not start: the harness's error names its state directory.
    if (tenantsDir) rmSync(tenantsDir, { recursive: true, force: true });
    return;
  }
  if (failed()) console.error(`cluster state, logs and Prometheus data kept in ${cluster.dir}`);
  else for (const dir of [cluster.dir, tenantsDir]) rmSync(dir, { recursive: true, force: true });
  console.info(`observability e2e: ${Math.round((Date.now() - startedAt) / 1000)} s in all`);
}, 120_000);

async function call(urlPath: string, key: string, body: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${cluster.apiUrl}${API}${urlPath}`, {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

const sendBody = (email: string) => ({
  channels: ['email'],
  recipients: { email },
  config: { resend_cooldown_seconds: 0 },
});

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function emailedCode(to: string, n: number): Promise<string> {
  const codes = await eventually(
    async () =>
      sink.messages
        .filter((m) => m.envelope.to.includes(to))
        .map((m) => /Your code: ([0-9A-Z]+)/.exec(m.raw)?.[1])
        .filter((code): code is string => Boolean(code)),
    (found) => found.length >= n,
    30_000,
  );
  if (codes.length < n) throw new Error(`no email #${n} to ${to}`);
  return codes[n - 1];
}

/** Series an instant query returns (a scalar counts as one). */
async function seriesOf(expr: string): Promise<Json[]> {
  const data = await prometheus.query(expr);
  return data.resultType === 'vector' ? data.result : [{ value: data.result }];
}

describe('Prometheus scraping the cluster', () => {
  test('scrapes the API and both workers, and loads every alert rule', async () => {
    const targets = await prometheus.waitForTargetsUp(30_000);
    expect(targets.map((t) => t.scrapePool).sort()).toEqual(['otp-api', 'otp-worker', 'otp-worker']);
    expect(new Set(targets.map((t) => t.scrapeUrl)).size).toBe(3);

    const rules = (await prometheus.rules()).flatMap((g) => g.rules);
    const expected = (readFileSync(alertsFile, 'utf8').match(/- alert: \w+/g) ?? []).map((l) => l.slice(9));
    expect(rules.map((r) => r.name).sort()).toEqual(expected.sort());
    // Every metric the rules read is one this file checks against the live series.
    const read = new Set(
      rules.flatMap((r) => [...r.query.matchAll(/\b((?:otp|http|temporal)_[a-z_]+)\b/g)].map((m) => m[1])),
    );
    expect([...read].filter((name) => !(name in RULE_INPUTS))).toEqual([]);
  });

  test('after a few flows every dashboard panel has data', async () => {
    // Live: send, a wrong code, resend, the new code (webhook session.verified).
    const to = 'flow@example.test';
    const sent = await call('/send', KEYS.live, sendBody(to));
    expect(sent.status).toBe(201);
    const token = sent.body.session_token as string;
    const first = await emailedCode(to, 1);
    const wrong = first === '000000' ? '111111' : '000000';
    expect((await call('/verify', KEYS.live, { token, otps: { email: wrong } })).status).toBe(400);
    expect((await call('/resend', KEYS.live, { token })).status).toBeLessThan(300);
    const second = await emailedCode(to, 2);
    const verified = await call('/verify', KEYS.live, { token, otps: { email: second } });
    expect(verified.body).toMatchObject({ status: 'verified' });

    // Sandbox: no delivery, the code in the answer.
    const sandbox = await call('/send', KEYS.test, sendBody('sandbox@example.test'));
    expect(sandbox.status).toBe(201);
    const sandboxCode = sandbox.body.sandbox_otps.email as string;
    expect(
      (await call('/verify', KEYS.test, { token: sandbox.body.session_token, otps: { email: sandboxCode } }))
        .body,
    ).toMatchObject({ status: 'verified' });

    // The SMTP server refuses our login once (535): a credentials failure, then the retry delivers.
    sink.failNext(1, 535, 'Authentication credentials invalid');
    expect((await call('/send', KEYS.live, sendBody('login@example.test'))).status).toBe(201);
    await emailedCode('login@example.test', 1);

    // A third send to one address: refused by the recipient limit.
    for (const attempt of [1, 2]) {
      expect([attempt, (await call('/send', KEYS.test, sendBody('limit@example.test'))).status]).toEqual([
        attempt,
        201,
      ]);
    }
    expect((await call('/send', KEYS.test, sendBody('limit@example.test'))).status).toBe(429);

    // A workflow no worker knows: its tasks fail and are retried (the failures panel and alert).
    const namespace = cluster.env.TEMPORAL_NAMESPACE;
    await cluster.connection.workflowService.startWorkflowExecution({
      namespace,
      workflowId: `observability-${randomUUID()}`,
      workflowType: { name: UNKNOWN_WORKFLOW_TYPE },
      taskQueue: { name: cluster.env.TEMPORAL_TASK_QUEUE },
      requestId: randomUUID(),
    });

    const queries = dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => ({ panel: panel.title, expr: target.expr })),
    );
    expect(queries.length).toBeGreaterThanOrEqual(12);
    const counts = async () =>
      Promise.all(
        queries.map(async (q) => {
          const series = await seriesOf(q.expr);
          return { ...q, series: series.length, max: Math.max(0, ...series.map((s) => Number(s.value[1]))) };
        }),
      );
    const result = await eventually(
      counts,
      (all) => all.every((q) => q.series > 0 && (!EVENT_PANELS.includes(q.panel) || q.max > 0)),
      60_000,
    );
    console.info(result.map((q) => `${q.series}\t${q.max.toPrecision(3)}\t${q.panel}: ${q.expr}`).join('\n'));
    expect(result.filter((q) => q.series === 0)).toEqual([]);
    // Panels of rare events show the single one of this test, though its counter began at 1.
    expect(result.filter((q) => EVENT_PANELS.includes(q.panel) && !(q.max > 0))).toEqual([]);
  }, 180_000);

  test('the alert rules read metrics and labels the processes really export', async () => {
    for (const [metric, labels] of Object.entries(RULE_INPUTS)) {
      const series = await seriesOf(metric);
      expect([metric, series.length > 0]).toEqual([metric, true]);
      for (const label of labels) {
        expect([metric, label, series.every((s) => Boolean(s.metric[label]))]).toEqual([metric, label, true]);
      }
    }
    // The workers' schedule-to-start buckets (src/temporal/runtime.ts) resolve a healthy queue,
    // below the SDK's first default bucket of 0.1 s.
    for (const histogram of ['workflow_task', 'activity']) {
      const fine = await seriesOf(`temporal_${histogram}_schedule_to_start_latency_bucket{le="0.01"}`);
      expect([histogram, fine.length]).toEqual([histogram, 2]);
    }
    // Rules are evaluated every second, a moment after the scrape that brought the series.
    const stateOf = (all: { name: string; state?: string }[], name: string) =>
      all.find((r) => r.name === name)?.state;
    const rules = await eventually(
      async () => (await prometheus.rules()).flatMap((g) => g.rules),
      (all) =>
        all.every((r) => r.health === 'ok') &&
        stateOf(all, 'OtpWorkflowTaskFailures') === 'pending' &&
        stateOf(all, 'OtpProviderCredentialsRefused') === 'firing',
      15_000,
    );
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    const rule = (name: string) => rules.find((r) => r.name === name)!;
    // The unknown workflow type's failed tasks are what OtpWorkflowTaskFailures pages on (once
    // they last 5 minutes), under their own cause, and not nondeterminism.
    const failing = await seriesOf(rule('OtpWorkflowTaskFailures').query);
    expect(failing.map((s) => s.metric)).toEqual([
      { task_queue: cluster.env.TEMPORAL_TASK_QUEUE, failure_reason: 'WorkflowError' },
    ]);
    expect(rule('OtpWorkflowTaskFailures').state).toBe('pending');
    expect(await seriesOf(rule('OtpWorkflowNondeterminism').query)).toEqual([]);
    // The one SMTP login refusal pages at once (no `for:`), though its counter began at 1.
    expect(rule('OtpProviderCredentialsRefused').state).toBe('firing');
    expect(
      (await seriesOf(rule('OtpProviderCredentialsRefused').query)).map((s) => s.metric.channel),
    ).toEqual(['email']);
  });
});
