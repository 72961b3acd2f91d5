/**
 * The alert rules of deploy/prometheus/alerts.yml under promtool (Prometheus's own rule checker and
 * unit-test runner): they load, and deploy/prometheus/alerts.test.yml shows each rule firing on
 * the series it is for and silent on look-alikes. promtool comes from the per-machine cache that
 * `make test-deps` fills (scripts/prometheus-toolchain.sh); this file never builds it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const RULES = path.join(ROOT, 'deploy/prometheus/alerts.yml');
const TESTS = path.join(ROOT, 'deploy/prometheus/alerts.test.yml');

interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: { exp_labels?: Record<string, string> }[];
}
interface RuleTests {
  rule_files: string[];
  tests: { alert_rule_test?: AlertTest[] }[];
}

function promtoolPath(): string {
  const found = spawnSync(path.join(ROOT, 'scripts/prometheus-toolchain.sh'), ['--cached', 'promtool'], {
    encoding: 'utf8',
  });
  if (found.status !== 0) throw new Error(`no promtool: ${found.stderr}`);
  return found.stdout.trim();
}

function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(promtoolPath(), args, { encoding: 'utf8', timeout: 50_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const ruleNames = () =>
  (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) =>
    g.rules.map((r) => r.alert),
  );

it('promtool accepts the rules', () => {
  const checked = promtool('check', 'rules', RULES);
  expect(checked.output).toContain('SUCCESS');
  expect(checked.status).toBe(0);
});

it('every rule passes its promtool unit tests', () => {
  const tested = promtool('test', 'rules', TESTS);
  if (tested.status !== 0) throw new Error(`promtool test rules failed:\n${tested.output}`);
  expect(tested.output).toContain('SUCCESS');
});

it('every rule has a test in which it fires, and the SPEC §10 rules exist', () => {
  const tests = parse(readFileSync(TESTS, 'utf8')) as RuleTests;
  const firing = new Set(
    tests.tests.flatMap((t) =>
      (t.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname),
    ),
  );
  const names = ruleNames();
  expect(names).toEqual(
    expect.arrayContaining([
      'OtpWorkflowNondeterminism',
      'OtpWorkflowTaskFailures',
      'OtpWorkflowTaskScheduleToStartSlow',
      'OtpActivityTaskScheduleToStartSlow',
    ]),
  );
  for (const name of names) expect([name, firing.has(name)]).toEqual([name, true]);
});

it('promtool reports a wrong expectation as a failure (the run above can fail)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'otp-alerts-'));
  try {
    copyFileSync(RULES, path.join(dir, 'alerts.yml'));
    const tests = parse(readFileSync(TESTS, 'utf8')) as RuleTests;
    // Claim the nondeterminism alert stays silent when it should page.
    const nondeterminism = tests.tests
      .flatMap((t) => t.alert_rule_test ?? [])
      .find((a) => a.alertname === 'OtpWorkflowNondeterminism' && (a.exp_alerts ?? []).length > 0)!;
    nondeterminism.exp_alerts = [];
    writeFileSync(path.join(dir, 'alerts.test.yml'), stringify(tests));
    const tested = promtool('test', 'rules', path.join(dir, 'alerts.test.yml'));
    expect(tested.status).not.toBe(0);
    expect(tested.output).toMatch(/FAILED[\s\S]*OtpWorkflowNondeterminism/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
