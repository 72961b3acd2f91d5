/**
 * $DATA_DIR of the embedded default holds the generated secrets, the Temporal dev server's SQLite
 * file (which the server creates world-readable) and the dev outbox: `make run` makes it 0700 and
 * tightens one that exists (src/bin/dev.ts calls ensurePrivateDataDir before anything is written).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePrivateDataDir } from '../src/config/secrets';

const modeOf = (file: string) => statSync(file).mode & 0o777;

let root: string;
let umask: number;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'otp-data-dir-'));
  // The usual umask, under which a plain mkdir gives 0755 and the SQLite file 0644.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

it('creates DATA_DIR (and any missing parent) readable by its owner only', () => {
  const dir = path.join(root, 'nested', 'data');
  ensurePrivateDataDir(dir);
  expect(modeOf(dir)).toBe(0o700);
  expect(modeOf(path.join(root, 'nested'))).toBe(0o700);
});

it('tightens an existing world-readable DATA_DIR to 0700, keeping what is in it', () => {
  const dir = path.join(root, 'data');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  const sqlite = path.join(dir, 'temporal.sqlite');
  writeFileSync(sqlite, 'history', { mode: 0o644 });
  ensurePrivateDataDir(dir);
  expect(modeOf(dir)).toBe(0o700);
  expect(statSync(sqlite).size).toBe('history'.length);
  // Idempotent: a second start leaves it as it is.
  ensurePrivateDataDir(dir);
  expect(modeOf(dir)).toBe(0o700);
});

it('leaves a DATA_DIR that is already private alone (0700 stays 0700, no error)', () => {
  const dir = path.join(root, 'private');
  mkdirSync(dir, { mode: 0o700 });
  expect(() => ensurePrivateDataDir(dir)).not.toThrow();
  expect(modeOf(dir)).toBe(0o700);
});
