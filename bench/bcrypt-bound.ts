/**
 * The bcrypt bound: how many bcrypt operations per second this machine does at a given cost,
 * with enough operations in flight to keep every core busy (the async bcrypt API runs on
 * libuv's threadpool, 4 threads unless UV_THREADPOOL_SIZE says otherwise). Half are hashes,
 * half compares, as in a flow (one hash at send, one compare at verify).
 */
import os from 'node:os';
import bcrypt from 'bcrypt';

export interface BcryptBound {
  rounds: number;
  seconds: number;
  inFlight: number;
  hashesPerSecond: number;
  comparesPerSecond: number;
  opsPerSecond: number;
  /** Two bcrypt operations per flow. */
  flowsPerSecond: number;
  /** One operation on an idle machine, for reading latencies. */
  singleOpMs: number;
  /**
   * CPU time of one operation (this process's CPU over the run ÷ operations), the robust figure:
   * what a flow's hash or compare costs whatever else the machine runs.
   */
  cpuMsPerOp: number;
  /** Two operations per flow. */
  cpuMsPerFlow: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** What a flow hands bcrypt: a string of a base64url HMAC-SHA256 digest's length. */
const BENCH_DIGEST = 'x'.repeat(43);

/** The threads the async bcrypt API runs on: libuv's pool. */
const bcryptThreads = (): number => Number(process.env.UV_THREADPOOL_SIZE) || 4;

export async function measureBcryptBound(rounds: number, seconds: number): Promise<BcryptBound> {
  const inFlight = Math.max(bcryptThreads(), os.availableParallelism()) * 2;
  const hash = await bcrypt.hash(BENCH_DIGEST, rounds);
  const t0 = performance.now();
  await bcrypt.compare(BENCH_DIGEST, hash);
  const singleOpMs = performance.now() - t0;

  let hashes = 0;
  let compares = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  async function loop(doHash: boolean): Promise<void> {
    while (performance.now() < deadline) {
      if (doHash) {
        await bcrypt.hash(BENCH_DIGEST, rounds);
        hashes++;
      } else {
        await bcrypt.compare(BENCH_DIGEST, hash);
        compares++;
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, (_, i) => loop(i % 2 === 0)));
  const elapsed = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerOp = (cpu.user + cpu.system) / 1000 / (hashes + compares);
  const ops = (hashes + compares) / elapsed;
  return {
    rounds,
    seconds: round1(elapsed),
    inFlight,
    hashesPerSecond: round1(hashes / elapsed),
    comparesPerSecond: round1(compares / elapsed),
    opsPerSecond: round1(ops),
    flowsPerSecond: round1(ops / 2),
    singleOpMs: round1(singleOpMs),
    cpuMsPerOp: round1(cpuMsPerOp),
    cpuMsPerFlow: round1(cpuMsPerOp * 2),
  };
}
