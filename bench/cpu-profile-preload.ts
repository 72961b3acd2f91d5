/**
 * Loaded with `NODE_OPTIONS=--require …/cpu-profile-preload.js` (node refuses --cpu-prof there):
 * profiles the process's main thread like `node --cpu-prof`, but only between two SIGUSR2s, so a
 * profile holds the load the bench measured and not the start-up. Each stop writes
 * $BENCH_CPU_PROF_OUT/<script>-<pid>-<n>.cpuprofile. This lets the product's processes be
 * profiled however they are started (the bench's own stack, scripts/cluster.sh). Processes
 * without a script (`node -e`) are left alone.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const out = process.env.BENCH_CPU_PROF_OUT;
const script = process.argv[1];
if (out && script) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  let running = false;
  let written = 0;
  // A same-thread inspector session answers synchronously, so a stop completes inside 'exit' too.
  const stop = () => {
    running = false;
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      fs.mkdirSync(out, { recursive: true });
      const name = `${path.basename(script, '.js')}-${process.pid}-${++written}.cpuprofile`;
      fs.writeFileSync(path.join(out, name), JSON.stringify(result.profile));
    });
  };
  process.on('SIGUSR2', () => {
    if (running) return stop();
    running = true;
    session.post('Profiler.start');
  });
  process.once('exit', () => running && stop());
}
