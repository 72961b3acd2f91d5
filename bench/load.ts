/**
 * A closed-loop load driver: `concurrency` loops each run one flow after another until the
 * deadline, so at most `concurrency` flows are ever in flight. A flow reports the latency of
 * each of its steps; a failed flow is counted by reason and the loop goes on.
 */

export interface StepTimings {
  /** Milliseconds per named step, e.g. { send: 41.2, verify: 30.8 }. */
  [step: string]: number;
}

/** One flow. Throws FlowError (or anything) on failure; resolves with its step timings. */
export type Flow = (flowIndex: number) => Promise<StepTimings>;

export class FlowError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface LoadResult {
  concurrency: number;
  seconds: number;
  flows: number;
  flowsPerSecond: number;
  errors: number;
  errorReasons: Record<string, number>;
  steps: Record<string, Percentiles>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Nearest-rank percentiles, in ms with two decimals. */
export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) =>
    round2(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
  return {
    count: sorted.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: round2(sorted[sorted.length - 1]),
  };
}

export function reasonOf(err: unknown): string {
  if (err instanceof FlowError) return err.reason;
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string } }).cause;
    return `${err.name}${cause?.code ? ` ${cause.code}` : ''}: ${err.message}`.slice(0, 160);
  }
  return String(err).slice(0, 160);
}

let nextFlowIndex = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `flow` in `concurrency` loops for `seconds`. Flows still in flight at the deadline are
 * awaited (the run may end a little later) but a flow counts only if it started before it.
 *
 * With `ratePerSecond`, the loops are paced: together they start at most that many flows a
 * second, evenly spread (each loop waits for its next slot; a late loop starts at once and does
 * not catch up). The engine floors run so at the product's rate, since what a flow costs the
 * engine depends on how many arrive together (bench/RESULTS.md, "Follow-up 4").
 */
export async function runClosedLoop(
  flow: Flow,
  concurrency: number,
  seconds: number,
  ratePerSecond?: number,
): Promise<LoadResult> {
  const samples: Record<string, number[]> = {};
  const errorReasons: Record<string, number> = {};
  let flows = 0;
  let errors = 0;
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;

  const periodMs = ratePerSecond ? (concurrency * 1000) / ratePerSecond : 0;

  async function loop(loopIndex: number): Promise<void> {
    let slot = startedAt + (periodMs / concurrency) * loopIndex;
    for (;;) {
      if (periodMs) {
        // The run lasts its `seconds` even when the last slot is earlier, so its rate is the pace.
        const wait = Math.min(slot, deadline) - performance.now();
        if (wait > 0) await sleep(wait);
        if (slot >= deadline) return;
        slot = Math.max(slot, performance.now()) + periodMs;
      }
      if (performance.now() >= deadline) return;
      try {
        const timings = await flow(nextFlowIndex++);
        flows++;
        for (const [step, ms] of Object.entries(timings)) (samples[step] ??= []).push(ms);
      } catch (err) {
        errors++;
        const reason = reasonOf(err);
        errorReasons[reason] = (errorReasons[reason] ?? 0) + 1;
        // A failing target must not become a busy loop.
        await sleep(20);
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
  const elapsed = (performance.now() - startedAt) / 1000;
  return {
    concurrency,
    seconds: round2(elapsed),
    flows,
    flowsPerSecond: round2(flows / elapsed),
    errors,
    errorReasons,
    steps: Object.fromEntries(Object.entries(samples).map(([step, values]) => [step, percentiles(values)])),
  };
}

/** Runs `task` for each of `count` indexes with at most `concurrency` in flight, until `stop()`. */
export async function runBounded(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
  onProgress?: (done: number) => void,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  let done = 0;
  async function loop(): Promise<void> {
    while (next < count && !stop()) {
      const index = next++;
      await task(index);
      done++;
      onProgress?.(done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
}

/** Times one awaited step in ms. */
export async function timed<T>(step: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await step();
  return [value, performance.now() - t0];
}
