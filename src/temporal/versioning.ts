/**
 * Worker Versioning (SPEC §10): every session worker polls as one version — deployment name plus
 * build id — of a Worker Deployment, and every workflow it starts is PINNED to that version for
 * life. New workflows go to the deployment's *current* version, so a version must be made
 * current before it receives any: `make run` and `make cluster` do that for their own workers,
 * a deploy does it with `node dist/src/bin/deploy.js promote` (deploy/README.md), which then waits
 * until the previous version has drained (none of its pinned workflows still open).
 */
import type { WorkflowService } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';

/** The worker deployment every session worker polls under, unless WORKER_DEPLOYMENT_NAME says otherwise. */
export const DEFAULT_DEPLOYMENT_NAME = 'durable-otp';

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

const DrainageStatus = temporal.api.enums.v1.VersionDrainageStatus;
const VersionStatus = temporal.api.enums.v1.WorkerDeploymentVersionStatus;
const TaskQueueType = temporal.api.enums.v1.TaskQueueType;

/** `deployment:build`, as the server's search attribute TemporalWorkerDeploymentVersion spells it. */
export function versionString(version: DeploymentVersion): string {
  return `${version.deploymentName}:${version.buildId}`;
}

/** The version a worker polls as, when it uses Worker Versioning. */
export function workerVersion(worker: Worker): DeploymentVersion | undefined {
  const options = worker.options.workerDeploymentOptions;
  return options?.useWorkerVersioning ? options.version : undefined;
}

/** gRPC codes no retry can cure: the request or the caller is wrong. */
const FINAL_CODES = new Set([3, 7, 12, 16]); // INVALID_ARGUMENT, PERMISSION_DENIED, UNIMPLEMENTED, UNAUTHENTICATED

function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface DeploymentState {
  /** The current version's build id; undefined when the deployment has none (or does not exist yet). */
  current?: string;
  /** Every version the deployment knows, with its status (CURRENT, DRAINING, DRAINED, INACTIVE, …). */
  versions: { buildId: string; status: string }[];
}

/** An enum value's name without its prefix: `DRAINED` for VERSION_DRAINAGE_STATUS_DRAINED. */
function enumName(values: Record<string, unknown>, prefix: string, value: unknown): string {
  const key = Object.keys(values).find((name) => values[name] === value);
  return key?.startsWith(prefix) ? key.slice(prefix.length) : 'UNSPECIFIED';
}

/** The deployment's current version and its versions; an empty state when no worker ever polled under it. */
export async function describeDeployment(
  service: WorkflowService,
  namespace: string,
  deploymentName: string,
): Promise<DeploymentState> {
  try {
    const { workerDeploymentInfo: info } = await service.describeWorkerDeployment({
      namespace,
      deploymentName,
    });
    return {
      current: info?.routingConfig?.currentDeploymentVersion?.buildId || undefined,
      versions: (info?.versionSummaries ?? []).map((summary) => ({
        buildId: summary.deploymentVersion?.buildId ?? '',
        status: enumName(VersionStatus, 'WORKER_DEPLOYMENT_VERSION_STATUS_', summary.status),
      })),
    };
  } catch (err) {
    if (grpcCode(err) === 5) return { versions: [] }; // NOT_FOUND: no worker of it polled yet
    throw err;
  }
}

