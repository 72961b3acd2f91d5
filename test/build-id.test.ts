/**
 * The default build id (SPEC §10) is derived from the code of the workflows and of the
 * activities: copies of one `npm run build` agree on it, and it changes when the workflow bundle,
 * a module of activities/ (even one activities/index does not load) or a module they load
 * changes — not when code they never run does. WORKER_BUILD_ID overrides it.
 */
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { activityCode } from '../src/temporal/workflow-bundle';
import { ensureBuilt } from './support/build';
import { copyBuild, type Build } from './support/worker-build';

let original: Build;
let reference: string;

beforeAll(async () => {
  ensureBuilt(['dist/src/bin/deploy.js']);
  original = await copyBuild();
  reference = original.buildId();
}, 300_000);

afterAll(() => original?.remove());

/** The build id of a fresh copy of dist/ after `change` edited it. */
async function idAfter(change: (dist: string) => void): Promise<string> {
  const build = await copyBuild();
  try {
    change(build.dist);
    return build.buildId();
  } finally {
    build.remove();
  }
}

/** A module of this project under `dir` that the activities load (its compiled name). */
function activityModuleUnder(dir: string): string {
  const module = activityCode().find((line) => line.startsWith(dir));
  if (!module) throw new Error(`the activities load nothing from ${dir}`);
  return module.split(' ')[0].replace(/\.ts$/, '.js');
}

const touch = (dist: string, file: string) => {
  const full = path.join(dist, file);
  if (!existsSync(full)) throw new Error(`${file} is not in dist/`);
  appendFileSync(full, '\n// changed\n');
};

test('is the package version and 12 hex digits, the same for every copy of one build', async () => {
  expect(reference).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
  await expect(idAfter(() => {})).resolves.toBe(reference);
});

test.each([
  ['the workflow bundle', 'workflow-bundle.js'],
  ['the activities', 'activities/index.js'],
  ['a sender the worker builds apart from activities/index', 'activities/email.js'],
  ['a module the activities load from src/', activityModuleUnder('src/')],
  ['a module the activities load from workflows/', activityModuleUnder('workflows/')],
])('changes with %s (%s)', async (_, file) => {
  await expect(idAfter((dist) => touch(dist, file))).resolves.not.toBe(reference);
});

test('stays when only code the workers never run changes (the API’s listing)', async () => {
  await expect(idAfter((dist) => touch(dist, 'src/sessions/listing.js'))).resolves.toBe(reference);
});

test('is WORKER_BUILD_ID when that is set', () => {
  expect(original.buildId({ WORKER_BUILD_ID: 'release-2026-12-07' })).toBe('release-2026-12-07');
});
