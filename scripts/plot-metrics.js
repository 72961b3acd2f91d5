#!/usr/bin/env node
/**
 * Docs helper (not a test): the README's metrics figure, from a real Prometheus. It starts
 * scripts/cluster.sh (PostgreSQL, the Temporal server, Redis, two workers, the API) in a temporary
 * state directory with a tenant of its own and a local SMTP server, starts Prometheus
 * (scripts/lib/prometheus.js, scraping the API and both workers every second), drives a bounded
 * load over HTTP, then asks Prometheus (`/api/v1/query_range`) for every query of the Grafana
 * dashboard (deploy/grafana/dashboards/durable-otp.json) over the load, with a 15 s rate window
 * instead of the dashboard's 5 minutes, and draws them. A `.png` output is rendered in headless
 * Chromium (apt-get install -y chromium; CHROMIUM_PATH overrides /usr/bin/chromium).
 *
 *   node scripts/plot-metrics.js [seconds=60] [out.png|out.html]
 *
 * Needs `make build` and the cluster's and Prometheus's toolchains (`make test-deps`). With
 * CLUSTER_ENV=<CLUSTER_DIR/run/cluster.env> and OTP_KEY=<sk_test_ key> it uses a running
 * `make cluster` instead (sandbox flows only, its tenants' limits).
 *
 * The load: 4 flows in flight, 120 addresses. Each flow sends (1 in 4 live email, the rest
 * sandbox), verifies with a wrong code first 1 time in 4, resends 1 time in 5, and verifies with
 * the right code 6 times in 7. The tenant allows 5 sends per address per 10 minutes (SPEC §5's
 * default), so the addresses run out as the load goes on and the refusals climb. The SMTP server
 * defers 1 message in 10, and refuses one as a bad login would a third of the way in.
 */
/* global fetch, setTimeout, clearTimeout -- Node 20's built-ins */
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { startPrometheus } = require('./lib/prometheus');

const ROOT = path.resolve(__dirname, '..');
const [seconds = '60', out = 'metrics.png'] = process.argv.slice(2);
const WINDOW = '15s';
const STEP = 2;
const CONCURRENCY = 4;
const ADDRESSES = 120;

const readEnv = (file) =>
  Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

/**
 * A local SMTP server that keeps the codes by recipient. Like a real relay now and then, it
 * defers 1 message in 10 (451: the worker retries it) and, once `refuseLoginOnce()` is called,
 * refuses one message as a failed login would (535: a page-worthy credentials failure).
 */
async function startSink() {
  const { SMTPServer } = require('smtp-server');
  const codes = new Map();
  let received = 0;
  let refuseLogin = false;
  const smtpError = (responseCode, message) => Object.assign(new Error(message), { responseCode });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk) => (raw += chunk));
      stream.on('end', () => {
        if (refuseLogin) {
          refuseLogin = false;
          return callback(smtpError(535, 'Authentication credentials invalid'));
        }
        if (++received % 10 === 0) return callback(smtpError(451, 'Try again later'));
        const code = /Your code: ([0-9A-Z]+)/.exec(raw)?.[1];
        for (const to of session.envelope.rcptTo)
          codes.set(to.address, [...(codes.get(to.address) ?? []), code]);
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    codes,
    refuseLoginOnce: () => (refuseLogin = true),
    close: () => server.close(),
  };
}

/** scripts/cluster.sh in the background until `stop()`; resolves once it wrote cluster.env. */
async function startCluster(dir, env) {
  const offset = 11_000 + Math.floor(Math.random() * 140) * 100;
  fs.mkdirSync(dir, { recursive: true });
  const log = fs.openSync(path.join(dir, 'cluster-script.log'), 'a');
  const child = spawn(path.join(ROOT, 'scripts/cluster.sh'), [], {
    cwd: ROOT,
    env: { ...process.env, ...env, CLUSTER_DIR: dir, CLUSTER_PORT_OFFSET: String(offset) },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', () => resolve((exited = true))));
  const envFile = path.join(dir, 'run', 'cluster.env');
  const deadline = Date.now() + 240_000;
  while (!fs.existsSync(envFile)) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`scripts/cluster.sh did not start (see ${dir}/cluster-script.log)`);
    }
    await sleep(250);
  }
  return {
    env: readEnv(envFile),
    async stop() {
      child.kill('SIGTERM');
      await exit;
    },
  };
}

