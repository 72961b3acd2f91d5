/**
 * Tests that spawn the compiled entry points need `npm run build`'s output — the compiled code and
 * the prebuilt workflow bundle, which must match it. Builds when any output is older than the
 * sources, once at a time across jest workers (a lock directory), since both write dist/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BUNDLE = path.join(ROOT, 'dist/workflow-bundle.js');
const SOURCE_DIRS = ['src', 'workflows', 'activities', 'bench', 'test/support'];
const LOCK = path.join(
  tmpdir(),
  `durable-otp-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`,
);
/** A build takes well under this; an older lock was left by a killed test run. */
const STALE_LOCK_MS = 5 * 60_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function fresh(outputs: string[]): boolean {
  const sources = Math.max(
    fs.statSync(path.join(ROOT, 'package.json')).mtimeMs,
    ...SOURCE_DIRS.map((d) => newestSource(path.join(ROOT, d))),
  );
  return outputs.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs >= sources);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `npm run build` unless `outputs` (paths under the repository) and the bundle are newer than every source. */
export function ensureBuilt(outputs: string[]): void {
  const required = [...outputs.map((f) => path.join(ROOT, f)), BUNDLE];
  if (fresh(required)) return;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (
        Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) >
        STALE_LOCK_MS
      ) {
        fs.rmSync(LOCK, { recursive: true, force: true });
      }
      sleep(500);
    }
  }
  try {
    // Another jest worker may have built while this one waited.
    if (fresh(required)) return;
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    const output = (err as { stdout?: Buffer; stderr?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`npm run build failed: ${(err as Error).message}\n${output}`);
  } finally {
    fs.rmdirSync(LOCK);
  }
  for (const f of required) if (!fs.existsSync(f)) throw new Error(`${f} was not built`);
}
