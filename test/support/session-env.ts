/**
 * A running session worker against a Temporal server started for the test file, plus helpers
 * to start sessions and to digest codes the way the API does.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createSessionActivities, type SessionActivities } from '../../activities';
import { codeDigest, codeKeys } from '../../activities/codes';
import type { ChannelSender } from '../../activities/delivery';
import { startDevServer, startTimeSkippingServer } from '../../src/temporal/dev-server';
import { createSessionWorker } from '../../src/temporal/worker';
import type { Channel } from '../../workflows/channels';
import { otpSession } from '../../workflows/otp-session';
import type { SessionStart } from '../../workflows/session-types';

export const TEST_CODE_SECRET = 'test-code-secret-that-is-long-enough-0123456789';
export const keys = codeKeys(TEST_CODE_SECRET);

export function sessionStart(overrides: Partial<SessionStart> = {}): SessionStart {
  return {
    session_id: `ses_${randomUUID().replace(/-/g, '')}`,
    tenant_id: 'acme',
    app_name: 'Acme',
    sandbox: true,
    channels: ['email'],
    recipients: { email: 'person@example.com', sms: '+14155550100', whatsapp: '+14155550101' },
    metadata: { purpose: 'login' },
    templates: {},
    verification: { mode: 'all' },
    ...overrides,
    config: {
      otp_length: 6,
      code_type: 'numeric',
      expiry_minutes: 10,
      max_attempts: 3,
      resend_cooldown_seconds: 60,
      max_resends: 3,
      lockout_minutes: null,
      ...overrides.config,
    },
  };
}

export function digests(sessionId: string, codes: Partial<Record<Channel, string>>) {
  return {
    code_digests: Object.fromEntries(
      Object.entries(codes).map(([channel, code]) => [
        channel,
        codeDigest(keys, sessionId, channel as Channel, code!),
      ]),
    ),
  };
}

export interface SessionTestEnv {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  start(start: SessionStart): ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>;
  close(): Promise<void>;
}

export async function startSessionEnv(
  server: 'time-skipping' | 'dev',
  options: {
    senders?: Partial<Record<Channel, ChannelSender>>;
    activities?: Partial<SessionActivities>;
  } = {},
): Promise<SessionTestEnv & { worker: Worker }> {
  const env = server === 'time-skipping' ? await startTimeSkippingServer() : await startDevServer();
  const taskQueue = `sessions-${randomUUID()}`;
  const activities = {
    ...createSessionActivities({ keys, bcryptRounds: 4, senders: options.senders ?? {} }),
    ...options.activities,
  };
  const worker = await createSessionWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities,
  });
  const running = worker.run();
  return {
    env,
    worker,
    taskQueue,
    start: (start) =>
      env.client.workflow.start(otpSession, {
        taskQueue,
        workflowId: `otp-${start.tenant_id}-${start.session_id}`,
        args: [start],
      }),
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
