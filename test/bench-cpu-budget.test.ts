/** The bench's CPU-per-flow arithmetic (issue 15): per process, totals, and the product's overhead. */
import { cpuLine, cpuPerFlow, productOverhead, shapeCost } from '../bench/cpu-budget';

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

describe('productOverhead', () => {
  it('is product − (floor + bcrypt), in ms and in % of floor + bcrypt', () => {
    expect(productOverhead(170, 40, 95)).toEqual({
      productMs: 170,
      floorMs: 40,
      bcryptMs: 95,
      boundMs: 135,
      overheadMs: 35,
      overheadPercent: 25.9,
    });
  });

  it('goes negative when the product costs less than the sum', () => {
    expect(productOverhead(130, 40, 95)).toMatchObject({ overheadMs: -5, overheadPercent: -3.7 });
  });

  it('is unknown when a figure is missing', () => {
    expect(productOverhead(170, null, 95)).toBeNull();
    expect(productOverhead(undefined, 40, 95)).toBeNull();
    expect(productOverhead(170, 0, 0)).toBeNull();
  });
});

describe('shapeCost', () => {
  it("is the shaped floor + bcrypt over floor + bcrypt, and the ms the 10 % goal leaves the product's own work", () => {
    expect(shapeCost(45, 40, 60)).toEqual({
      productMs: 105,
      floorMs: 40,
      bcryptMs: 60,
      boundMs: 100,
      overheadMs: 5,
      overheadPercent: 5,
      roomMs: 5,
    });
    // A shape that costs more than the goal allows leaves no room: no product of it can meet it.
    expect(shapeCost(55, 40, 60)).toMatchObject({ overheadPercent: 15, roomMs: -5 });
  });

  it('is unknown when a figure is missing', () => {
    expect(shapeCost(null, 40, 60)).toBeNull();
    expect(shapeCost(45, undefined, 60)).toBeNull();
    expect(shapeCost(45, 40, null)).toBeNull();
  });
});
