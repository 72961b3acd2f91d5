/** Formatting of the benchmark's figures: console lines, the machine, the commit, the results file. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Percentiles } from './load';
import type { ProcessFigures } from './proc-stats';

export interface Machine {
  cpus: number;
  model: string;
  memoryGiB: number;
  kernel: string;
  node: string;
}

export function describeMachine(): Machine {
  let model = os.cpus()[0]?.model ?? 'unknown';
  let memoryGiB = os.totalmem() / 1024 ** 3;
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
    const kB = /^MemTotal:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1];
    if (kB) memoryGiB = Number(kB) / 1024 ** 2;
  } catch {
    // Not Linux: os.* figures stand.
  }
  return {
    cpus: os.availableParallelism(),
    model,
    memoryGiB: Math.round(memoryGiB * 10) / 10,
    kernel: os.release(),
    node: process.version,
  };
}

/** The commit measured, with `-dirty` when the work tree has changes. */
export function describeCommit(cwd: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

export const fmt = (n: number | null | undefined, digits = 1): string =>
  n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits);

export const pct = (part: number, whole: number | null | undefined): number | null =>
  whole ? Math.round((part / whole) * 1000) / 10 : null;

export function latency(p: Percentiles | undefined): string {
  return p ? `${fmt(p.p50)}/${fmt(p.p95)}/${fmt(p.p99)}` : 'n/a';
}

export function processLine(figures: Record<string, ProcessFigures>): string {
  return Object.entries(figures)
    .map(([name, f]) => `${name} ${fmt(f.cpuPercent, 0)}% CPU ${fmt(f.rssMiBPeak, 0)} MiB`)
    .join(' · ');
}

/** Writes <dir>/<timestamp>.json (bench/results is ignored by git) and returns its path. */
export function writeResults(dir: string, results: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** A numeric setting from the environment: `fallback` when unset or empty, else within [min, max]. */
export function numberEnv(
  name: string,
  fallback: number,
  min: number,
  max: number,
  { integer = false } = {},
): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}=${raw}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}
