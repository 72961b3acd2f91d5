/**
 * The embedded Temporal dev server of `make run` and of the HTTP tests: the Temporal CLI's
 * `server start-dev`, with the session search attributes registered at start and, when asked,
 * SQLite persistence and the Web UI.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SESSION_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { temporalServerExecutable, withServerExplanation } from './servers';

export interface DevServerOptions {
  namespace?: string;
  port?: number;
  /** Persist to this SQLite file; in memory when absent. */
  dbFilename?: string;
  /** Serve the Web UI on this port. */
  uiPort?: number;
}

export function startDevServer(options: DevServerOptions = {}): Promise<TestWorkflowEnvironment> {
  const executable = temporalServerExecutable('dev-server');
  return withServerExplanation('dev-server', () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable,
        ip: '127.0.0.1',
        namespace: options.namespace ?? 'default',
        port: options.port,
        dbFilename: options.dbFilename,
        ui: options.uiPort !== undefined,
        uiPort: options.uiPort,
        searchAttributes: SESSION_SEARCH_ATTRIBUTES,
        log: { format: 'json', level: 'error' },
      },
    }),
  );
}

/** The time-skipping test server, for the session rules' timer tests. */
export function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const executable = temporalServerExecutable('test-server');
  return withServerExplanation('test-server', () => TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }));
}
