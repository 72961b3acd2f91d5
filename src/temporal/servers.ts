/**
 * Where the Temporal servers come from. scripts/temporal-toolchain.sh builds them from package
 * registries into a per-machine cache (or honours TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH);
 * without Go or Java it answers "sdk-download" and the SDK downloads the server itself, which
 * needs internet access. Every failure ends in one message that says what is missing.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';

export type TemporalServerKind = 'dev-server' | 'test-server';

const TOOLCHAIN_SCRIPT = path.resolve(__dirname, '../../..', 'scripts/temporal-toolchain.sh');
const TOOLCHAIN_SCRIPT_FROM_SOURCE = path.resolve(__dirname, '../..', 'scripts/temporal-toolchain.sh');

const HOW_TO_PROVIDE: Record<TemporalServerKind, string> = {
  'dev-server':
    'set TEMPORAL_CLI_PATH to a `temporal` CLI binary, or install Go (the CLI is then built from the Go module proxy), or allow internet access for the SDK download',
  'test-server':
    'set TEMPORAL_TEST_SERVER_PATH to a time-skipping test server executable, or install Java 17 + Maven (it is then collected from Maven Central), or allow internet access for the SDK download',
};

function toolchainScript(): string {
  // Compiled code runs from dist/src/temporal, ts-jest from src/temporal.
  return __dirname.includes(`${path.sep}dist${path.sep}`) ? TOOLCHAIN_SCRIPT : TOOLCHAIN_SCRIPT_FROM_SOURCE;
}

/** Resolves (building on first use) the executable of a Temporal server. */
export function temporalServerExecutable(kind: TemporalServerKind): EphemeralServerExecutable {
  let answer: string;
  try {
    answer = execFileSync('bash', [toolchainScript(), kind], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .pop()!;
  } catch (err) {
    throw new TemporalServerUnavailable(kind, (err as Error).message);
  }
  return answer === 'sdk-download' ? { type: 'cached-download' } : { type: 'existing-path', path: answer };
}

export class TemporalServerUnavailable extends Error {
  constructor(kind: TemporalServerKind, cause: string) {
    super(
      `The Temporal ${kind} is not available (${cause.split('\n')[0]}). To provide it: ${HOW_TO_PROVIDE[kind]}.`,
    );
    this.name = 'TemporalServerUnavailable';
  }
}

/**
 * Runs `start`, once more if it fails (the SDK gives a server a few seconds to listen, which a
 * loaded machine can miss), then turns a failure into the one clear message.
 */
export async function withServerExplanation<T>(
  kind: TemporalServerKind,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch {
    try {
      return await start();
    } catch (err) {
      throw new TemporalServerUnavailable(kind, (err as Error).message);
    }
  }
}
