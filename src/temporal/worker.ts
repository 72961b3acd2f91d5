/** Builds the session worker: the workflow bundle plus the activities, on one task queue. */
import type { DataConverter } from '@temporalio/common';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { NO_TRACING, type Tracing } from '../telemetry/tracing';
import type { SessionActivities } from '../../workflows/activity-contract';
import { DEFAULT_DEPLOYMENT_NAME } from './versioning';
import { loadSessionWorkflowCode, type SessionWorkflowCode } from './workflow-bundle';

export { WORKFLOWS_PATH } from './workflow-bundle';

/** The worker deployment session workers poll under by default (WORKER_DEPLOYMENT_NAME). */
export const DEPLOYMENT_NAME = DEFAULT_DEPLOYMENT_NAME;

export interface SessionWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: SessionActivities;
  /**
   * Default: the prebuilt bundle when running compiled code, else the sources bundled at start;
   * with the tracing interceptors only when `tracing` is set.
   */
  workflows?: SessionWorkflowCode;
  /** Default: the workflows' (package version + hash of the workflow bundle and the activities' code). */
  buildId?: string;
  /** Default: DEPLOYMENT_NAME. */
  deploymentName?: string;
  /** How long a shutdown lets in-flight activities (deliveries) finish; default: the SDK's (none). */
  shutdownGraceMs?: number;
  /** Traces (SPEC §8); none when unset. */
  tracing?: Tracing;
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

export async function createSessionWorker(options: SessionWorkerOptions): Promise<Worker> {
  const workflows =
    options.workflows ??
    (await loadSessionWorkflowCode(undefined, { tracing: options.tracing !== undefined }));
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: workflows.bundle,
    activities: options.activities,
    // SPEC §10: the worker polls as one version of the deployment, and every workflow it starts
    // is PINNED to that version: it runs to its end on the build that started it, so a new build
    // needs no replay compatibility with the old one; a deploy is a rainbow deploy
    // (deploy/README.md). The version must be made current before new workflows reach it
    // (src/temporal/versioning.ts). The time-skipping test server ignores versions and
    // dispatches to such a worker as to any other.
    workerDeploymentOptions: {
      version: {
        deploymentName: options.deploymentName ?? DEPLOYMENT_NAME,
        buildId: options.buildId ?? workflows.defaultBuildId,
      },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'PINNED',
    },
    dataConverter: options.dataConverter,
    // Activity spans join the trace the workflow's headers carry; the workflows' own spans leave
    // the sandbox through the `exporter` sink, which the traced bundle's interceptors call.
    interceptors: options.tracing
      ? {
          activity: [
            (ctx) => ({
              inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: options.tracing!.tracer }),
              outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
            }),
          ],
        }
      : {},
    sinks: {
      exporter: makeWorkflowExporter(
        (options.tracing ?? NO_TRACING).spanProcessor,
        (options.tracing ?? NO_TRACING).resource,
      ),
    },
    // An unset knob must leave the SDK's default in place, not override it with undefined.
    ...Object.fromEntries(
      Object.entries({ ...options.tuning, shutdownGraceTime: options.shutdownGraceMs }).filter(
        ([, value]) => value !== undefined,
      ),
    ),
  });
}

/** The build id a worker reports. */
export function buildIdOf(worker: Worker): string | undefined {
  return worker.options.workerDeploymentOptions?.version.buildId;
}
