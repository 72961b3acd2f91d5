/**
 * The worker's Prometheus endpoint (SPEC §8): the built worker (`dist/src/bin/worker.js`) as its own
 * process against a dev server exports the Temporal SDK's metrics and the product's own —
 * deliveries by channel and outcome, bcrypt time — with no address, code or session id in a label;
 * and its fraud observer (activities/fraud-observer.ts): a resend the session admits that trips the
 * pumping detector counts the block and announces `fraud.blocked`, signed (SPEC §11).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { Webhook } from 'standardwebhooks';
import { resolveFraudPolicy } from '../src/fraud/policy';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer } from '../src/temporal/dev-server';
import { makePollingVersionCurrent } from '../src/temporal/versioning';
import { initialDeliveryUpdate, otpSession, resendUpdate, verifyUpdate } from '../workflows/otp-session';
import { ensureBuilt, ROOT } from './support/build';
import { startTwilioFake, type TwilioFake } from './support/twilio-fake';
import {
  TEST_CODE_SECRET,
  TEST_PAYLOAD_KEYS_ENV,
  digests,
  sessionStart,
  testDataConverter,
} from './support/session-env';

let env: TestWorkflowEnvironment;
let worker: ChildProcess;
let metricsUrl: string;
let dataDir: string;
let hooks: Server;
let hooksUrl: string;
/** What the tenant's endpoints received: path and body. */
const received: { path: string; body: string; headers: Record<string, string> }[] = [];
const FRAUD_SECRET = `whsec_${Buffer.alloc(24, 3).toString('base64')}`;
/** Twilio for the worker's live SMS. */
let twilioFake: TwilioFake;
const taskQueue = `metrics-${randomUUID()}`;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function scrape(): Promise<string> {
  const response = await fetch(metricsUrl);
  return response.text();
}

/** Waits (bounded) until the exposition matches; the SDK exports on an interval. */
async function eventually(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await scrape().catch(() => '');
    if (pattern.test(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  ensureBuilt(['dist/src/bin/worker.js']);
  env = await startDevServer({ dataConverter: testDataConverter });
  dataDir = mkdtempSync(path.join(tmpdir(), 'otp-worker-metrics-'));
  hooks = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ path: req.url ?? '', body, headers: req.headers as Record<string, string> });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/events`;
  // The worker signs webhooks with the secrets of the tenants file it shares with the API.
  writeFileSync(
    path.join(dataDir, 'tenants.json'),
    JSON.stringify({
      tenants: [
        {
          id: 'acme',
          name: 'Acme',
          api_keys: [{ id: 'k', mode: 'live', sha256: 'a'.repeat(64) }],
          webhooks: [
            {
              url: hooksUrl,
              secret: `whsec_${Buffer.alloc(24, 1).toString('base64')}`,
              events: ['session.verified'],
              // The session below is a sandbox one: the worker signs its events only for an
              // endpoint that takes test events.
              modes: ['live', 'test'],
            },
            { url: `${hooksUrl}/fraud`, secret: FRAUD_SECRET, events: ['fraud.blocked'], modes: ['live'] },
          ],
        },
      ],
    }),
  );
  twilioFake = await startTwilioFake();
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  worker = spawn(process.execPath, [path.join(ROOT, 'dist/src/bin/worker.js')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      OTP_CODE_SECRET: TEST_CODE_SECRET,
      OTP_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS_ENV,
      OTP_BCRYPT_ROUNDS: '4',
      WORKER_METRICS_PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // No API in this test, so no store to share.
      OTP_ALLOW_PROCESS_LOCAL_STORE: 'true',
      TWILIO_ACCOUNT_SID: `AC${'3'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'twilio-auth-token-of-the-metrics-test',
      TWILIO_SMS_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilioFake.baseUrl,
    },
    stdio: 'ignore',
  });
  await makePollingVersionCurrent(env.client.workflowService, 'default', taskQueue);
  await eventually(/temporal_/, 30_000);
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
  await env?.teardown();
  await twilioFake?.close();
  hooks?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('exports deliveries by channel and outcome, bcrypt time and the SDK metrics, with no personal data', async () => {
  const start = sessionStart({
    recipients: { email: 'metrics-person@example.com' },
    webhooks: [{ url: hooksUrl, events: ['session.verified'] }],
  });
  const sent = await env.client.workflow.executeUpdateWithStart(initialDeliveryUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation(otpSession, {
      workflowId: `otp-${start.tenant_id}-${start.session_id}`,
      taskQueue,
      args: [start],
      workflowIdConflictPolicy: 'FAIL',
    }),
  });
  const code = sent.sandbox_otps!.email!;
  await env.client.workflow
    .getHandle(`otp-${start.tenant_id}-${start.session_id}`)
    .executeUpdate(verifyUpdate, { args: [digests(start.session_id, { email: code })] });

  const text = await eventually(/otp_bcrypt_duration\S*count\{[^}]*operation="compare"[^}]*\} 1\b/);
  expect(text).toMatch(/otp_deliveries_total\{[^}]*channel="email"[^}]*outcome="sandbox"[^}]*\} 1\b/);
  expect(text).toMatch(/otp_bcrypt_duration\S*count\{[^}]*operation="hash"[^}]*\} 1\b/);
  const withWebhook = await eventually(/otp_webhook_attempts_total\{/);
  expect(withWebhook).toMatch(
    /otp_webhook_attempts_total\{[^}]*event="session.verified"[^}]*outcome="delivered"[^}]*\} 1\b/,
  );
  expect(text).toMatch(/temporal_worker_task_slots_available\{/);
  // Millisecond buckets for the product's histograms, not the exporter's second-sized defaults.
  expect(text).toMatch(/otp_bcrypt_duration_bucket\{[^}]*le="1000"\}/);
  for (const secret of ['metrics-person@example.com', code, start.session_id])
    expect(text).not.toContain(secret);
});

