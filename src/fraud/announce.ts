/**
 * Tells a tenant's operators that the pumping detector blocked a range or a country (SPEC §11):
 * the `fraud.blocked` webhook, delivered like every other event by a webhookEvent workflow whose
 * id is the webhook-id, so the same block is announced once however often it is reported.
 */
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { WebhookEventInput } from '../../workflows/activity-contract';
import type { TenantPolicy } from '../../workflows/session-types';
import type { FraudBlock } from './store';

export function fraudBlockedEvent(tenant: TenantPolicy, block: FraudBlock, now: number): WebhookEventInput {
  const at = new Date(now).toISOString();
  const id = `msg_fraud_${createHash('sha256')
    .update([tenant.id, block.channel, block.scope, block.subject, block.until].join('\n'))
    .digest('hex')
    .slice(0, 32)}`;
  return {
    tenant_id: tenant.id,
    event: { id, type: 'fraud.blocked', at },
    payload: {
      type: 'fraud.blocked',
      timestamp: at,
      data: {
        channel: block.channel,
        scope: block.scope,
        [block.scope]: block.subject,
        until: new Date(block.until).toISOString(),
        blocks_in_24h: block.count,
      },
    },
    urls: tenant.fraud_webhooks ?? [],
  };
}

/** Starts the event's delivery; nothing to do for a tenant without a `fraud.blocked` endpoint. */
export async function announceFraudBlock(
  client: Client,
  taskQueue: string,
  tenant: TenantPolicy,
  block: FraudBlock,
  now = Date.now(),
): Promise<void> {
  const input = fraudBlockedEvent(tenant, block, now);
  if (input.urls.length === 0) return;
  try {
    await client.workflow.start('webhookEvent', {
      workflowId: input.event.id,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
