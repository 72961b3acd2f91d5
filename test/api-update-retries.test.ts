/**
 * The API's second line of defence against updates the server rejects unprocessed: the same
 * update is sent again under the same update id, a bounded number of times, each retry logged and
 * counted; past the bound the caller gets the documented 503, never a 500.
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Registry } from 'prom-client';
import { codeKeys } from '../activities/codes';
import { ApiError } from '../src/contract/errors';
import { createSessionService, UPDATE_ATTEMPTS, type SessionServiceOptions } from '../src/sessions/sessions';
import { createApiMetrics } from '../src/http/metrics';
import { createSessionTokens } from '../src/sessions/tokens';
import type { SessionStart, SessionView } from '../workflows/session-types';

const SECRET = 'x'.repeat(32);
const CODE = '739204';

const unprocessed = () =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({
      type: 'UnprocessedUpdate',
      message: "Workflow Update is rejected because it wasn't processed by worker",
    }),
  );

/** A session's answer: only what the service reads of it. */
const view = {
  session_id: 'ses_1',
  tenant_id: 'acme',
  status: 'pending',
  created_at: '2026-01-01T00:00:00.000Z',
  config: { expiry_minutes: 10, max_resends: 3 },
} as unknown as SessionView;

interface Call {
  updateId: string | undefined;
  name: string;
}

/** A fake Temporal client whose updates fail unprocessed `failures` times, then answer `view`. */
function fakeClient(failures: number) {
  const calls: Call[] = [];
  const answer = async (name: string, updateId: string | undefined) => {
    calls.push({ name, updateId });
    if (calls.length <= failures) throw unprocessed();
    return name === 'initialDelivery' ? { session: view } : view;
  };
  const handle = {
    executeUpdate: (def: { name: string }, opts: { updateId?: string }) => answer(def.name, opts.updateId),
    describe: async () => ({ status: { name: 'RUNNING' } }),
  };
  const client = {
    workflow: {
      getHandle: () => handle,
      executeUpdateWithStart: (def: { name: string }, opts: { updateId?: string }) =>
        answer(def.name, opts.updateId),
    },
  } as unknown as Client;
  return { client, calls };
}

function service(client: Client) {
  const metrics = createApiMetrics();
  const logged: { level: string; fields: object; message: string }[] = [];
  const logger: SessionServiceOptions['logger'] = {
    warn: ((fields: object, message: string) => logged.push({ level: 'warn', fields, message })) as never,
    error: ((fields: object, message: string) => logged.push({ level: 'error', fields, message })) as never,
  };
  const sessions = createSessionService({
    client,
    taskQueue: 'otp-sessions',
    tokens: createSessionTokens(SECRET),
    codeKeys: codeKeys(SECRET),
    logger,
    updateRetries: metrics.updateRetries,
    updateRetryDelayMs: () => 0,
  });
  const retries = async (update: string) =>
    (await metrics.updateRetries.get()).values.find((v) => v.labels.update === update)?.value ?? 0;
  return { sessions, logged, retries, registry: metrics.registry as Registry };
}

const live = { test_key: false };

/** What the start operation reads of a send (its search attributes). */
const start = {
  session_id: 'ses_1',
  tenant_id: 'acme',
  sandbox: false,
  channels: ['email'],
  metadata: {},
} as unknown as SessionStart;

describe('updates rejected unprocessed', () => {
  it('a verify is sent again with the same update id until it is processed', async () => {
    const { client, calls } = fakeClient(2);
    const { sessions, logged, retries } = service(client);

    await expect(sessions.verify('acme', 'ses_1', { email: CODE }, live)).resolves.toBe(view);

    expect(calls).toHaveLength(3);
    expect(calls.every((call) => call.name === 'verify')).toBe(true);
    // No Idempotency-Key: the service picked an id, and kept it for each sending.
    expect(calls[0].updateId).toEqual(expect.any(String));
    expect(new Set(calls.map((call) => call.updateId)).size).toBe(1);
    expect(await retries('verify')).toBe(2);
    expect(logged.map(({ level, fields }) => ({ level, fields }))).toEqual([
      { level: 'warn', fields: { update: 'verify', attempt: 1 } },
      { level: 'warn', fields: { update: 'verify', attempt: 2 } },
    ]);
    expect(JSON.stringify(logged)).not.toContain(CODE);
  });

  it("keeps the caller's update id (Idempotency-Key) on resend and cancel", async () => {
    for (const operation of ['resend', 'cancel'] as const) {
      const { client, calls } = fakeClient(1);
      const { sessions, retries } = service(client);
      const updateId = `${operation}-0123456789abcdef`;

      if (operation === 'resend') await sessions.resend('acme', 'ses_1', {}, live, updateId);
      else await sessions.cancel('acme', 'ses_1', live, updateId);

      expect(calls).toEqual([
        { name: operation, updateId },
        { name: operation, updateId },
      ]);
      expect(await retries(operation)).toBe(1);
    }
  });

  it('a send (update-with-start) is sent again with the same update id', async () => {
    const { client, calls } = fakeClient(2);
    const { sessions, retries } = service(client);
    const result = await sessions.start(start);

    expect(result.view).toBe(view);
    expect(calls.map((call) => call.name)).toEqual(['initialDelivery', 'initialDelivery', 'initialDelivery']);
    expect(new Set(calls.map((call) => call.updateId)).size).toBe(1);
    expect(await retries('initialDelivery')).toBe(2);
  });

  it(`gives up after ${UPDATE_ATTEMPTS} sendings with the documented 503, not a 500`, async () => {
    const { client, calls } = fakeClient(Infinity);
    const { sessions, logged, retries, registry } = service(client);

    const refusal = await sessions.verify('acme', 'ses_1', { sms: CODE }, live).catch((err: unknown) => err);

    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(calls).toHaveLength(UPDATE_ATTEMPTS);
    expect(await retries('verify')).toBe(UPDATE_ATTEMPTS - 1);
    expect(logged.at(-1)).toMatchObject({
      level: 'error',
      fields: { update: 'verify', attempts: UPDATE_ATTEMPTS },
    });
    expect(await registry.metrics()).toContain('otp_update_retries_total{update="verify"} 2');
  });

  it('any other update failure is not retried', async () => {
    const calls: number[] = [];
    const handle = {
      executeUpdate: async () => {
        calls.push(1);
        throw new WorkflowUpdateFailedError(
          'Workflow Update failed',
          ApplicationFailure.create({ type: 'session_locked', nonRetryable: true }),
        );
      },
    };
    const client = { workflow: { getHandle: () => handle } } as unknown as Client;
    const { sessions, retries } = service(client);

    await expect(sessions.resend('acme', 'ses_1', {}, live)).rejects.toMatchObject({
      code: 'session_locked',
    });
    expect(calls).toHaveLength(1);
    expect(await retries('resend')).toBe(0);
  });
});