/** The task queues a version's workers have polled (workflow tasks), or none while it does not exist. */
export async function versionTaskQueues(
  service: WorkflowService,
  namespace: string,
  version: DeploymentVersion,
): Promise<string[]> {
  try {
    const { workerDeploymentVersionInfo: info } = await service.describeWorkerDeploymentVersion({
      namespace,
      deploymentVersion: version,
    });
    return (info?.taskQueueInfos ?? [])
      .filter((queue) => queue.type === TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
      .map((queue) => queue.name ?? '');
  } catch (err) {
    if (grpcCode(err) === 5) return [];
    throw err;
  }
}

export interface SetCurrentOptions {
  /** Wait until a worker of the version polled this task queue before routing to it. */
  taskQueue?: string;
  /** How long to wait for the version's workers to poll (and the server to accept the change). */
  timeoutMs?: number;
  /** Who made the change, as the deployment records it. */
  identity?: string;
  /**
   * Accept the version even when it does not poll every task queue the current version polls.
   * Off by default: the server then refuses a version whose workers miss a task queue.
   */
  ignoreMissingTaskQueues?: boolean;
}

/**
 * Makes `version` the deployment's current version, once its workers poll (a version exists on
 * the server only after a first poll). Returns the build id that was current before; a version
 * already current is left alone.
 */
export async function setCurrentVersion(
  service: WorkflowService,
  namespace: string,
  version: DeploymentVersion,
  { taskQueue, timeoutMs = 60_000, identity, ignoreMissingTaskQueues = false }: SetCurrentOptions = {},
): Promise<{ previous?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    let waitingFor: string;
    try {
      const state = await describeDeployment(service, namespace, version.deploymentName);
      if (state.current === version.buildId) return { previous: version.buildId };
      const polled = await versionTaskQueues(service, namespace, version);
      if (polled.length === 0 || (taskQueue && !polled.includes(taskQueue))) {
        waitingFor = `no worker of ${versionString(version)} has polled${taskQueue ? ` task queue ${taskQueue}` : ''} yet`;
      } else {
        await service.setWorkerDeploymentCurrentVersion({
          namespace,
          deploymentName: version.deploymentName,
          buildId: version.buildId,
          identity,
          ignoreMissingTaskQueues,
        });
        return { previous: state.current };
      }
    } catch (err) {
      const code = grpcCode(err);
      if (code !== undefined && FINAL_CODES.has(code)) throw err;
      waitingFor = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `could not make ${versionString(version)} current within ${Math.round(timeoutMs / 1000)} s: ${waitingFor}`,
      );
    }
    await sleep(Math.min(100 * attempt, 1000));
  }
}

/**
 * Makes the version a running worker polls as current; nothing for an unversioned worker. For
 * processes that own their deployment (`make run`, tests), so task queues only an earlier build
 * polled do not hold it back: a production deploy runs `node dist/src/bin/deploy.js promote` instead.
 */
export async function makeWorkerCurrent(
  worker: Worker,
  options: Omit<SetCurrentOptions, 'taskQueue'> = {},
): Promise<void> {
  const version = workerVersion(worker);
  if (!version) return;
  const connection = worker.connection;
  if (!connection) throw new Error('makeWorkerCurrent: the worker has no connection');
  await setCurrentVersion(connection.workflowService, worker.options.namespace, version, {
    taskQueue: worker.options.taskQueue,
    ignoreMissingTaskQueues: true,
    ...options,
  });
}

/**
 * Makes the version of the workers that poll `taskQueue` current, once one polls — for whoever
 * started those workers and owns their deployment (tests and benches that spawn
 * `dist/src/bin/worker.js`; task queues only an earlier build polled do not hold it back). Returns that version; nothing to do (undefined) when the workers are
 * unversioned. Refuses when workers of two versions poll.
 */
