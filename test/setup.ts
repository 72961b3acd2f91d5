/** Keeps the Temporal SDK's own logging to errors (expected activity failures in delivery tests would otherwise flood it), so test output stays readable. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed by an earlier file in this jest worker.
}