async function post(apiUrl, key, urlPath, body) {
  const r = await fetch(`${apiUrl}/api/v1/otp${urlPath}`, {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

async function emailed(sink, to, n) {
  for (let i = 0; i < 100; i++) {
    const codes = sink.codes.get(to) ?? [];
    if (codes.length >= n) return codes[n - 1];
    await sleep(100);
  }
  return undefined;
}

/** One person's flow, as described at the top. */
async function flow(i, { apiUrl, keys, sink }) {
  const live = Boolean(keys.live && sink) && i % 4 === 1;
  const key = live ? keys.live : keys.test;
  const email = `plot${i % ADDRESSES}@example.test`;
  const received = (sink?.codes.get(email) ?? []).length;
  const sent = await post(apiUrl, key, '/send', {
    channels: ['email'],
    recipients: { email },
    config: { resend_cooldown_seconds: 0 },
  });
  // A refused send is answered at once: pace the loop instead of spinning on refusals.
  if (sent.status !== 201) return sleep(250);
  const token = sent.body.session_token;
  let code = live ? await emailed(sink, email, received + 1) : sent.body.sandbox_otps.email;
  if (i % 4 === 0)
    await post(apiUrl, key, '/verify', { token, otps: { email: code === '000000' ? '111111' : '000000' } });
  if (i % 5 === 0) {
    const before = (sink?.codes.get(email) ?? []).length;
    const resent = await post(apiUrl, key, '/resend', { token });
    if (resent.status < 300) {
      code = live ? await emailed(sink, email, before + 1) : (resent.body.sandbox_otps?.email ?? code);
    }
  }
  if (i % 7 !== 0 && code) await post(apiUrl, key, '/verify', { token, otps: { email: code } });
}

async function load({ apiUrl, keys, sink }) {
  const deadline = Date.now() + Number(seconds) * 1000;
  const inFlight = new Set();
  let flows = 0;
  while (Date.now() < deadline) {
    const p = flow(flows++, { apiUrl, keys, sink })
      .catch(() => undefined)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return flows;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];
/** Grafana units as drawn: seconds in ms; counts as rates when the query takes one. */
function unitOf(panel) {
  const unit = panel.fieldConfig?.defaults?.unit;
  if (unit === 's') return ['ms', 1000];
  if (unit === 'ms') return ['ms', 1];
  const expr = panel.targets[0].expr;
  if (/\brate\(/.test(expr)) return ['/s', 1];
  if (/\bincrease\(/.test(expr)) return [`per ${WINDOW}`, 1];
  return ['', 1];
}

function legend(format, metric) {
  return (format ?? '').replace(/\{\{\s*(\w+)\s*\}\}/g, (_, label) => metric[label] ?? '') || 'value';
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
}

/** One panel as an SVG line chart; values in the panel's unit (seconds shown as ms). */
function chart(panel, lines, start, end) {
  const W = 600,
    H = 230,
    L = 52,
    R = 12,
    T = 34,
    B = 26;
  const [unit, factor] = unitOf(panel);
  const all = lines.flatMap((l) => l.points.map(([, v]) => v * factor));
  const max = niceMax(Math.max(0, ...all));
  const x = (t) => L + ((t - start) / (end - start)) * (W - L - R);
  const y = (v) => H - B - (v / max) * (H - B - T);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<line x1="${L}" x2="${W - R}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#eee"/>` +
        `<text x="${L - 6}" y="${y(max * f) + 4}" font-size="10" fill="#555" text-anchor="end">${+(max * f).toPrecision(3)}</text>`,
    )
    .join('');
  const xTicks = [];
  for (let s = 0; s <= end - start; s += 10) {
    xTicks.push(
      `<text x="${x(start + s)}" y="${H - 8}" font-size="10" fill="#555" text-anchor="middle">${s} s</text>`,
    );
  }
  const paths = lines
    .map((line, k) => {
      // A gap (no sample, or NaN: no requests in the window) breaks the line.
      let d = '';
      let previous;
      for (const [t, v] of line.points) {
        d += `${previous !== undefined && t - previous <= STEP ? 'L' : 'M'}${x(t).toFixed(1)},${y(v * factor).toFixed(1)} `;
        previous = t;
      }
      return `<path d="${d}" fill="none" stroke="${COLOURS[k % COLOURS.length]}" stroke-width="2"/>`;
    })
    .join('');
  const keys = lines
    .map(
      (line, k) =>
        `<span style="color:${COLOURS[k % COLOURS.length]}">■</span> ${line.label.replace(/</g, '&lt;')}`,
    )
    .join('&nbsp;&nbsp; ');
  const empty =
    lines.length === 0
      ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#999" font-size="13">no series in this load</text>`
      : '';
  return `<figure><figcaption>${panel.title}${unit ? ` <small>(${unit})</small>` : ''}</figcaption><div class="keys">${keys || '&nbsp;'}</div>
<svg width="${W}" height="${H}">${grid}${xTicks.join('')}${paths}${empty}</svg></figure>`;
}

async function main() {
  const dashboard = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'deploy/grafana/dashboards/durable-otp.json'), 'utf8'),
  );
  let cluster, sink, dir, clusterDir, keys, env;
  if (process.env.CLUSTER_ENV) {
    env = readEnv(process.env.CLUSTER_ENV);
    keys = { test: process.env.OTP_KEY };
    if (!keys.test?.startsWith('sk_test_')) throw new Error('CLUSTER_ENV needs OTP_KEY=<sk_test_ key>');
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otp-plot-'));
    sink = await startSink();
    keys = {
      live: 'sk_live_plot_0123456789abcdef0123456789abcdef',
      test: 'sk_test_plot_0123456789abcdef0123456789abcdef',
    };
    const sha256 = (k) => createHash('sha256').update(k).digest('hex');
    const tenants = path.join(dir, 'tenants.json');
    fs.writeFileSync(
      tenants,
      JSON.stringify({
        tenants: [
          {
            id: 'plot',
            name: 'Plot',
            api_keys: [
              { id: 'plot-live', mode: 'live', sha256: sha256(keys.live) },
              { id: 'plot-test', mode: 'test', sha256: sha256(keys.test) },
            ],
            templates: { otp_email: { subject: 'Your code', text: 'Your code: {{code}}' } },
            // Every flow comes from 127.0.0.1: only the per-address limit should bite.
            limits: { ip_sends: { max: 100000, window_minutes: 60 } },
          },
        ],
      }),
    );
    // Its own temporary directory: cluster.sh opens it (mode 711) to PostgreSQL's user.
    clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otp-plot-cluster-'));
    process.stderr.write(`starting scripts/cluster.sh in ${clusterDir} …\n`);
    cluster = await startCluster(clusterDir, {
      OTP_TENANTS_FILE: tenants,
      SMTP_URL: sink.url,
      EMAIL_FROM: 'otp@example.test',
      OTP_BCRYPT_ROUNDS: '4',
    });
    env = cluster.env;
  }
  const workers = Object.entries(env)
    .filter(([k]) => /^WORKER_\d+_METRICS_URL$/.test(k))
    .map(([, v]) => v);
  const prometheus = await startPrometheus({
    targets: { 'otp-api': [`${env.API_URL}/metrics`], 'otp-worker': workers },
    scrapeInterval: '1s',
  });
  try {
    await prometheus.waitForTargetsUp();
    // A few idle scrapes first, so every counter has a baseline before the load.
    await sleep(3000);
    const start = Math.floor(Date.now() / 1000);
    process.stderr.write(`load: ${seconds} s, ${CONCURRENCY} flows in flight …\n`);
    const loginRefusal = sink && setTimeout(() => sink.refuseLoginOnce(), (Number(seconds) * 1000) / 3);
    const flows = await load({ apiUrl: env.API_URL, keys, sink });
    clearTimeout(loginRefusal);
    await sleep(5000);
    const end = Math.ceil(Date.now() / 1000);

    const figures = [];
    for (const panel of dashboard.panels) {
      const lines = [];
      for (const target of panel.targets) {
        const expr = target.expr
          .replace(/\[\d+[smh]\]/g, `[${WINDOW}]`)
          .replace(/offset \d+[smh]/g, `offset ${WINDOW}`);
        const { result } = await prometheus.queryRange(expr, start, end, STEP);
        for (const series of result) {
          const points = series.values.map(([t, v]) => [t, Number(v)]).filter(([, v]) => Number.isFinite(v));
          if (points.length > 0) lines.push({ label: legend(target.legendFormat, series.metric), points });
        }
      }
      figures.push(chart(panel, lines, start, end));
    }
    const html = `<!doctype html><meta charset="utf-8"><title>durable-otp metrics</title>
<style>body{font:13px system-ui,sans-serif;margin:16px;width:1290px}h1{font-size:16px;margin:0 0 4px}p{margin:0 0 8px;color:#444}
figure{display:inline-block;vertical-align:top;margin:6px;border:1px solid #ddd;padding:8px}figcaption{font-weight:600}.keys{font-size:11px;min-height:15px;margin:2px 0}</style>
<h1>durable-otp: the Grafana dashboard's queries over a ${seconds} s load (${flows} flows, ${CONCURRENCY} in flight)</h1>
<p>Prometheus scraping the API and two workers of <code>make cluster</code> every second; windows ${WINDOW} instead of 5 min; one point every ${STEP} s.
${sink ? 'A quarter of the flows are live email to an SMTP server that defers 1 message in 10 (451) and refuses one as a bad login (535) a third of the way in; the rest sandbox. ' : ''}${ADDRESSES} addresses, 5 sends each per 10 min.</p>
${figures.join('\n')}`;
    if (out.endsWith('.png')) await screenshot(html, out);
    else fs.writeFileSync(out, html);
    process.stdout.write(`${out}: ${flows} flows, ${end - start} s of Prometheus data\n`);
  } finally {
    await prometheus.stop();
    await cluster?.stop();
    sink?.close();
    for (const tmp of [dir, clusterDir]) if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function screenshot(html, file) {
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1322, height: 800 });
    await page.setContent(html, { waitUntil: 'load' });
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
