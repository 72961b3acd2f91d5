#!/usr/bin/env node
/**
 * Docs helper (not a test): drives a bounded sandbox load against a running API (`make run`),
 * scrapes the API's and the worker's Prometheus endpoints while it runs, and writes an HTML page
 * plotting the dashboard's main series (deploy/grafana/dashboards/durable-otp.json): sends,
 * verifications by result, deliveries by outcome, rate-limit refusals, API latency. Screenshot
 * it with scripts/screenshot-ui.js (file:// URL) where Grafana is not at hand.
 *
 *   node scripts/plot-metrics.js <api url> <worker metrics url> <sk_test_ key> <seconds> <out.html>
 */
/* global fetch -- Node 20's built-in */
const fs = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');

const [apiUrl, workerUrl, key, seconds = '60', out = 'metrics.html'] = process.argv.slice(2);
if (!apiUrl || !workerUrl || !key) {
  throw new Error(
    'usage: node scripts/plot-metrics.js <api url> <worker metrics url> <sk_test_ key> [seconds] [out.html]',
  );
}

/** `name{labels} value` lines as [{ name, labels, value }]. */
function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

const sum = (samples, name, filter = () => true) =>
  samples.filter((s) => s.name === name && filter(s.labels)).reduce((a, s) => a + s.value, 0);

async function scrape() {
  const [api, worker] = await Promise.all(
    [apiUrl + '/metrics', workerUrl].map((u) => fetch(u).then((r) => r.text())),
  );
  return [...parse(api), ...parse(worker)];
}

async function post(path, body) {
  const r = await fetch(`${apiUrl}/api/v1/otp${path}`, {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

/** One person's flow: send, sometimes a wrong code first, then the right one; sometimes a resend. */
async function flow(i) {
  const email = `plot${i % 40}@example.com`; // 40 addresses: some hit the per-address limit
  const sent = await post('/send', {
    channels: ['email'],
    recipients: { email },
    config: { resend_cooldown_seconds: 0 },
  });
  // A refused send is answered at once: pace the loop instead of spinning on refusals.
  if (sent.status !== 201) return sleep(250);
  const token = sent.body.session_token;
  let code = sent.body.sandbox_otps.email;
  if (i % 4 === 0) await post('/verify', { token, otps: { email: code === '000000' ? '111111' : '000000' } });
  if (i % 5 === 0) code = (await post('/resend', { token })).body.sandbox_otps?.email ?? code;
  if (i % 7 !== 0) await post('/verify', { token, otps: { email: code } });
}

function chart(title, times, series, unit = '/s') {
  const W = 560,
    H = 220,
    L = 48,
    B = 28;
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values));
  const x = (i) => L + (i / Math.max(1, times.length - 1)) * (W - L - 10);
  const y = (v) => H - B - (v / max) * (H - B - 16);
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
  const lines = series
    .map(
      (s, k) =>
        `<polyline fill="none" stroke="${colours[k % 6]}" stroke-width="2" points="${s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series
    .map(
      (s, k) =>
        `<text x="${L + 8 + k * 110}" y="12" font-size="11" fill="${colours[k % 6]}">■ ${s.label}</text>`,
    )
    .join('');
  const ticks = [0, 0.5, 1]
    .map(
      (f) =>
        `<text x="4" y="${y(max * f) + 4}" font-size="10" fill="#555">${(max * f).toFixed(max < 10 ? 2 : 0)}</text><line x1="${L}" x2="${W - 10}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#eee"/>`,
    )
    .join('');
  return `<figure><figcaption>${title} <small>(${unit})</small></figcaption><svg width="${W}" height="${H}">${ticks}${lines}${legend}<text x="${L}" y="${H - 8}" font-size="10" fill="#555">0 s</text><text x="${W - 40}" y="${H - 8}" font-size="10" fill="#555">${times.at(-1)} s</text></svg></figure>`;
}

async function main() {
  const deadline = Date.now() + Number(seconds) * 1000;
  const snapshots = [];
  let i = 0;
  const load = (async () => {
    const inFlight = new Set();
    while (Date.now() < deadline) {
      const p = flow(i++)
        .catch(() => undefined)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 4) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  })();
  const started = Date.now();
  while (Date.now() < deadline + 3000) {
    snapshots.push({ t: Math.round((Date.now() - started) / 1000), samples: await scrape() });
    await sleep(3000);
  }
  await load;

  const times = snapshots.slice(1).map((s) => s.t);
  const rate = (name, filter) =>
    snapshots.slice(1).map((s, k) => {
      const previous = snapshots[k];
      return Math.max(
        0,
        (sum(s.samples, name, filter) - sum(previous.samples, name, filter)) / Math.max(1, s.t - previous.t),
      );
    });
  const p95 = snapshots.slice(1).map((s, k) => {
    const buckets = (samples) =>
      samples
        .filter((x) => x.name === 'http_request_duration_seconds_bucket')
        .reduce((m, x) => m.set(x.labels.le, (m.get(x.labels.le) ?? 0) + x.value), new Map());
    const now = buckets(s.samples),
      before = buckets(snapshots[k].samples);
    const deltas = [...now]
      .map(([le, v]) => [Number(le === '+Inf' ? Infinity : le), v - (before.get(le) ?? 0)])
      .sort((a, b) => a[0] - b[0]);
    const total = deltas.at(-1)?.[1] ?? 0;
    const found = deltas.find(([, v]) => total > 0 && v >= 0.95 * total);
    return found && Number.isFinite(found[0]) ? found[0] * 1000 : 0;
  });
  const html = `<!doctype html><meta charset="utf-8"><title>durable-otp metrics</title>
<style>body{font:14px system-ui;margin:20px}h1{font-size:18px}figure{display:inline-block;margin:8px;border:1px solid #ddd;padding:8px}figcaption{font-weight:600;margin-bottom:4px}</style>
<h1>durable-otp — metrics of a ${seconds} s sandbox load (${i} flows, 4 in flight), scraped every 3 s from the API and the worker</h1>
${chart('Sends by channel', times, [{ label: 'email', values: rate('otp_sends_total', (l) => l.channel === 'email') }])}
${chart(
  'Verifications by result',
  times,
  ['verified', 'invalid_otp', 'max_attempts_exceeded'].map((r) => ({
    label: r,
    values: rate('otp_verifications_total', (l) => l.result === r),
  })),
)}
${chart(
  'Deliveries by outcome (worker)',
  times,
  ['sandbox', 'sent', 'refused', 'retrying'].map((o) => ({
    label: o,
    values: rate('otp_deliveries_total', (l) => l.outcome === o),
  })),
)}
${chart(
  'Rate-limit refusals',
  times,
  ['recipient', 'ip', 'failures'].map((k) => ({
    label: k,
    values: rate('otp_rate_limited_total', (l) => l.limit === k),
  })),
)}
${chart('API latency p95', times, [{ label: 'p95', values: p95 }], 'ms')}
${chart('bcrypt compares (worker)', times, [{ label: 'compare', values: rate('otp_bcrypt_duration_count', (l) => l.operation === 'compare') }])}
<p>Text in the page: metrics plotted.</p>`;
  fs.writeFileSync(out, html);
  process.stdout.write(`${out}: ${i} flows, ${snapshots.length} scrapes\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
