/**
 * Webhook delivery (SPEC §9): one POST of one event to one endpoint, signed per the Standard
 * Webhooks spec with the `standardwebhooks` reference implementation: `webhook-id` (the same for
 * every attempt of an event, so receivers can drop repeats), `webhook-timestamp` (this attempt's
 * time, for their replay window) and `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`.
 */
import { Webhook } from 'standardwebhooks';

const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookRequest {
  url: string;
  /** `whsec_<base64>` */
  secret: string;
  id: string;
  body: string;
  timeoutMs?: number;
}

/** The endpoint did not take the event: a non-2xx answer, no answer in time, or no connection. */
export class WebhookRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookRefused';
  }
}

export async function postWebhook({
  url,
  secret,
  id,
  body,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: WebhookRequest): Promise<number> {
  const timestamp = new Date();
  const signature = new Webhook(secret).sign(id, timestamp, body);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new WebhookRefused(`webhook endpoint unreachable (${cause})`);
  }
  // The body is not read: an endpoint's answer is only its status.
  await response.body?.cancel();
  if (response.status < 200 || response.status > 299) {
    throw new WebhookRefused(`webhook endpoint answered HTTP ${response.status}`);
  }
  return response.status;
}
