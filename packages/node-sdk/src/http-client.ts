/** One request the client asks an {@link HttpClient} to send. */
export interface HttpRequest {
  /** Absolute URL of the batch route. */
  url: string;
  method: 'POST';
  /** Lower-case header names: `content-type`, `authorization`, `user-agent`, maybe `content-encoding`, `x-retry-count`. */
  headers: Record<string, string>;
  /** The body, gzipped when `content-encoding` says so. */
  body: Uint8Array | string;
  /** Time allowed for the request, in ms; `signal` is also aborted when it runs out. */
  timeout: number;
  /** Aborted on timeout and on `closeAndFlush` running out of time; stop the request when it fires. */
  signal: AbortSignal;
}

/** The answer, read in full. */
export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The body as text (problem documents and `rejected` lists are read from it). */
  body: string;
}

/**
 * Sends the SDK's requests. Resolve with the answer whatever its status; reject only when there is no
 * answer (network error, reset, timeout, abort). The SDK retries and reports; the client only sends.
 *
 * ### Examples
 * ```ts
 * // A client that fails the first request, to see a retry happen.
 * const inner = new UndiciHttpClient();
 * let first = true;
 * const flaky: HttpClient = {
 *   send(request) {
 *     if (first) { first = false; return Promise.reject(new Error('ECONNRESET')); }
 *     return inner.send(request);
 *   },
 * };
 * const client = new TrackingClient({ writeKey, host, httpClient: flaky });
 * ```
 */
export interface HttpClient {
  /** Sends one request. */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Releases connections; called by `closeAndFlush()` only on the client the SDK created itself. */
  close?(): Promise<void>;
}
