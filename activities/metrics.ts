/**
 * The worker's product metrics (SPEC §8), through the Temporal SDK's metric meter, so they are
 * exported with the SDK's own metrics on WORKER_METRICS_PORT. Tags are channels and outcomes
 * only — never an address, a code or a session id.
 */
import { Context } from '@temporalio/activity';
import type { MetricCounter, MetricHistogram, MetricMeter } from '@temporalio/common';
import type { Channel } from '../workflows/channels';

/** sent / sandbox; refused: the provider said no for good; retrying: a transient failure; credentials: ours were refused; unpaid: no credits left; cancelled: superseded before the provider accepted it. */
export type DeliveryOutcome =
  'sent' | 'sandbox' | 'test_recipient' | 'refused' | 'retrying' | 'credentials' | 'unpaid' | 'cancelled';

/** delivered: the endpoint answered 2xx; refused: another status, or no answer; not_configured: no secret for it here. */
export type WebhookOutcome = 'delivered' | 'refused' | 'not_configured';

interface Instruments {
  webhooks: MetricCounter;
  deliveries: MetricCounter;
  deliveryLatency: MetricHistogram;
  credentialFailures: MetricCounter;
  bcrypt: MetricHistogram;
  fraudRefusals: MetricCounter;
  fraudBlocks: MetricCounter;
}

const byMeter = new WeakMap<MetricMeter, Instruments>();

function instruments(): Instruments {
  const meter = Context.current().metricMeter;
  let found = byMeter.get(meter);
  if (!found) {
    found = {
      webhooks: meter.createCounter(
        'otp_webhook_attempts_total',
        'attempts',
        'Webhook attempts by event type and outcome (SPEC §9)',
      ),
      deliveries: meter.createCounter(
        'otp_deliveries_total',
        'messages',
        'Delivery attempts by channel and outcome',
      ),
      deliveryLatency: meter.createHistogram(
        'otp_delivery_latency',
        'int',
        'ms',
        'Time the provider took to accept or refuse a message',
      ),
      credentialFailures: meter.createCounter(
        'otp_provider_credential_failures_total',
        'attempts',
        'The provider refused our credentials (Twilio 401/20003, SMTP 535): page someone',
      ),
      bcrypt: meter.createHistogram(
        'otp_bcrypt_duration',
        'int',
        'ms',
        'Time one bcrypt hash or compare took',
      ),
      fraudRefusals: meter.createCounter(
        'otp_fraud_refusals_total',
        'recipients',
        'Live phone recipients the fraud defence refused, by reason (SPEC §11)',
      ),
      fraudBlocks: meter.createCounter(
        'otp_fraud_blocks_total',
        'blocks',
        'Blocks the pumping detector started, by scope (SPEC §11)',
      ),
    };
    byMeter.set(meter, found);
  }
  return found;
}

export function recordDelivery(channel: Channel, outcome: DeliveryOutcome, latencyMs?: number): void {
  const metrics = instruments();
  metrics.deliveries.add(1, { channel, outcome });
  if (outcome === 'credentials') metrics.credentialFailures.add(1, { channel });
  if (latencyMs !== undefined) metrics.deliveryLatency.record(Math.round(latencyMs), { channel, outcome });
}

export function recordWebhookAttempt(event: string, outcome: WebhookOutcome): void {
  instruments().webhooks.add(1, { event, outcome });
}

export async function timedBcrypt<T>(operation: 'hash' | 'compare', run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    instruments().bcrypt.record(Math.round(performance.now() - started), { operation });
  }
}

/** SPEC §11, for resends and fallback steps the session admits: never a number in a tag. */
export function recordFraudRefusal(channel: Channel, reason: string): void {
  instruments().fraudRefusals.add(1, { channel, reason });
}

export function recordFraudBlock(channel: Channel, scope: string): void {
  instruments().fraudBlocks.add(1, { channel, scope });
}
