/**
 * The session workflows as prebuilt bundles. `npm run build` runs this file after tsc and writes
 * two, so a production worker starts without webpack and every worker of one image runs
 * byte-identical workflow code: dist/workflow-bundle.js, with the OpenTelemetry workflow
 * interceptors (for workers that trace), and dist/workflow-bundle-untraced.js, the same workflow
 * code without them (for workers that do not: with tracing off the interceptors still made, and
 * threw away, a span per handler and activity call — about 10–15 ms of worker CPU per send →
 * verify flow, bench/RESULTS.md). Histories replay with both (test/replay.test.ts), so a
 * session may move between workers of one build that trace and workers that do not.
 *
 * The build id (SPEC §10) defaults to the package version plus a hash of the workflow code (the
 * traced bundle, for workers running either: both come from one build of the same code) and of
 * the activities' code: every module of this project that activities/ loads, and the name and
 * version of every package they reach. It changes when either changes, and a new build id is a
 * new Worker Deployment version, which sessions already open never move to.
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
/** The activities' entry module; what it loads is part of the build id. */
export const ACTIVITIES_PATH = require.resolve('../../activities');
/** The root the build id's file names are relative to: the repository, or dist/ when compiled. */
const CODE_ROOT = path.resolve(__dirname, '../..');

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
  /** `<package version>+<sha256 of the workflow bundle and the activities' code, 12 hex>` */
  defaultBuildId: string;
}

export interface BundleOptions {
  /** With the OpenTelemetry workflow interceptors (default), for a worker that traces. */
  tracing?: boolean;
  /** The workflows' entry module; default WORKFLOWS_PATH. */
  workflowsPath?: string;
}

export async function bundleSessionWorkflows(
  logger: Logger = Runtime.instance().logger,
  { tracing = true, workflowsPath = WORKFLOWS_PATH }: BundleOptions = {},
): Promise<string> {
  // The sandbox converts its failures itself: the product's failure converter must be in the bundle.
  return (
    await bundleWorkflowCode({
      workflowsPath,
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

function buildIdOf(workflowCode: string): string {
  const hash = createHash('sha256').update(workflowCode).update(activityCodeDigest()).digest('hex');
  return `${version}+${hash.slice(0, 12)}`;
}

/**
 * What the activities run, one line per module, sorted: every module of the activities/ directory
 * (the senders too, which the worker builds apart from activities/index) and everything they load
 * (a walk of the module cache: the worker has loaded them already) — each of this project's
 * modules as `<path under CODE_ROOT> <sha256 of its content>`, each package of node_modules
 * reached as `<name>@<version>` (from its package.json; its files are not read).
 */
export function activityCode(dir = path.dirname(ACTIVITIES_PATH)): string[] {
  const extension = path.extname(ACTIVITIES_PATH); // .js compiled, .ts under ts-jest
  const entries = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension) && !file.endsWith(`.d${extension}`))
    .map((file) => path.join(dir, file));
  const lines = new Set<string>();
  const seen = new Set<string>();
  const walk = (module: NodeJS.Module) => {
    if (seen.has(module.filename)) return;
    seen.add(module.filename);
    const pkg = packageOf(module.filename);
    lines.add(
      pkg ??
        `${path.relative(CODE_ROOT, module.filename)} ${createHash('sha256').update(fs.readFileSync(module.filename)).digest('hex')}`,
    );
    for (const child of module.children ?? []) walk(child);
  };
  for (const entry of entries) {
    require(entry); // eslint-disable-line @typescript-eslint/no-require-imports -- loaded already in a worker
    const module = require.cache[entry];
    if (!module) throw new Error(`${entry} is not in the module cache`);
    walk(module);
  }
  return [...lines].sort();
}

/** sha256 (hex) of activityCode(), once per process: the code it has loaded does not change. */
export function activityCodeDigest(dir = path.dirname(ACTIVITIES_PATH)): string {
  let digest = digests.get(dir);
  if (!digest) {
    digest = createHash('sha256').update(activityCode(dir).join('\n')).digest('hex');
    digests.set(dir, digest);
  }
  return digest;
}

const digests = new Map<string, string>();

const packages = new Map<string, string>();

/** `name@version` of the node_modules package a file belongs to; undefined for this project's own. */
function packageOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const dir = parts.slice(0, at + (parts[at + 1]?.startsWith('@') ? 3 : 2)).join(path.sep);
  let name = packages.get(dir);
  if (!name) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
    };
    name = `${manifest.name ?? path.basename(dir)}@${manifest.version ?? '?'}`;
    packages.set(dir, name);
  }
  return name;
}

async function writePrebuiltBundle(): Promise<void> {
  if (!PREBUILT_BUNDLE_PATH)
    throw new Error('run the compiled file: node dist/src/temporal/workflow-bundle.js');
  const logger = new DefaultLogger('WARN');
  const untraced = untracedBundlePath(PREBUILT_BUNDLE_PATH);
  fs.writeFileSync(PREBUILT_BUNDLE_PATH, await bundleSessionWorkflows(logger, { tracing: true }));
  fs.writeFileSync(untraced, await bundleSessionWorkflows(logger, { tracing: false }));
  const shown = [PREBUILT_BUNDLE_PATH, untraced].map((file) => path.relative(process.cwd(), file));
  const { defaultBuildId } = await loadSessionWorkflowCode(PREBUILT_BUNDLE_PATH);
  console.log(`workflow bundles: ${shown.join(', ')}; build id ${defaultBuildId}`);
}

if (require.main === module) {
  writePrebuiltBundle().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
