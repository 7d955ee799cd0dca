import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type TextMapGetter } from '@opentelemetry/api';
import type { ApiRequest } from '../handler/api-message';

declare const __VERSION__: string;

// A no-op until the host app registers an OpenTelemetry SDK; then each request is a server span.
const tracer = trace.getTracer('@volcanion-tracking/server-adapter', typeof __VERSION__ === 'string' ? __VERSION__ : undefined);

const headerGetter: TextMapGetter<ApiRequest> = {
  get: (request, key) => request.header(key) ?? undefined,
  // Only the propagators' own fields are ever asked for by name; listing every header is not needed.
  keys: () => [],
};

/**
 * Runs a request in a server span that continues the caller's trace (`traceparent`), so the
 * command, query and storage spans beneath it join the client's trace.
 */
export function inRequestSpan<T>(request: ApiRequest, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, request, headerGetter);
  return tracer.startActiveSpan(
    request.method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.scheme': request.url.protocol.slice(0, -1) } },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } finally {
        span.end();
      }
    },
  );
}

/** Names the span after its route (never the raw path: it may hold a write key) and records the status. */
export function describeRequestSpan(span: Span, method: string, route: string, status: number): void {
  if (!span.isRecording()) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
}
