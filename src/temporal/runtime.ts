/**
 * Installs the Temporal SDK runtime for a long-running process: SDK logs at warnings and above
 * (the workflow bundler's progress is noise in `make run`), no signal handling of its own — the
 * entry point stops its API, worker and dev server itself, in order — and, unless
 * WORKER_METRICS_PORT is 0, a Prometheus endpoint with the SDK's metrics (task slots, latencies,
 * failures) and the product's own (activities/metrics.ts).
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../config/config';

const MILLISECOND_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000];
/**
 * Schedule-to-start in seconds. The SDK's default buckets start at 0.1 s, where a healthy task
 * queue spends all its time, so its p95 would read a flat 95 ms; these resolve the healthy range
 * and keep the alert thresholds (1 s, 5 s in deploy/prometheus/alerts.yml) as bucket edges.
 */
const SCHEDULE_TO_START_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function installRuntime({ workerMetrics }: Pick<Config, 'workerMetrics'>): void {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    shutdownSignals: [],
    ...(workerMetrics.port > 0
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: {
                bindAddress: `${workerMetrics.host}:${workerMetrics.port}`,
                countersTotalSuffix: false,
                useSecondsForDurations: true,
                // The product's own histograms are in milliseconds (activities/metrics.ts).
                histogramBucketOverrides: {
                  ...Object.fromEntries(
                    ['otp_bcrypt_duration', 'otp_delivery_latency'].map((name) => [
                      name,
                      MILLISECOND_BUCKETS,
                    ]),
                  ),
                  ...Object.fromEntries(
                    [
                      'temporal_workflow_task_schedule_to_start_latency',
                      'temporal_activity_schedule_to_start_latency',
                    ].map((name) => [name, SCHEDULE_TO_START_BUCKETS]),
                  ),
                },
              },
            },
          },
        }
      : {}),
  });
}
