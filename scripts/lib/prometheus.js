/**
 * A throwaway Prometheus server on 127.0.0.1 for the operations checks: it scrapes the given
 * /metrics URLs (static targets, short interval), optionally evaluates rule files, keeps its data
 * in a temporary directory, and answers the HTTP query API. The executable comes from the
 * per-machine cache of scripts/prometheus-toolchain.sh (never built from here). Used by
 * test/cluster/observability.test.ts and scripts/plot-metrics.js.
 */
/* global fetch, URL, setTimeout, clearTimeout -- Node 20's built-ins */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const ROOT = path.resolve(__dirname, '..', '..');

/** The cached prometheus executable (PROMETHEUS_PATH overrides); throws saying how to get one. */
function prometheusPath() {
  const found = spawnSync(path.join(ROOT, 'scripts/prometheus-toolchain.sh'), ['--cached', 'prometheus'], {
    encoding: 'utf8',
  });
  if (found.status !== 0) throw new Error(`no Prometheus executable: ${found.stderr.trim()}`);
  return found.stdout.trim();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** { job: [url, …] } as scrape configs: one per job and metrics path. */
function scrapeConfigs(targets) {
  const configs = [];
  for (const [job, urls] of Object.entries(targets)) {
    const byPath = new Map();
    for (const url of urls) {
      const { host, pathname, protocol } = new URL(url);
      if (protocol !== 'http:') throw new Error(`${url}: only http:// targets`);
      byPath.set(pathname, [...(byPath.get(pathname) ?? []), host]);
    }
    for (const [metricsPath, hosts] of byPath) {
      configs.push({ job_name: job, metrics_path: metricsPath, static_configs: [{ targets: hosts }] });
    }
  }
  return configs;
}

/**
 * @param {{ targets: Record<string, string[]>, ruleFiles?: string[], scrapeInterval?: string,
 *           dir?: string, readyTimeoutMs?: number }} options
 */
async function startPrometheus({
  targets,
  ruleFiles = [],
  scrapeInterval = '1s',
  dir,
  readyTimeoutMs = 30_000,
}) {
  const executable = prometheusPath();
  const home = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'otp-prometheus-'));
  fs.mkdirSync(home, { recursive: true });
  const config = {
    global: {
      scrape_interval: scrapeInterval,
      scrape_timeout: scrapeInterval,
      evaluation_interval: scrapeInterval,
    },
    rule_files: ruleFiles.map((file) => path.resolve(file)),
    scrape_configs: scrapeConfigs(targets),
  };
  // JSON is YAML: no YAML writer needed.
  const configFile = path.join(home, 'prometheus.yml');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(home, 'prometheus.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    executable,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(home, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  let exited = null;
  const exit = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve((exited = { code, signal }))),
  );

  const get = async (apiPath) => {
    const response = await fetch(`${url}${apiPath}`);
    const body = await response.json();
    if (body.status !== 'success') throw new Error(`${apiPath}: ${body.errorType}: ${body.error}`);
    return body.data;
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(
        `prometheus exited (${JSON.stringify(exited)}): ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
      );
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`prometheus not ready in ${readyTimeoutMs} ms (log: ${logFile})`);
    }
    await sleep(200);
  }

  return {
    url,
    dir: home,
    logFile,
    /** Instant query: the result vector (or scalar) of `expr`, at `time` (unix seconds) or now. */
    query: (expr, time) =>
      get(`/api/v1/query?query=${encodeURIComponent(expr)}${time === undefined ? '' : `&time=${time}`}`),
    /** Range query: one matrix of `expr` from `start` to `end` (unix seconds) every `step` seconds. */
    queryRange: (expr, start, end, step) =>
      get(`/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${start}&end=${end}&step=${step}`),
    /** The scrape targets with their health ("up", "down", "unknown") and last error. */
    targets: async () => (await get('/api/v1/targets')).activeTargets,
    /** Rule groups as Prometheus loaded and evaluates them (health, lastError per rule). */
    rules: async () => (await get('/api/v1/rules')).groups,
    /** Resolves once every target has been scraped successfully. */
    async waitForTargetsUp(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const active = await this.targets();
        if (active.length > 0 && active.every((t) => t.health === 'up')) return active;
        if (Date.now() > until) {
          throw new Error(
            `targets not up: ${active.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`).join('; ')}`,
          );
        }
        await sleep(250);
      }
    },
    running: () => exited === null,
    /** SIGTERM (SIGKILL after 10 s); removes the data directory unless `keep`. */
    async stop({ keep = false } = {}) {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      if (!keep && !dir) fs.rmSync(home, { recursive: true, force: true });
      return exited;
    },
  };
}

module.exports = { startPrometheus, prometheusPath };
