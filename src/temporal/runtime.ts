/**
 * Installs the Temporal SDK runtime for a long-running process: SDK logs at warnings and above
 * (the workflow bundler's progress is noise in `make run`), no signal handling of its own — the
 * entry point stops its API, worker and dev server itself, in order — and, unless
 * WORKER_METRICS_PORT is 0, a Prometheus endpoint with the SDK's metrics (task slots, latencies,
 * failures) and the product's own (activities/metrics.ts).
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../config';

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
              },
            },
          },
        }
      : {}),
  });
}
