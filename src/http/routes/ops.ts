/** What operators and tooling read without an API key: liveness, readiness, metrics, the OpenAPI document. */
import type Router from '@koa/router';
import { temporal } from '@temporalio/proto';
import { pollersForNewWorkflows } from '../../temporal/versioning';
import type { ApiState, RouteDependencies } from '../context';
import { requireBearer } from '../middleware';
import { openApiDocument } from '../openapi';
import type { Readiness } from '../../contract/schemas';

const READINESS_DEADLINE_MS = 3_000;

export function opsRoutes(
  router: Router<ApiState>,
  { config, client, logger, metrics }: RouteDependencies,
): void {
  const { namespace, taskQueue } = config.temporal;
  const openApi = openApiDocument();

  async function readiness(): Promise<Readiness> {
    try {
      const described = await client.withDeadline(Date.now() + READINESS_DEADLINE_MS, () =>
        client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      // Workers of a build that is not current poll only for the sessions pinned to it (SPEC §10).
      if (!pollersForNewWorkflows(described).length) {
        const current = described.versioningInfo?.currentDeploymentVersion;
        logger.warn(
          {
            task_queue: taskQueue,
            current_version: current?.buildId ? `${current.deploymentName}:${current.buildId}` : null,
            pollers: described.pollers?.length ?? 0,
          },
          'not ready: no worker is polling the task queue for new sessions',
        );
        return { status: 'unavailable', reason: 'no_worker_polling' };
      }
      return { status: 'ready' };
    } catch (err) {
      // The details (addresses, TLS errors) are for the operator's log, not for whoever probes.
      logger.warn({ err }, 'not ready: Temporal is not answering');
      return { status: 'unavailable', reason: 'temporal_unreachable' };
    }
  }

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const ready = await readiness();
    ctx.status = ready.status === 'ready' ? 200 : 503;
    ctx.body = ready;
  });
  router.get('/metrics', async (ctx) => {
    if (config.metricsToken) requireBearer(ctx, config.metricsToken);
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  router.get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });
}
