/** Types of scripts/lib/prometheus.js, for the TypeScript tests that use it. */

export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}
export interface PrometheusRange {
  metric: Record<string, string>;
  values: [number, string][];
}
export interface PrometheusTarget {
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  labels: Record<string, string>;
}
export interface PrometheusRuleGroup {
  name: string;
  rules: {
    name: string;
    type: 'alerting' | 'recording';
    query: string;
    health: 'ok' | 'err' | 'unknown';
    lastError?: string;
    state?: 'inactive' | 'pending' | 'firing';
    lastEvaluation: string;
  }[];
}
export interface RunningPrometheus {
  url: string;
  dir: string;
  logFile: string;
  query(
    expr: string,
    time?: number,
  ): Promise<
    { resultType: 'vector'; result: PrometheusSample[] } | { resultType: 'scalar'; result: [number, string] }
  >;
  queryRange(
    expr: string,
    start: number,
    end: number,
    step: number,
  ): Promise<{ resultType: 'matrix'; result: PrometheusRange[] }>;
  targets(): Promise<PrometheusTarget[]>;
  rules(): Promise<PrometheusRuleGroup[]>;
  waitForTargetsUp(timeoutMs?: number): Promise<PrometheusTarget[]>;
  running(): boolean;
  stop(options?: { keep?: boolean }): Promise<{ code: number | null; signal: string | null } | null>;
}

export function prometheusPath(): string;
export function startPrometheus(options: {
  targets: Record<string, string[]>;
  ruleFiles?: string[];
  scrapeInterval?: string;
  dir?: string;
  readyTimeoutMs?: number;
}): Promise<RunningPrometheus>;
