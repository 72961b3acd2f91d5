/**
 * The session workflows as prebuilt bundles. `npm run build` runs this file after tsc and writes
 * two, so a production worker starts without webpack and every worker of one image runs
 * byte-identical workflow code: dist/workflow-bundle.js, with the OpenTelemetry workflow
 * interceptors (for workers that trace), and dist/workflow-bundle-untraced.js, the same workflow
 * code without them (for workers that do not: with tracing off the interceptors still made, and
 * threw away, a span per handler and activity call — about 10–15 ms of worker CPU per send →
 * verify flow, bench/RESULTS.md issue 15). The build id defaults to the package version plus a
 * hash of the traced bundle, for workers running either: both come from one build of the same
 * workflow code, and it changes exactly when that code does. Histories replay with both
 * (test/replay.test.ts), so a session may move between workers that trace and workers that do not.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type Logger,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { version } from '../../package.json';
import { FAILURE_CONVERTER_PATH } from '../codec';
import { WORKFLOW_TRACING_INTERCEPTORS } from '../telemetry/tracing';

export const WORKFLOWS_PATH = require.resolve('../../workflows');

/**
 * Where the build puts the bundle: dist/workflow-bundle.js, next to the compiled code that must
 * match it. Run from the TypeScript sources (ts-jest) there is none, and none is looked for, so
 * tests never pick up a bundle older than the code they test.
 */
export const PREBUILT_BUNDLE_PATH = __dirname.split(path.sep).includes('dist')
  ? path.resolve(__dirname, '../../workflow-bundle.js')
  : undefined;

/** The prebuilt bundle without the tracing interceptors, next to PREBUILT_BUNDLE_PATH. */
export function untracedBundlePath(tracedPath: string): string {
  return tracedPath.replace(/\.js$/, '-untraced.js');
}

export interface SessionWorkflowCode {
  /** The prebuilt file, or the code bundled from WORKFLOWS_PATH at start. */
  bundle: WorkflowBundleOption;
  source: 'prebuilt' | 'bundled at start';
  /** `<package version>+<sha256 of the code, 12 hex>` */
  defaultBuildId: string;
}

export interface BundleOptions {
  /** With the OpenTelemetry workflow interceptors (default), for a worker that traces. */
  tracing?: boolean;
}

export async function bundleSessionWorkflows(
  logger: Logger = Runtime.instance().logger,
  { tracing = true }: BundleOptions = {},
): Promise<string> {
  // The sandbox converts its failures itself: the product's failure converter must be in the bundle.
  return (
    await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      // Their spans leave the sandbox through the `exporter` sink (src/temporal/worker.ts).
      workflowInterceptorModules: tracing ? [WORKFLOW_TRACING_INTERCEPTORS] : [],
    })
  ).code;
}

/**
 * The prebuilt bundle when there is one (`bundlePath`, default PREBUILT_BUNDLE_PATH; with
 * `tracing: false` its untraced sibling), else a fresh bundle of the sources.
 */
export async function loadSessionWorkflowCode(
  bundlePath = PREBUILT_BUNDLE_PATH,
  { tracing = true }: BundleOptions = {},
): Promise<SessionWorkflowCode> {
  if (bundlePath && fs.existsSync(bundlePath)) {
    const defaultBuildId = buildIdOf(fs.readFileSync(bundlePath, 'utf8'));
    const untraced = untracedBundlePath(bundlePath);
    const codePath = tracing || !fs.existsSync(untraced) ? bundlePath : untraced;
    return { bundle: { codePath }, source: 'prebuilt', defaultBuildId };
  }
  const code = await bundleSessionWorkflows(undefined, { tracing });
  return { bundle: { code }, source: 'bundled at start', defaultBuildId: buildIdOf(code) };
}

function buildIdOf(code: string): string {
  return `${version}+${createHash('sha256').update(code).digest('hex').slice(0, 12)}`;
}

async function writePrebuiltBundle(): Promise<void> {
  if (!PREBUILT_BUNDLE_PATH)
    throw new Error('run the compiled file: node dist/src/temporal/workflow-bundle.js');
  const logger = new DefaultLogger('WARN');
  const untraced = untracedBundlePath(PREBUILT_BUNDLE_PATH);
  fs.writeFileSync(PREBUILT_BUNDLE_PATH, await bundleSessionWorkflows(logger, { tracing: true }));
  fs.writeFileSync(untraced, await bundleSessionWorkflows(logger, { tracing: false }));
  const shown = [PREBUILT_BUNDLE_PATH, untraced].map((file) => path.relative(process.cwd(), file));
  console.log(`workflow bundles: ${shown.join(', ')}`);
}

if (require.main === module) {
  writePrebuiltBundle().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
