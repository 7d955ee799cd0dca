import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

// The API package is a no-op until the host app registers an OpenTelemetry SDK.
const tracer = trace.getTracer('@volcanion-tracking/core');

/**
 * Runs `fn` in a span that is a child of the active one (the HTTP request's span, say). A thrown
 * error is recorded and rethrown; a failed `Result` is marked on the span but returned as is.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      const value = await fn(span);
      const failure = (value as { ok?: unknown; error?: { code?: unknown } } | null | undefined)?.ok === false;
      if (failure) span.setAttribute('volcanion.error.code', String((value as { error?: { code?: unknown } }).error?.code ?? 'error'));
      return value;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
