import type { TrackingError } from './errors';

/** The outcome of a command or query: expected failures are values, not exceptions. */
export type Result<T, E extends TrackingError = TrackingError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** Wraps a success value. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Wraps an expected failure. */
export function err<E extends TrackingError>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
