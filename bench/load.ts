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
function percentiles(samples: number[]): Percentiles {
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

function reasonOf(err: unknown): string {
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
 */
export async function runClosedLoop(flow: Flow, concurrency: number, seconds: number): Promise<LoadResult> {
  const samples: Record<string, number[]> = {};
  const errorReasons: Record<string, number> = {};
  let flows = 0;
  let errors = 0;
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;

  async function loop(): Promise<void> {
    while (performance.now() < deadline) {
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

  await Promise.all(Array.from({ length: concurrency }, loop));
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

/** Times one awaited step in ms. */
export async function timed<T>(step: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await step();
  return [value, performance.now() - t0];
}
