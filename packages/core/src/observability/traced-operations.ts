import { inSpan } from './tracing';

/**
 * The same commands and queries, each in a span named after it (`volcanion.ingest`), so a trace
 * shows request → command or query → storage.
 */
export function tracedOperations<T extends Record<string, (...args: never[]) => Promise<unknown>>>(operations: T): T {
  const traced: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(operations)) {
    const spanName = `volcanion.${name}`;
    traced[name] = (...args: never[]) => inSpan(spanName, {}, () => operation(...args));
  }
  return traced as T;
}
