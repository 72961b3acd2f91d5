/**
 * The engine floor: the no-op workflow driven like a session — update-with-start answering the
 * first update, then the second update on the same workflow — through a Temporal client with
 * the API's settings (a default Connection and Client).
 */
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { timed, type Flow } from './load';
import { firstUpdate, noopSession, secondUpdate } from './noop-workflow';

/** The floor's flow; its steps are named after the session's so that one report reads both. */
export function noopFlow(client: Client, taskQueue: string): Flow {
  const runTag = Math.random().toString(36).slice(2, 8);
  return async (index) => {
    const workflowId = `bench-noop-${runTag}-${index}`;
    const [, first] = await timed(() =>
      client.workflow.executeUpdateWithStart(firstUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(noopSession, {
          workflowId,
          taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      }),
    );
    const [, second] = await timed(() => client.workflow.getHandle(workflowId).executeUpdate(secondUpdate));
    return { send: first, verify: second };
  };
}

/** Waits until a worker (one whose identity starts with `identityPrefix`) polls for workflow tasks. */
export async function waitForPoller(
  client: Client,
  taskQueue: string,
  timeoutMs: number,
  alive: () => string | undefined,
  identityPrefix = '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = alive();
    if (dead) throw new Error(dead);
    const answer = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if ((answer.pollers ?? []).some((p) => (p.identity ?? '').startsWith(identityPrefix))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no worker polled ${taskQueue} within ${timeoutMs / 1000} s`);
}