it('counts a block a resend trips and announces fraud.blocked, signed, through the activity observer', async () => {
  // A live SMS session whose tenant blocks a range once it saw two sends with no verification.
  // The API admits first sends; this session's resends are admitted by the worker's activity:
  // two are counted, the third trips the detector.
  const start = sessionStart({
    sandbox: false,
    channels: ['sms'],
    recipients: { sms: '+447911123456' },
    config: { resend_cooldown_seconds: 0, max_resends: 3 },
    tenant_policy: {
      id: 'acme',
      fraud: resolveFraudPolicy({ detector: { min_sends: { range: 2, country: 1000 } } }),
      fraud_webhooks: [`${hooksUrl}/fraud`],
    },
  });
  const workflowId = `otp-${start.tenant_id}-${start.session_id}`;
  await env.client.workflow.executeUpdateWithStart(initialDeliveryUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation(otpSession, {
      workflowId,
      taskQueue,
      args: [start],
      workflowIdConflictPolicy: 'FAIL',
    }),
  });
  const handle = env.client.workflow.getHandle(workflowId);
  await handle.executeUpdate(resendUpdate, { args: [{}] });
  await handle.executeUpdate(resendUpdate, { args: [{}] });
  const refusal = await handle.executeUpdate(resendUpdate, { args: [{}] }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refusal as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'recipient_blocked' });

  const text = await eventually(/otp_fraud_blocks_total\{/);
  expect(text).toMatch(/otp_fraud_blocks_total\{[^}]*channel="sms"[^}]*scope="range"[^}]*\} 1\b/);
  expect(text).not.toContain('+447911');

  const deadline = Date.now() + 15_000;
  while (!received.some((r) => r.path.endsWith('/fraud')) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const hook = received.find((r) => r.path.endsWith('/fraud'));
  expect(hook).toBeDefined();
  expect(() => new Webhook(FRAUD_SECRET).verify(hook!.body, hook!.headers)).not.toThrow();
  expect(JSON.parse(hook!.body)).toMatchObject({
    type: 'fraud.blocked',
    data: { channel: 'sms', scope: 'range', range: '+44791112', blocks_in_24h: 1 },
  });
});
