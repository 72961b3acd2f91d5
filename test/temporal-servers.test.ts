/**
 * The two Temporal servers provisioned from package registries really work: time skipping
 * (a one-hour timer in well under a second) and the dev server's visibility with our custom
 * search attributes registered.
 */
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer, startTimeSkippingServer } from '../src/temporal/dev-server';
import { OtpTenant } from '../workflows/search-attributes';
import { sleepOneHour, taggedSession } from './fixtures/workflows';

const fixtures = require.resolve('./fixtures/workflows');

async function runWithWorker<T>(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  body: () => Promise<T>,
): Promise<T> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fixtures,
  });
  return worker.runUntil(body);
}

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTimeSkippingServer();
  });
  afterAll(() => env?.teardown());

  it('completes a workflow with a one-hour timer by skipping time, not waiting', async () => {
    const result = await runWithWorker(env, 'timers', async () => {
      // The first workflow of a worker pays for its start-up; time the second.
      await env.client.workflow.execute(sleepOneHour, { taskQueue: 'timers', workflowId: 'warm-up' });
      const serverBefore = await env.currentTimeMs();
      const started = performance.now();
      const value = await env.client.workflow.execute(sleepOneHour, {
        taskQueue: 'timers',
        workflowId: 'one-hour',
      });
      return {
        value,
        wallMs: performance.now() - started,
        skippedMs: (await env.currentTimeMs()) - serverBefore,
      };
    });
    expect(result.value).toBe('woke');
    // The server's clock moved an hour; the wall clock a fraction of a second (typically ~0.1 s,
    // bounded loosely here because this machine is shared: the proof is the 360× margin).
    expect(result.skippedMs).toBeGreaterThanOrEqual(3_600_000);
    expect(result.wallMs).toBeLessThan(10_000);
    process.stdout.write(`one-hour timer under time skipping: ${result.wallMs.toFixed(0)} ms of wall time\n`);
  });
});

describe('dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startDevServer();
  });
  afterAll(() => env?.teardown());

  it('has the session search attributes registered and answers a visibility query on them', async () => {
    await runWithWorker(env, 'visibility', async () => {
      for (const tenant of ['acme', 'acme', 'globex']) {
        await env.client.workflow.execute(taggedSession, {
          taskQueue: 'visibility',
          workflowId: `tagged-${Math.random()}`,
          args: [tenant],
        });
      }
    });
    // Visibility is eventually consistent: poll briefly.
    let ids: string[] = [];
    for (let i = 0; i < 50 && ids.length < 2; i++) {
      ids = [];
      for await (const wf of env.client.workflow.list({
        query: `OtpTenant = 'acme' AND OtpStatus = 'pending'`,
      })) {
        ids.push(wf.workflowId);
        expect(wf.typedSearchAttributes.get(OtpTenant)).toBe('acme');
      }
      if (ids.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ids).toHaveLength(2);
  });
});
