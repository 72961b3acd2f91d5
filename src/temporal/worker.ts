/** Builds the session worker: the workflow bundle plus the activities, on one task queue. */
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { SessionActivities } from '../../activities';

export interface SessionWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: SessionActivities;
  /** The payload encryption every worker of the product uses (src/codec). */
  dataConverter: DataConverter;
  /** Tuning knobs measured in bench/ (e.g. cached workflows, pollers). */
  tuning?: Partial<
    Pick<
      WorkerOptions,
      'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions'
    >
  >;
}

export const WORKFLOWS_PATH = require.resolve('../../workflows');

export function createSessionWorker(options: SessionWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: options.activities,
    dataConverter: options.dataConverter,
    // An unset knob must leave the SDK's default in place, not override it with undefined.
    ...Object.fromEntries(Object.entries(options.tuning ?? {}).filter(([, value]) => value !== undefined)),
  });
}
