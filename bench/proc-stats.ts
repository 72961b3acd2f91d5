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

/** utime + stime of every thread of the process, in seconds; undefined once it has gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of the man page are utime and stime; fields[0] here is field 3.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** VmRSS in bytes; undefined once the process has gone. */
export function rssBytes(pid: number): number | undefined {
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

  constructor(
    private readonly pids: Record<string, number | undefined>,
    intervalMs = 250,
  ) {
    for (const [name, pid] of Object.entries(pids)) {
      if (pid !== undefined) this.startCpu.set(name, cpuSeconds(pid));
    }
    this.sampleRss();
    this.timer = setInterval(() => this.sampleRss(), intervalMs);
    this.timer.unref();
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
      const after = cpuSeconds(pid);
      const rssEnd = rssBytes(pid);
      const peak = this.peakRss.get(name);
      figures[name] = {
        pid,
        cpuPercent:
          before === undefined || after === undefined ? null : round1(((after - before) / wallSeconds) * 100),
        rssMiBPeak: peak === undefined ? null : round1(peak / MiB),
        rssMiBEnd: rssEnd === undefined ? null : round1(rssEnd / MiB),
      };
    }
    return figures;
  }
}
