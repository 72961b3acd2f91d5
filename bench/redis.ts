/**
 * The credit store of the live flows and of the debit microbenchmark: a throwaway redis-server
 * (Debian's binary, as the tests use) on 127.0.0.1 and a free port, without persistence.
 */
import { spawn } from 'node:child_process';
import { freePort } from './stack';

export interface BenchRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Undefined when there is no redis-server to run (the phases that need it are skipped). */
export async function startBenchRedis(): Promise<BenchRedis | undefined> {
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  let output = '';
  const ready = await new Promise<boolean>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' ? resolve(false) : reject(err),
    );
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve(true);
    });
  });
  if (!ready) return undefined;
  server.stdout.resume();
  server.stderr.resume();
  process.once('exit', () => server.kill('SIGKILL'));
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: server.pid!,
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill('SIGTERM');
      await exited;
    },
  };
}
