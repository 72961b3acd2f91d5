/**
 * Traces (SPEC §8): one send over HTTP makes one trace, from the API's request span through the
 * Temporal client call to the session workflow and its activities, exported here to memory. The
 * API's log line of the request carries the trace id; no span holds an address or a code.
 */
import { Writable } from 'node:stream';
import { Client } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { startApi, type RunningApi } from '../src/http/start';
import { sessionWorkflowId } from '../src/sessions/sessions';
import { loadConfig } from '../src/config/config';
import { startTracing, type Tracing } from '../src/telemetry/tracing';
import { bundleSessionWorkflows } from '../src/temporal/workflow-bundle';
import { parseTenants } from '../src/config/tenants';
import { KEYS, TENANTS, TEST_TOKEN_SECRET } from './support/api-env';
import {
  startSessionEnv,
  TEST_CODE_SECRET,
  testDataConverter,
  type SessionTestEnv,
} from './support/session-env';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let sessions: SessionTestEnv;
let api: RunningApi;
const logs: string[] = [];

beforeAll(async () => {
  tracing = startTracing('durable-otp-test', new SimpleSpanProcessor(exporter))!;
  sessions = await startSessionEnv('dev', { tracing });
  const client = new Client({
    connection: sessions.env.client.connection,
    dataConverter: testDataConverter,
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] },
  });
  api = await startApi({
    config: loadConfig({
      TEMPORAL_ADDRESS: sessions.env.address,
      TEMPORAL_TASK_QUEUE: sessions.taskQueue,
      OTP_TOKEN_SECRET: TEST_TOKEN_SECRET,
      OTP_CODE_SECRET: TEST_CODE_SECRET,
    }),
    client,
    tenants: parseTenants(TENANTS),
    logger: pino(
      { level: 'info' },
      new Writable({ write: (chunk, _enc, done) => done(void logs.push(String(chunk))) }),
    ),
    tracer: tracing.tracer,
    port: 0,
    host: '127.0.0.1',
  });
});

afterAll(async () => {
  await api?.close();
  await sessions?.close();
  await tracing?.shutdown();
});

it('links the API request span to the workflow and activity spans of the session it starts', async () => {
  const response = await fetch(`${api.url}/api/v1/otp/send`, {
    method: 'POST',
    headers: { 'X-API-Key': KEYS.acmeTest, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channels: ['email'], recipients: { email: 'traced@example.com' } }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { sandbox_otps: { email: string } };

  const requestSpan = () => exporter.getFinishedSpans().find((s) => s.name === 'POST /api/v1/otp/send');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const names = exporter.getFinishedSpans().map((s) => s.name);
    if (
      requestSpan() &&
      names.some((n) => n.startsWith('RunActivity:issueCode')) &&
      names.some((n) => n.startsWith('HandleUpdate'))
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const traceId = requestSpan()!.spanContext().traceId;
  const inTrace = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  const names = inTrace.map((s) => s.name);
  expect(names).toEqual(expect.arrayContaining(['POST /api/v1/otp/send']));
  // The client's call, the workflow's update handler and activity scheduling (spans made inside
  // the workflow sandbox, exported through its sink), the activity run by the worker.
  expect(names.some((n) => n.startsWith('UpdateWithStartWorkflow:initialDelivery'))).toBe(true);
  expect(names.some((n) => n.startsWith('HandleUpdate:initialDelivery'))).toBe(true);
  expect(names.some((n) => n.startsWith('StartActivity:issueCode'))).toBe(true);
  expect(names.some((n) => n.startsWith('RunActivity:issueCode'))).toBe(true);

  const line = logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.route === '/api/v1/otp/send');
  expect(line?.trace_id).toBe(traceId);

  const everything = JSON.stringify(
    inTrace.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })),
  );
  for (const secret of ['traced@example.com', body.sandbox_otps.email])
    expect(everything).not.toContain(secret);
});

/**
 * Workers that do not trace run the bundle without the tracing interceptors
 * (src/temporal/workflow-bundle.ts): a session a tracing worker started must replay there too.
 */
it('a session recorded by a tracing worker replays on the bundle without the tracing interceptors', async () => {
  const post = (path: string, body: unknown) =>
    fetch(`${api.url}/api/v1/otp${path}`, {
      method: 'POST',
      headers: { 'X-API-Key': KEYS.acmeTest, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const sent = (await (
    await post('/send', { channels: ['email'], recipients: { email: 'replayed@example.com' } })
  ).json()) as { session_id: string; session_token: string; sandbox_otps: { email: string } };
  const verified = await post('/verify', {
    token: sent.session_token,
    otps: { email: sent.sandbox_otps.email },
  });
  expect(verified.status).toBe(200);
  const tenantId = parseTenants(TENANTS).authenticate(KEYS.acmeTest)!.tenant.id;
  const workflowId = sessionWorkflowId(tenantId, sent.session_id);
  const handle = sessions.env.client.workflow.getHandle(workflowId);
  await handle.result();
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory(
    {
      workflowBundle: { code: await bundleSessionWorkflows(undefined, { tracing: false }) },
      dataConverter: testDataConverter,
    },
    history,
    workflowId,
  );
});
