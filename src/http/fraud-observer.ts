/**
 * What the API process does when its fraud defence refuses or blocks (SPEC §11): counts it in the
 * API's metrics, logs that a block started (tenant, channel and scope; never the number or range),
 * and tells the tenant with the `fraud.blocked` webhook.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { announceFraudBlock } from '../fraud/announce';
import type { FraudObserver } from '../fraud/defence';
import type { ApiMetrics } from './metrics';

export function apiFraudObserver({
  metrics,
  client,
  taskQueue,
  logger,
}: {
  metrics: ApiMetrics;
  client: Client;
  taskQueue: string;
  logger: Logger;
}): FraudObserver {
  return {
    refused(channel, reason) {
      metrics.fraudRefusals.inc({ channel, reason });
    },
    async blocked(tenant, block) {
      metrics.fraudBlocks.inc({ channel: block.channel, scope: block.scope });
      logger.warn(
        { tenant_id: tenant.id, channel: block.channel, scope: block.scope },
        'fraud block started',
      );
      // A refusal stands whether or not the tenant could be told; the event is retried once started.
      await announceFraudBlock(client, taskQueue, tenant, block).catch((err: unknown) =>
        logger.warn({ err, tenant_id: tenant.id }, 'could not announce a fraud block'),
      );
    },
  };
}
