/**
 * The embedded Temporal dev server of `make run` and of the HTTP tests: the Temporal CLI's
 * `server start-dev`, with the session search attributes registered at start and, when asked,
 * SQLite persistence and the Web UI.
 */
import { SearchAttributeType, type DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
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
  /** The Web UI decodes payloads through this remote codec (`<API>/codec`). */
  codecEndpoint?: string;
  /** For `env.client`: the product's payload encryption (src/codec). */
  dataConverter?: DataConverter;
}

/**
 * Server settings the product is measured with (bench/RESULTS.md), the same as
 * deploy/cluster/dynamicconfig.yaml. Eager activity execution: an activity a workflow task
 * schedules on the worker's own task queue is handed back with that task's completion, when the
 * worker has a free slot, instead of going through the matching service and an activity poll.
 * It is still recorded in history and bound by the same timeouts and retries.
 */
export const DEV_SERVER_DYNAMIC_CONFIG = ['system.enableActivityEagerExecution=true'];

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
        extraArgs: [
          ...DEV_SERVER_DYNAMIC_CONFIG.flatMap((setting) => ['--dynamic-config-value', setting]),
          ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
        ],
      },
      client: { dataConverter: options.dataConverter },
    }),
  );
}

const INDEXED_VALUE_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/** The time-skipping test server, for the session rules' timer tests, with our search attributes. */
export async function startTimeSkippingServer(
  options: { dataConverter?: DataConverter } = {},
): Promise<TestWorkflowEnvironment> {
  const executable = temporalServerExecutable('test-server');
  const env = await withServerExplanation('test-server', () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable },
      client: { dataConverter: options.dataConverter },
    }),
  );
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      SESSION_SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED_VALUE_TYPES[k.type]]),
    ),
  });
  return env;
}
