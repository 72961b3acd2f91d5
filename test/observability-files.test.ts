/**
 * The Prometheus rules and the Grafana dashboard in deploy/ query only metrics the product
 * exports (names from src/http/metrics.ts and activities/metrics.ts, or the SDK's
 * `temporal_*`), so a renamed metric cannot silently empty a panel or an alert.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Metric names a source file registers (`name: 'otp_…'` or `create…('otp_…'`). */
function registered(file: string): string[] {
  return [...read(file).matchAll(/(?:name: |create(?:Counter|Histogram|Gauge)\(\s*)'([a-z_]+)'/g)].map(
    (m) => m[1],
  );
}

const EXPORTED = [...registered('src/http/metrics.ts'), ...registered('activities/metrics.ts')];
const HISTOGRAM_SERIES = /_(bucket|count|sum)$/;

function queried(expressions: string[]): string[] {
  const names = expressions.flatMap((e) =>
    [...e.matchAll(/\b((?:otp|http|temporal)_[a-z_]+)\b/g)].map((m) => m[1]),
  );
  return [...new Set(names)];
}

function assertKnown(names: string[]): void {
  expect(names.length).toBeGreaterThan(3);
  for (const name of names) {
    if (name.startsWith('temporal_')) continue;
    expect(EXPORTED).toContain(name.replace(HISTOGRAM_SERIES, ''));
  }
}

it('registers the SPEC §8 metrics', () => {
  for (const name of [
    'otp_sends_total',
    'otp_verifications_total',
    'otp_deliveries_total',
    'otp_rate_limited_total',
    'http_request_duration_seconds',
  ]) {
    expect(EXPORTED).toContain(name);
  }
});

it('the alert rules query exported metrics', () => {
  const rules = parse(read('deploy/prometheus/alerts.yml')) as { groups: { rules: { expr: string }[] }[] };
  assertKnown(queried(rules.groups.flatMap((g) => g.rules.map((r) => r.expr))));
});

it('the dashboard queries exported metrics', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/durable-otp.json')) as {
    panels: { targets: { expr: string }[] }[];
  };
  assertKnown(queried(dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))));
});
