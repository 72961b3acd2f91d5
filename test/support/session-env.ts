/**
 * A running session worker against a Temporal server started for the test file, plus helpers
 * to start sessions and to digest codes the way the API does.
 */
import { randomUUID } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createSessionActivities } from '../../activities';
import type { SessionActivities } from '../../workflows/activity-contract';
import { codeDigest, codeKeys } from '../../activities/codes';
import type { AbuseAdmission } from '../../src/limits/guards';
import type { Tracing } from '../../src/telemetry/tracing';
import type { ChannelSender } from '../../activities/delivery';
import { payloadDataConverter, type PayloadKey } from '../../src/codec';
import { startDevServer, startTimeSkippingServer } from '../../src/temporal/dev-server';
import { makeWorkerCurrent } from '../../src/temporal/versioning';
import { createSessionWorker } from '../../src/temporal/worker';
import type { Channel } from '../../workflows/channels';
import { otpSession } from '../../workflows/otp-session';
import type { KeyMode, SessionStart } from '../../workflows/session-types';
export { sessionStart } from './session-start';

export const TEST_CODE_SECRET = 'test-code-secret-that-is-long-enough-0123456789';
export const keys = codeKeys(TEST_CODE_SECRET);
/** Every test client and worker encrypts payloads, as the product's do. */
export const TEST_PAYLOAD_KEYS: PayloadKey[] = [{ id: 'test-1', key: Buffer.alloc(32, 7) }];
export const testDataConverter = payloadDataConverter(TEST_PAYLOAD_KEYS);
/** The same keys as OTP_PAYLOAD_KEYS, for the product's processes a test spawns. */
export const TEST_PAYLOAD_KEYS_ENV = TEST_PAYLOAD_KEYS.map((k) => `${k.id}:${k.key.toString('base64')}`).join(
  ',',
);

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
    admission?: AbuseAdmission;
    webhookSecret?: (tenantId: string, url: string, mode: KeyMode) => string | undefined;
    testRecipientCode?: (tenantId: string, recipient: string) => string | undefined;
    publicBaseUrl?: string;
    dataConverter?: DataConverter;
    tracing?: Tracing;
  } = {},
): Promise<SessionTestEnv & { worker: Worker }> {
  const dataConverter = options.dataConverter ?? testDataConverter;
  const env =
    server === 'time-skipping'
      ? await startTimeSkippingServer({ dataConverter })
      : await startDevServer({ dataConverter });
  const taskQueue = `sessions-${randomUUID()}`;
  const activities = {
    ...createSessionActivities({
      keys,
      bcryptRounds: 4,
      senders: options.senders ?? {},
      admission: options.admission,
      webhookSecret: options.webhookSecret,
      testRecipientCode: options.testRecipientCode,
      publicBaseUrl: options.publicBaseUrl,
    }),
    ...options.activities,
  };
  const worker = await createSessionWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities,
    dataConverter,
    tracing: options.tracing,
  });
  const running = worker.run();
  // The dev server routes new workflows to the deployment's current version only (SPEC §10); the
  // time-skipping server ignores versions.
  if (server === 'dev') await makeWorkerCurrent(worker);
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
