import { isSpanContextValid, SpanStatusCode, trace, type Attributes, type Span, type SpanContext, type SpanOptions } from '@opentelemetry/api';

// The API package is a no-op until the host app registers an OpenTelemetry SDK.
const tracer = trace.getTracer('@volcanion-tracking/core');

/**
 * Runs `fn` in a span that is a child of the active one (the HTTP request's span, say). A thrown
 * error is recorded and rethrown; a failed `Result` is marked on the span but returned as is.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return runInSpan(name, { attributes }, fn);
}

/**
 * Runs `fn` in a new trace whose span links to each of `causes`: OpenTelemetry's shape for work done
 * once on behalf of many requests (a group commit). Under any one request's span it would look like
 * that request's own work, and the others' traces would not show it at all.
 */
export function inLinkedRootSpan<T>(name: string, attributes: Attributes, causes: readonly SpanContext[], fn: (span: Span) => Promise<T>): Promise<T> {
  const links = causes.filter(isSpanContextValid).map((context) => ({ context }));
  return runInSpan(name, { attributes, root: true, links }, fn);
}

/** The span the caller runs in, if an SDK records one: a batched operation links back to it. */
export function recordingSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}

function runInSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
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
