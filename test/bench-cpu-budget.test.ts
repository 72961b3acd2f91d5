/** The bench's CPU-per-flow arithmetic: per process and in total, the load generator left out. */
import { cpuLine, cpuPerFlow } from '../bench/cpu-budget';

describe('cpuPerFlow', () => {
  it('divides each process CPU by the flows, leaving out the load generator', () => {
    const perFlow = cpuPerFlow(
      {
        api: { cpuMs: 1_000 },
        worker: { cpuMs: 12_000 },
        temporal: { cpuMs: 3_999 },
        bench: { cpuMs: 5_000 },
      },
      100,
      ['bench'],
    );
    expect(perFlow).toEqual({ processes: { api: 10, worker: 120, temporal: 40 }, total: 170 });
    expect(cpuLine(perFlow)).toBe('170.0 (api 10.0 · worker 120.0 · temporal 40.0)');
  });

  it('is unknown without flows or when a counted process could not be read', () => {
    expect(cpuPerFlow({ api: { cpuMs: 10 } }, 0)).toBeNull();
    expect(cpuPerFlow({ api: { cpuMs: null }, worker: { cpuMs: 5 } }, 10)).toBeNull();
    expect(cpuPerFlow({ bench: { cpuMs: null }, worker: { cpuMs: 5 } }, 10, ['bench'])).toEqual({
      processes: { worker: 0.5 },
      total: 0.5,
    });
    expect(cpuLine(null)).toBe('n/a');
  });
});
