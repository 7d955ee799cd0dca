/**
 * An RFC 9457 problem document, as the server answers 4xx with (`application/problem+json`).
 * Every field is optional: another Segment-compatible server may answer with less.
 */
export interface ProblemDetails {
  status?: number;
  /** Stable, machine-readable code, e.g. `invalid_input`, `unauthorized`, `payload_too_large`. */
  code?: string;
  title?: string;
  /** For people. */
  detail?: string;
  /** Every offending field, by dotted path and JSON Pointer. */
  errors?: { field?: string; pointer?: string; message: string }[];
}

/** Reads a problem document from a response body; `undefined` when the body is not one. */
export function parseProblemDetails(body: string): ProblemDetails | undefined {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as ProblemDetails) : undefined;
  } catch {
    return undefined;
  }
}
