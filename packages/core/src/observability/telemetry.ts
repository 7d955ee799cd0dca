/**
 * What the platform reports for metrics: counts and durations only, never payloads, user ids or
 * keys, so a listener can turn them into metrics with bounded labels.
 */
export type TelemetryEvent =
  | {
      type: 'ingested';
      /** Newly stored events, flagged ones included. */
      stored: number;
      /** Of `stored`, how many were stored flagged as invalid. */
      flagged: number;
      /** Events already stored before (same messageId), not stored again. */
      deduplicated: number;
      /** Messages refused by name. */
      rejected: number;
    }
  | {
      type: 'commit';
      /** Events in the group-committed transaction. */
      events: number;
      /** Requests that shared it. */
      requests: number;
      seconds: number;
      ok: boolean;
    }
  | { type: 'cache'; cache: 'answers' | 'credentials'; hit: boolean };

/** Receives telemetry; it must be fast and must not throw. */
export type TelemetryListener = (event: TelemetryEvent) => void;

/** Fans telemetry out to listeners; costs one size check when nobody listens. */
export class Telemetry {
  readonly #listeners = new Set<TelemetryListener>();

  /** Adds a listener; returns its removal. */
  listen(listener: TelemetryListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: TelemetryEvent): void {
    if (this.#listeners.size === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken metrics listener must never fail the request it reports on.
      }
    }
  }
}
