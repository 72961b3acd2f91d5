/**
 * The bench's load driver, closed loops. Run on jest's fake clock, so the counts are exact and no
 * test waits in real time.
 */
import { runClosedLoop, type Flow } from '../bench/load';

/** A flow that takes `ms` on the (fake) clock. */
function flowTaking(ms: number): Flow {
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { step: ms };
  };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

async function run(flow: Flow, concurrency: number, seconds: number) {
  const result = runClosedLoop(flow, concurrency, seconds);
  await jest.advanceTimersByTimeAsync(seconds * 1000 + 1_000);
  return result;
}

test('closed loops run flow after flow in every loop until the deadline', async () => {
  const result = await run(flowTaking(100), 4, 1);
  // 4 loops × 10 flows of 100 ms in one second.
  expect(result.flows).toBe(40);
  expect(result.steps.step.count).toBe(40);
  expect(result.errors).toBe(0);
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
