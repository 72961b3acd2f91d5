/**
 * Work a session hands off because it may take longer than the session lives (SPEC §10: a session
 * workflow ends when the session does). Each is a workflow of its own, started for the session by
 * an activity (startFollowUp) with a stable id, so Temporal itself refuses a second one for the
 * same work:
 * - webhookEvent: one event to every endpoint of the tenant that wants it, retried for a day
 *   (id = the event's webhook-id);
 * - sessionBookkeeping: a failure count or a refund that must outlive an outage of its store.
 */
import * as wf from '@temporalio/workflow';
import type { BookkeepingTask, SessionActivities, WebhookEventInput } from './activity-contract';
import type { WebhookOutcome } from './session-rules';

/** What became of one event at one endpoint, told to the session while it still runs (its timeline). */
export const webhookOutcomeSignal = wf.defineSignal<[WebhookOutcome]>('webhookOutcome');

/** SPEC §9: at least once, exponential backoff for up to a day; one attempt holds a worker slot 15 s at most. */
const { deliverWebhook } = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '15s',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1h' },
});

/** Retried until the store answers, for a day. */
const { recordVerification, releaseCharges } = wf.proxyActivities<SessionActivities>({
  startToCloseTimeout: '10s',
  scheduleToCloseTimeout: '24h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

export function failureReason(err: unknown): string {
  const cause = err instanceof wf.ActivityFailure && err.cause ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.slice(0, 200);
}

export async function webhookEvent({
  tenant_id,
  session_workflow_id,
  event,
  payload,
  urls,
}: WebhookEventInput): Promise<WebhookOutcome[]> {
  // Started by an activity, not as a child: the session is named by the input, not by a parent.
  const session = session_workflow_id ? wf.getExternalWorkflowHandle(session_workflow_id) : undefined;
  return Promise.all(
    urls.map(async (url): Promise<WebhookOutcome> => {
      let outcome: WebhookOutcome;
      try {
        const { attempts } = await deliverWebhook({ tenant_id, url, id: event.id, payload });
        outcome = { event, url, attempts };
      } catch (err) {
        outcome = { event, url, attempts: 0, failure: failureReason(err) };
      }
      try {
        await session?.signal(webhookOutcomeSignal, outcome);
      } catch {
        // The session has ended: this workflow's history and result keep the outcome.
      }
      return outcome;
    }),
  );
}

export async function sessionBookkeeping(task: BookkeepingTask): Promise<void> {
  if (task.kind === 'recordVerification') await recordVerification(task.input);
  else await releaseCharges(task.input);
}
