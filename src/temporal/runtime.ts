/**
 * Installs the Temporal SDK runtime for a long-running process: SDK logs at warnings and above
 * (the workflow bundler's progress is noise in `make run`), and no signal handling of its own —
 * the entry point stops its API, worker and dev server itself, in order.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

export function installRuntime(): void {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
}
