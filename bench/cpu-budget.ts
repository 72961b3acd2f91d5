/**
 * CPU ms per flow by process: the figure to compare builds by on a shared machine, where
 * throughput swings ±15 % from run to run and the CPU a flow costs swings much less. Pure
 * arithmetic on the sampler's figures (test/bench-cpu-budget.test.ts).
 */

/** CPU ms a process used during a phase (the `cpuMs` of ProcessFigures). */
export type PhaseCpu = Record<string, { cpuMs: number | null } | undefined>;

export interface CpuPerFlow {
  /** ms per flow of each counted process, rounded to 0.1 ms. */
  processes: Record<string, number>;
  /** Their sum, rounded to 0.1 ms. */
  total: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * CPU ms per flow of each process in `phase` but those `excluded` (the load generator of the
 * product's flows); null when no flow ran or a counted process could not be read.
 */
export function cpuPerFlow(
  phase: PhaseCpu,
  flows: number,
  excluded: readonly string[] = [],
): CpuPerFlow | null {
  if (!(flows > 0)) return null;
  const processes: Record<string, number> = {};
  let total = 0;
  for (const [name, figures] of Object.entries(phase)) {
    if (excluded.includes(name) || figures === undefined) continue;
    if (figures.cpuMs === null || !Number.isFinite(figures.cpuMs)) return null;
    const perFlow = figures.cpuMs / flows;
    processes[name] = round1(perFlow);
    total += perFlow;
  }
  return { processes, total: round1(total) };
}

/** e.g. `171.2 (api 12.3 · worker 121.0 · temporal 37.9)` */
export function cpuLine(cpu: CpuPerFlow | null): string {
  if (!cpu) return 'n/a';
  const parts = Object.entries(cpu.processes).map(([name, ms]) => `${name} ${ms.toFixed(1)}`);
  return `${cpu.total.toFixed(1)} (${parts.join(' · ')})`;
}
