/**
 * Determinism guard: the recorded histories in test/histories (real sessions: verified,
 * locked then unlocked and resent, expired, cancelled; v1 from before the sandbox-codes-in-worker
 * patch, v2 after it) must replay against the current workflow code. A change that breaks replay
 * of running sessions fails here.
 *
 * Re-record after an intentional, versioned change: RECORD_HISTORIES=1 npx jest test/replay.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../src/temporal/worker';
import { cancelUpdate, initialDeliveryUpdate, resendUpdate, verifyUpdate } from '../workflows/otp-session';
import type { SessionStart } from '../workflows/session-types';
import { digests, sessionStart, startSessionEnv } from './support/session-env';

const HISTORIES = path.join(__dirname, 'histories');
const recording = process.env.RECORD_HISTORIES === '1';
/** Recordings keep the workflow version they were made with; older ones stay to guard patches. */
const RECORDING_VERSION = 'v2';
const { History } = temporal.api.history.v1;
// toObject/fromObject of the client's own protobuf copy round-trip a history losslessly.
const TO_OBJECT = { longs: String, enums: String, bytes: String, defaults: false } as const;

async function recordHistories(): Promise<void> {
  const t = await startSessionEnv('time-skipping');
  try {
    const scenarios: Record<string, (start: SessionStart) => Promise<void>> = {
      verified: async (start) => {
        const handle = await t.start(start);
        const { sandbox_otps } = await handle.executeUpdate(initialDeliveryUpdate);
        await handle
          .executeUpdate(verifyUpdate, { args: [digests(start.session_id, { email: '!' })] })
          .catch(() => {});
        await handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, sandbox_otps!)] });
        await handle.result();
      },
      'locked-unlocked-resent': async (start) => {
        start.config = { ...start.config, max_attempts: 1, lockout_minutes: 2, resend_cooldown_seconds: 0 };
        const handle = await t.start(start);
        await handle.executeUpdate(initialDeliveryUpdate);
        await handle
          .executeUpdate(verifyUpdate, { args: [digests(start.session_id, { email: '!' })] })
          .catch(() => {});
        await t.env.sleep('3 minutes');
        const resent = await handle.executeUpdate(resendUpdate, { args: [{}] });
        await handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, resent.sandbox_otps!)] });
        await handle.result();
      },
      expired: async (start) => {
        const handle = await t.start(start);
        await handle.executeUpdate(initialDeliveryUpdate);
        await handle.result();
      },
      cancelled: async (start) => {
        const handle = await t.start(start);
        await handle.executeUpdate(initialDeliveryUpdate);
        await handle.executeUpdate(cancelUpdate, { args: [{}] });
        await handle.result();
      },
    };
    fs.mkdirSync(HISTORIES, { recursive: true });
    for (const [name, run] of Object.entries(scenarios)) {
      const start = sessionStart({ channels: ['email', 'sms'], verification: { mode: 'any' } });
      await run(start);
      const history = await t.env.client.workflow
        .getHandle(`otp-${start.tenant_id}-${start.session_id}`)
        .fetchHistory();
      fs.writeFileSync(
        path.join(HISTORIES, `${RECORDING_VERSION}-${name}.json`),
        JSON.stringify(History.toObject(History.fromObject(history), TO_OBJECT), null, 1),
      );
    }
  } finally {
    await t.close();
  }
}

test('recorded session histories replay against the current workflow code', async () => {
  if (recording) await recordHistories();
  const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
  const histories = files.map((file) => ({
    workflowId: file,
    history: History.fromObject(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8'))),
  }));
  const replayed: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
    expect(result.error).toBeUndefined();
    replayed.push(result.workflowId);
  }
  expect(replayed.length).toBeGreaterThanOrEqual(8);
  expect(replayed.sort()).toEqual(files.sort());
});
