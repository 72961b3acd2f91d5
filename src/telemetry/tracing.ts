/**
 * Traces (SPEC §8): an API request, the Temporal client call it makes, the session workflow and
 * its activities form one trace (Temporal's OpenTelemetry interceptors carry the context in
 * message headers). Exported by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, off otherwise.
 * Spans carry operation names only — never a code, an address or metadata.
 */
import { context, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  NoopSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** The workflow-side interceptors, bundled into the session workflows (src/temporal/workflow-bundle.ts). */
export const WORKFLOW_TRACING_INTERCEPTORS =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export interface Tracing {
  tracer: Tracer;
  spanProcessor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
}

let propagationInstalled = false;

/** W3C trace context in message headers, and an active span that follows async calls. */
function installPropagation(): void {
  if (propagationInstalled) return;
  propagationInstalled = true;
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/**
 * Tracing for one process (`service`: durable-otp-api, durable-otp-worker). `spanProcessor`
 * overrides the OTLP exporter (tests); without it and without OTEL_EXPORTER_OTLP_ENDPOINT, none.
 */
export function startTracing(service: string, spanProcessor?: SpanProcessor): Tracing | undefined {
  const processor =
    spanProcessor ??
    (process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? new BatchSpanProcessor(new OTLPTraceExporter()) : undefined);
  if (!processor) return undefined;
  installPropagation();
  const resource = new Resource({ 'service.name': service });
  const provider = new BasicTracerProvider({ resource });
  provider.addSpanProcessor(processor);
  return {
    tracer: provider.getTracer('durable-otp'),
    spanProcessor: processor,
    resource,
    shutdown: () => provider.shutdown(),
  };
}

/** The workflows' span sink when tracing is off: the bundled interceptors still call it. */
export const NO_TRACING = { spanProcessor: new NoopSpanProcessor(), resource: Resource.default() };