export async function makePollingVersionCurrent(
  service: WorkflowService,
  namespace: string,
  taskQueue: string,
  { timeoutMs = 60_000, identity }: { timeoutMs?: number; identity?: string } = {},
): Promise<DeploymentVersion | undefined> {
  const deadline = Date.now() + timeoutMs;
  const VERSIONED = temporal.api.enums.v1.WorkerVersioningMode.WORKER_VERSIONING_MODE_VERSIONED;
  for (;;) {
    const { pollers } = await service.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (pollers.length > 0) {
      const versions = new Map<string, DeploymentVersion>();
      for (const { deploymentOptions: options } of pollers) {
        if (options?.workerVersioningMode !== VERSIONED) continue;
        const version = { deploymentName: options.deploymentName ?? '', buildId: options.buildId ?? '' };
        versions.set(versionString(version), version);
      }
      if (versions.size > 1) {
        throw new Error(`workers of several versions poll ${taskQueue}: ${[...versions.keys()].join(', ')}`);
      }
      const [version] = versions.values();
      if (!version) return undefined;
      await setCurrentVersion(service, namespace, version, {
        taskQueue,
        identity,
        timeoutMs: Math.max(deadline - Date.now(), 1000),
        ignoreMissingTaskQueues: true,
      });
      return version;
    }
    if (Date.now() > deadline) throw new Error(`no worker polled ${taskQueue} within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** gRPC NOT_FOUND, DEADLINE_EXCEEDED, UNAVAILABLE: answers a drain wait asks again about. */
const TRANSIENT_CODES = new Set([5, 4, 14]);
/** Consecutive unanswered describes a drain wait rides out (× pollMs: a minute by default). */
const TRANSIENT_TRIES = 12;

export interface DrainageProgress {
  /** DRAINING, or UNSPECIFIED before the server first looked. */
  status: string;
  /** Workflows still open on the version, when the namespace's visibility can count them. */
  open?: number;
}

/**
 * Waits until the server reports `version` DRAINED: no workflow pinned to it is open any more, so
 * its workers can stop. The server re-checks a draining version every
 * `matching.wv.VersionDrainageStatusRefreshInterval` (3 min by default) after a grace period of
 * `matching.wv.VersionDrainageStatusVisibilityGracePeriod` (3 min), so DRAINED comes that long
 * after the last pinned workflow closed.
 */
export async function waitForDrainage(
  service: WorkflowService,
  namespace: string,
  version: DeploymentVersion,
  {
    timeoutMs,
    pollMs = 5000,
    onProgress,
  }: {
    timeoutMs: number;
    pollMs?: number;
    /** Each check before the version is drained. */
    onProgress?: (progress: DrainageProgress) => void;
  },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let unanswered = 0;
  for (;;) {
    let info: temporal.api.deployment.v1.IWorkerDeploymentVersionInfo | null | undefined;
    try {
      ({ workerDeploymentVersionInfo: info } = await service.describeWorkerDeploymentVersion({
        namespace,
        deploymentVersion: version,
      }));
      unanswered = 0;
    } catch (err) {
      // The server keeps a version in an entity workflow of its own; while that continues as new
      // (or the frontend is briefly away) the describe answers NOT_FOUND or UNAVAILABLE. A wait
      // that may last a day rides that out, for a minute at most, saying so each time.
      const code = (err as { code?: number }).code;
      if (!TRANSIENT_CODES.has(code ?? -1) || ++unanswered > TRANSIENT_TRIES) throw err;
      onProgress?.({ status: `unanswered (gRPC ${code}), asking again` });
      await sleep(pollMs);
      continue;
    }
    const drainage = info?.drainageInfo?.status;
    const status = enumName(DrainageStatus, 'VERSION_DRAINAGE_STATUS_', drainage);
    if (drainage === DrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED) return;
    onProgress?.({ status, open: await openWorkflowsOn(service, namespace, version) });
    if (Date.now() > deadline) {
      throw new Error(
        `${versionString(version)} has not drained within ${Math.round(timeoutMs / 1000)} s (drainage: ${status})`,
      );
    }
    await sleep(pollMs);
  }
}

/** How many workflows are open on a version, by visibility; undefined when it cannot be counted. */
export async function openWorkflowsOn(
  service: WorkflowService,
  namespace: string,
  version: DeploymentVersion,
): Promise<number | undefined> {
  try {
    const { count } = await service.countWorkflowExecutions({
      namespace,
      query: `TemporalWorkerDeploymentVersion = '${versionString(version).replace(/'/g, "\\'")}' AND ExecutionStatus = 'Running'`,
    });
    return Number(count ?? 0);
  } catch {
    return undefined;
  }
}

/**
 * The pollers of a task queue (DescribeTaskQueue) that receive its new workflows: those of the
 * deployment's current version, or, while the task queue has no current version, the
 * unversioned ones. A worker of another version polls too, but only for the sessions pinned to it.
 */
export function pollersForNewWorkflows(
  described: Pick<temporal.api.workflowservice.v1.IDescribeTaskQueueResponse, 'pollers' | 'versioningInfo'>,
): temporal.api.taskqueue.v1.IPollerInfo[] {
  const current = described.versioningInfo?.currentDeploymentVersion;
  const VERSIONED = temporal.api.enums.v1.WorkerVersioningMode.WORKER_VERSIONING_MODE_VERSIONED;
  return (described.pollers ?? []).filter((poller) => {
    const options = poller.deploymentOptions;
    const versioned = options?.workerVersioningMode === VERSIONED;
    if (!current?.buildId) return !versioned;
    return (
      versioned && options?.deploymentName === current.deploymentName && options?.buildId === current.buildId
    );
  });
}
