/**
 * The API's Prometheus metrics (SPEC §8), served at GET /metrics. Labels hold only values from
 * fixed sets — channels, catalogue codes, statuses, route patterns — never an address, a code, a
 * session id or a tenant's metadata.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CHANNELS, type Channel } from '../../workflows/channels';
import { SESSION_UPDATES } from '../sessions/sessions';

export interface ApiMetrics {
  registry: Registry;
  /** Messages a send or resend asked for, per channel. */
  sends: Counter<'channel' | 'sandbox'>;
  /** Verify answers: the session status on success, the catalogue code on refusal. */
  verifications: Counter<'result'>;
  /** Refusals by a cross-session limit: recipient, ip, failures (or unknown). */
  rateLimited: Counter<'limit'>;
  /** Updates sent again, same update id, after the server answered that no worker processed them. */
  updateRetries: Counter<'update'>;
  httpDuration: Histogram<'route' | 'status'>;
  /** SPEC §11: recipients the fraud defence refused, and blocks the detector started. */
  fraudRefusals: Counter<'channel' | 'reason'>;
  fraudBlocks: Counter<'channel' | 'scope'>;
  /** Final statuses of messages and calls in signed provider callbacks (a repeated callback counts again). */
  receipts: Counter<'channel' | 'status'>;
  countSends(channels: Channel[], sandbox: boolean): void;
}

export function createApiMetrics(): ApiMetrics {
  // One registry per app: several apps in one process (tests, replicas) never mix their counts.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const sends = new Counter({
    name: 'otp_sends_total',
    help: 'OTP messages requested by send and resend, per channel',
    labelNames: ['channel', 'sandbox'] as const,
    registers: [registry],
  });
  const metrics: ApiMetrics = {
    registry,
    sends,
    verifications: new Counter({
      name: 'otp_verifications_total',
      help: 'Verify answers: verified / partial, or the refusal code',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'otp_rate_limited_total',
      help: 'Sends and resends refused by a cross-session limit',
      labelNames: ['limit'] as const,
      registers: [registry],
    }),
    updateRetries: new Counter({
      name: 'otp_update_retries_total',
      help: 'Session updates sent again (same update id) after the server rejected them unprocessed',
      labelNames: ['update'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'API request duration by route pattern and status',
      labelNames: ['route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    fraudRefusals: new Counter({
      name: 'otp_fraud_refusals_total',
      help: 'Live phone recipients the fraud defence refused, by reason (number_type, country, suspected_fraud, range_cap)',
      labelNames: ['channel', 'reason'] as const,
      registers: [registry],
    }),
    fraudBlocks: new Counter({
      name: 'otp_fraud_blocks_total',
      help: 'Blocks the pumping detector started, by scope (range, country)',
      labelNames: ['channel', 'scope'] as const,
      registers: [registry],
    }),
    receipts: new Counter({
      name: 'otp_receipts_total',
      help: 'Final statuses of messages and calls in signed Twilio status callbacks, by channel and status',
      labelNames: ['channel', 'status'] as const,
      registers: [registry],
    }),
    countSends(channels, sandbox) {
      for (const channel of channels) sends.inc({ channel, sandbox: String(sandbox) });
    },
  };
  // Counters that alerts and the dashboard divide start at 0 for each label value, so a ratio
  // over them exists (and its rate is 0, not absent) before the first event.
  for (const update of SESSION_UPDATES) metrics.updateRetries.inc({ update }, 0);
  for (const channel of CHANNELS) {
    for (const status of ['delivered', 'undelivered'] as const) metrics.receipts.inc({ channel, status }, 0);
  }
  return metrics;
}
