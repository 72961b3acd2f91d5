/**
 * Where a process's CPU went, from `node --cpu-prof` profiles (BENCH_CPU_PROF_DIR=<dir> npm run
 * bench writes them): self time by package and by function, top first, in ms and in % of the
 * profile's samples.
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile | dir> [top=15] [flows]
 *
 * With `flows` (the flows the profiled process served) it also prints ms per flow. A directory
 * merges every profile in it (e.g. both workers of a cluster).
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The package a script belongs to: node_modules/<pkg>, node's own, or this product's folder. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const match = /\/dist\/([^/]+)\//.exec(url) ?? /\/(src|activities|workflows|bench)\//.exec(url);
  if (match) return `product:${match[1]}`;
  // The workflow bundle is evaluated in a vm context under its own name.
  if (/workflow-bundle|^\/?(webpack|workflow)/.test(url)) return 'workflow-bundle';
  return url.length > 60 ? `…${url.slice(-60)}` : url;
}

/** Self time in ms per node id, from the sample stream (a sample's time is the delta that follows it). */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const byNode = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    byNode.set(profile.samples[i], (byNode.get(profile.samples[i]) ?? 0) + delta);
  }
  return byNode;
}

export interface ProfileSummary {
  totalMs: number;
  byPackage: [string, number][];
  byFunction: [string, number][];
}

export function summarise(profiles: CpuProfile[]): ProfileSummary {
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const [id, ms] of selfTimes(profile)) {
      const frame = nodes.get(id)!.callFrame;
      // Idle time is the event loop waiting, not CPU.
      if (frame.functionName === '(idle)') continue;
      totalMs += ms;
      const pkg = packageOf(frame.url, frame.functionName);
      packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
      const file = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
      const key = `${frame.functionName || '(anonymous)'} ${file} [${pkg}]`;
      functions.set(key, (functions.get(key) ?? 0) + ms);
    }
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { totalMs, byPackage: sorted(packages), byFunction: sorted(functions) };
}

function main(): void {
  const [target, topArg, flowsArg] = process.argv.slice(2);
  if (!target) throw new Error('usage: profile-summary <file.cpuprofile | dir> [top] [flows]');
  const files = fs.statSync(target).isDirectory()
    ? fs
        .readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(target, f))
    : [target];
  const top = Number(topArg ?? 15);
  const flows = flowsArg ? Number(flowsArg) : undefined;
  const summary = summarise(files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as CpuProfile));
  const line = ([name, ms]: [string, number]) =>
    `  ${ms.toFixed(0).padStart(7)} ms ${((ms / summary.totalMs) * 100).toFixed(1).padStart(5)}%` +
    `${flows ? ` ${(ms / flows).toFixed(2).padStart(7)} ms/flow` : ''}  ${name}`;
  console.log(
    `${files.length} profile(s), ${summary.totalMs.toFixed(0)} ms on CPU (JS thread)` +
      (flows ? `, ${(summary.totalMs / flows).toFixed(2)} ms/flow over ${flows} flows` : ''),
  );
  console.log('by package (self time):');
  summary.byPackage.slice(0, top).forEach((e) => console.log(line(e)));
  console.log('by function (self time):');
  summary.byFunction.slice(0, top).forEach((e) => console.log(line(e)));
}

if (require.main === module) main();
