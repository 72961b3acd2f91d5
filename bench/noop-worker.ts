/**
 * The engine floor's worker, run as its own process like the session worker: the no-op
 * workflow on its own task queue with the session worker's options (the defaults), so the two
 * differ only in what the workflow does. It registers a no-op activity so that it polls for
 * activities too, as the session worker does.
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 BENCH_NOOP_TASK_QUEUE=bench-noop node dist/bench/noop-worker.js
 */
import { NativeConnection, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.BENCH_NOOP_TASK_QUEUE ?? 'bench-noop';
  if (!address) throw new Error('TEMPORAL_ADDRESS is required');
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    workflowsPath: require.resolve('./noop-workflow'),
    activities: { noopActivity: async () => 'noop' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
