/**
 * Installs the Temporal SDK runtime for a long-running process: SDK logs at warnings and above
 * (the workflow bundler's progress is noise in `make run`), no signal handling of its own — the
 * entry point stops its API, worker and dev server itself, in order — and, unless
 * WORKER_METRICS_PORT is 0, a Prometheus endpoint with the SDK's metrics (task slots, latencies,
 * failures) and the product's own (activities/metrics.ts).
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../config';

const MILLISECOND_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000];

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
                histogramBucketOverrides: Object.fromEntries(
                  ['otp_bcrypt_duration', 'otp_delivery_latency'].map((name) => [name, MILLISECOND_BUCKETS]),
                ),
              },
            },
          },
        }
      : {}),
  });
}
