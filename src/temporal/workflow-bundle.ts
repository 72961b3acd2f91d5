/**
 * The session workflows as one prebuilt bundle. `npm run build` runs this file after tsc and
 * writes dist/workflow-bundle.js, so a production worker starts without webpack and every worker
 * of one image runs byte-identical workflow code. The build id defaults to the package version
 * plus a hash of that code: it changes exactly when the workflow code does.
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

export interface SessionWorkflowCode {
  /** The prebuilt file, or the code bundled from WORKFLOWS_PATH at start. */
  bundle: WorkflowBundleOption;
  source: 'prebuilt' | 'bundled at start';
  /** `<package version>+<sha256 of the code, 12 hex>` */
  defaultBuildId: string;
}

export async function bundleSessionWorkflows(logger: Logger = Runtime.instance().logger): Promise<string> {
  // The sandbox converts its failures itself: the product's failure converter must be in the bundle.
  return (
    await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      // Always bundled: with tracing off their spans go to a no-op sink (src/temporal/worker.ts).
      workflowInterceptorModules: [WORKFLOW_TRACING_INTERCEPTORS],
    })
  ).code;
}

/** The prebuilt bundle when there is one (`bundlePath`, default PREBUILT_BUNDLE_PATH), else a fresh bundle of the sources. */
export async function loadSessionWorkflowCode(
  bundlePath = PREBUILT_BUNDLE_PATH,
): Promise<SessionWorkflowCode> {
  if (bundlePath && fs.existsSync(bundlePath)) {
    const code = fs.readFileSync(bundlePath, 'utf8');
    return { bundle: { codePath: bundlePath }, source: 'prebuilt', defaultBuildId: buildIdOf(code) };
  }
  const code = await bundleSessionWorkflows();
  return { bundle: { code }, source: 'bundled at start', defaultBuildId: buildIdOf(code) };
}

function buildIdOf(code: string): string {
  return `${version}+${createHash('sha256').update(code).digest('hex').slice(0, 12)}`;
}

async function writePrebuiltBundle(): Promise<void> {
  if (!PREBUILT_BUNDLE_PATH)
    throw new Error('run the compiled file: node dist/src/temporal/workflow-bundle.js');
  const code = await bundleSessionWorkflows(new DefaultLogger('WARN'));
  fs.writeFileSync(PREBUILT_BUNDLE_PATH, code);
  console.log(`workflow bundle: ${path.relative(process.cwd(), PREBUILT_BUNDLE_PATH)}`);
}

if (require.main === module) {
  writePrebuiltBundle().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
