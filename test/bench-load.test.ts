/**
 * The bench's load driver: closed loops, and paced loops (the engine floors run at the product's
 * rate). Run on jest's fake clock, so the counts are exact and no test waits in real time.
 */
import { runClosedLoop, type Flow } from '../bench/load';

/** A flow that takes `ms` on the (fake) clock and records when each one started. */
function flowTaking(ms: number, starts: number[]): Flow {
  return async () => {
    starts.push(performance.now());
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { step: ms };
  };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

async function run(flow: Flow, concurrency: number, seconds: number, rate?: number) {
  const result = runClosedLoop(flow, concurrency, seconds, rate);
  await jest.advanceTimersByTimeAsync(seconds * 1000 + 1_000);
  return result;
}

test('closed loops run flow after flow in every loop until the deadline', async () => {
  const starts: number[] = [];
  const result = await run(flowTaking(100, starts), 4, 1);
  // 4 loops × 10 flows of 100 ms in one second.
  expect(result.flows).toBe(40);
  expect(result.steps.step.count).toBe(40);
  expect(result.errors).toBe(0);
});

test('paced loops start at most `rate` flows a second, evenly spread over the loops', async () => {
  const starts: number[] = [];
  const t0 = performance.now();
  const result = await run(flowTaking(30, starts), 4, 2, 10);
  expect(result.flows).toBe(20);
  expect(result.flowsPerSecond).toBe(10);
  const offsets = starts.map((at) => Math.round(at - t0)).sort((a, b) => a - b);
  expect(offsets).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
});

test('a paced loop that falls behind starts at once and does not catch up in a burst', async () => {
  const starts: number[] = [];
  const t0 = performance.now();
  // One loop asked for 10 flows/s of flows that take 250 ms each: one every 250 ms.
  const result = await run(flowTaking(250, starts), 1, 1, 10);
  expect(result.flows).toBe(4);
  expect(starts.map((at) => Math.round(at - t0))).toEqual([0, 250, 500, 750]);
});

test('a failing flow is counted by its reason and its loop goes on', async () => {
  let calls = 0;
  const flaky: Flow = async () => {
    calls++;
    if (calls % 2) throw new Error('refused');
    await new Promise((resolve) => setTimeout(resolve, 80));
    return {};
  };
  const result = await run(flaky, 1, 1);
  // Each failure waits 20 ms, each success takes 80 ms: 10 of each in a second.
  expect(result).toMatchObject({ flows: 10, errors: 10, errorReasons: { 'Error: refused': 10 } });
});
