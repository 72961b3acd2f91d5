/**
 * Tests that run the product's compiled entry points (bench, worker process) build first when
 * dist/ is older than the sources. Test files run two at a time: a lock directory keeps two
 * builds from writing dist/ at once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const COMPILED = ['dist/bench/run.js', 'dist/bench/noop-worker.js', 'dist/src/worker.js', 'dist/src/api.js'];
const LOCK = path.join(ROOT, 'dist/.build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  const sources = Math.max(
    ...['src', 'workflows', 'activities', 'bench'].map((d) => newestSource(path.join(ROOT, d))),
  );
  return COMPILED.every(
    (f) => fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).mtimeMs >= sources,
  );
}

export async function ensureBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (const deadline = Date.now() + 120_000; ;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (fresh()) return;
    try {
      execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch {
      // Type errors are the typecheck step's to report; tsc still emits, and a missing file fails below.
    }
    for (const f of COMPILED) if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} was not built`);
  } finally {
    fs.rmdirSync(LOCK);
  }
}
