/**
 * Tests that run compiled code in child processes (the bench, the crash test's worker) build
 * dist/ first when it is missing or older than the sources, so `make test` works on a fresh
 * clone. Two jest workers may ask at once: a lock directory lets one of them build while the
 * other waits, then finds dist fresh.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const SOURCES = ['src', 'workflows', 'activities', 'bench', 'test/support'];
const LOCK = path.join(ROOT, 'dist', '.build-lock');
const STALE_LOCK_MS = 180_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function isFresh(compiled: string[]): boolean {
  const sources = Math.max(...SOURCES.map((d) => newestSource(path.join(ROOT, d))));
  return compiled.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs >= sources);
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds dist/ unless every one of `outputs` (paths relative to the repository) is newer than the sources. */
export function ensureBuilt(outputs: string[]): void {
  const compiled = outputs.map((f) => path.join(ROOT, f));
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    if (isFresh(compiled)) return;
    try {
      fs.mkdirSync(LOCK);
    } catch {
      // Another process builds: wait for it (or for its lock to go stale), then look again.
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true });
      } catch {
        // released meanwhile
      }
      sleepSync(500);
      continue;
    }
    try {
      execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch {
      // Type errors are the typecheck step's to report; tsc still emits, and a missing file fails below.
    } finally {
      fs.rmSync(LOCK, { recursive: true, force: true });
    }
    for (const f of compiled) if (!fs.existsSync(f)) throw new Error(`${f} was not built`);
    return;
  }
}
