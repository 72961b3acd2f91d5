/**
 * CPU time per flow, the robust figure on a shared machine (throughput swings ±15 % from run to
 * run; the CPU a flow costs does not): per process, for the product's flows and for the engine
 * floor, and the product's own overhead on top of what the engine and bcrypt cost anyway.
 *
 *   overhead = product CPU/flow − (floor CPU/flow + bcrypt CPU/flow)
 *
 * Pure arithmetic on the sampler's figures, so it is unit-tested (test/bench-cpu-budget.test.ts).
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

export interface Overhead {
  productMs: number;
  floorMs: number;
  bcryptMs: number;
  /** What engine and bcrypt cost a flow together: floor + bcrypt. */
  boundMs: number;
  /** product − bound, ms per flow (negative when the product does better than the sum). */
  overheadMs: number;
  /** overhead as % of bound. */
  overheadPercent: number;
}

/** The product's own CPU per flow beyond the engine floor's and bcrypt's; null when a figure is missing. */
export function productOverhead(
  productMs: number | null | undefined,
  floorMs: number | null | undefined,
  bcryptMs: number | null | undefined,
): Overhead | null {
  if ([productMs, floorMs, bcryptMs].some((n) => n === null || n === undefined || !Number.isFinite(n)))
    return null;
  const boundMs = floorMs! + bcryptMs!;
  if (!(boundMs > 0)) return null;
  const overheadMs = productMs! - boundMs;
  return {
    productMs: round1(productMs!),
    floorMs: round1(floorMs!),
    bcryptMs: round1(bcryptMs!),
    boundMs: round1(boundMs),
    overheadMs: round1(overheadMs),
    overheadPercent: round1((overheadMs / boundMs) * 100),
  };
}

/** The goal of issue 15: the product's overhead at most this % of floor + bcrypt. */
export const OVERHEAD_GOAL_PERCENT = 10;

/**
 * What the shape of a session costs before any work of the product's own: the shaped floor plus
 * bcrypt against the plain floor plus bcrypt, and the ms per flow the goal still leaves the
 * product's own work over the shaped floor (negative: no product of this shape can meet it).
 */
export function shapeCost(
  shapedFloorMs: number | null | undefined,
  floorMs: number | null | undefined,
  bcryptMs: number | null | undefined,
): (Overhead & { roomMs: number }) | null {
  if (shapedFloorMs === null || shapedFloorMs === undefined || bcryptMs === null || bcryptMs === undefined)
    return null;
  const shape = productOverhead(shapedFloorMs + bcryptMs, floorMs, bcryptMs);
  if (!shape) return null;
  const goalMs = ((floorMs! + bcryptMs) * OVERHEAD_GOAL_PERCENT) / 100;
  return { ...shape, roomMs: round1(goalMs - (shapedFloorMs - floorMs!)) };
}

/** e.g. `171.2 (api 12.3 · worker 121.0 · temporal 37.9)` */
export function cpuLine(cpu: CpuPerFlow | null): string {
  if (!cpu) return 'n/a';
  const parts = Object.entries(cpu.processes).map(([name, ms]) => `${name} ${ms.toFixed(1)}`);
  return `${cpu.total.toFixed(1)} (${parts.join(' · ')})`;
}
