/**
 * CPU time and resident memory of processes, read from /proc (Linux only). A ProcessSampler
 * follows a set of named pids through one phase: CPU% is CPU time over wall time (100% = one
 * core busy), RSS is sampled periodically so that a phase reports its peak as well as its end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * utime + stime of every thread of the process, in seconds; undefined once it has gone. With
 * `reapedChildren`, plus cutime + cstime: the CPU of children it has reaped.
 */
function cpuSeconds(pid: number, reapedChildren = false): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 of the man page are utime, stime, cutime, cstime; fields[0] here is field 3.
    const ticks = Number(fields[11]) + Number(fields[12]);
    const reaped = reapedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return (ticks + reaped) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of a process and all its descendants, for servers that fork a process per
 * connection (PostgreSQL): the living descendants' own time plus what the tree's reaped children
 * used, so a backend that exits between two readings is still counted.
 */
function treeCpuSeconds(pid: number): number | undefined {
  const own = cpuSeconds(pid, true);
  if (own === undefined) return undefined;
  let total = own;
  for (const child of childPids(pid)) total += treeCpuSeconds(child) ?? 0;
  return total;
}

/** VmRSS in bytes; undefined once the process has gone. */
function rssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Direct children of this process (every thread's children, so native spawns are found too). */
export function childPids(pid = process.pid): number[] {
  const found = new Set<number>();
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of text.split(/\s+/)) if (child) found.add(Number(child));
    }
  } catch {
    // No /proc: sampling is simply unavailable.
  }
  return [...found];
}

export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export interface ProcessFigures {
  pid: number;
  /** Mean CPU over the phase, in % of one core. */
  cpuPercent: number | null;
  /** CPU time used during the phase, in ms (all threads; with its descendants for a tree). */
  cpuMs: number | null;
  rssMiBPeak: number | null;
  rssMiBEnd: number | null;
}

const MiB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

export class ProcessSampler {
  private readonly startCpu = new Map<string, number | undefined>();
  private readonly peakRss = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();

  /** `trees`: names whose descendants count too (PostgreSQL's backends). */
  constructor(
    private readonly pids: Record<string, number | undefined>,
    intervalMs = 250,
    private readonly trees: ReadonlySet<string> = new Set(),
  ) {
    for (const [name, pid] of Object.entries(pids)) {
      if (pid !== undefined) this.startCpu.set(name, this.cpuOf(name, pid));
    }
    this.sampleRss();
    this.timer = setInterval(() => this.sampleRss(), intervalMs);
    this.timer.unref();
  }

  private cpuOf(name: string, pid: number): number | undefined {
    return this.trees.has(name) ? treeCpuSeconds(pid) : cpuSeconds(pid);
  }

  private sampleRss(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const rss = pid === undefined ? undefined : rssBytes(pid);
      if (rss !== undefined) this.peakRss.set(name, Math.max(rss, this.peakRss.get(name) ?? 0));
    }
  }

  stop(): Record<string, ProcessFigures> {
    clearInterval(this.timer);
    this.sampleRss();
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const figures: Record<string, ProcessFigures> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      if (pid === undefined) continue;
      const before = this.startCpu.get(name);
      const after = this.cpuOf(name, pid);
      const rssEnd = rssBytes(pid);
      const peak = this.peakRss.get(name);
      const used = before === undefined || after === undefined ? undefined : after - before;
      figures[name] = {
        pid,
        cpuPercent: used === undefined ? null : round1((used / wallSeconds) * 100),
        cpuMs: used === undefined ? null : Math.round(used * 1000),
        rssMiBPeak: peak === undefined ? null : round1(peak / MiB),
        rssMiBEnd: rssEnd === undefined ? null : round1(rssEnd / MiB),
      };
    }
    return figures;
  }
}
