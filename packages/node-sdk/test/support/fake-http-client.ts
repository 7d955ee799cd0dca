import { gunzipSync } from 'node:zlib';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src';

/** A request as the fake saw it, body decoded. */
export interface Recorded {
  n: number;
  request: HttpRequest;
  body: { batch: Record<string, unknown>[]; sentAt: string };
  rawBytes: number;
}

/** Decides the answer to request `n`; may wait, reject (a network error), or ignore the signal. */
export type Responder = (recorded: Recorded) => HttpResponse | Promise<HttpResponse>;

/** `{"success":true}` */
export const ok = (): HttpResponse => ({ status: 200, headers: {}, body: '{"success":true}' });

/** An answer with a problem document. */
export const problem = (status: number, code: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json', ...headers },
  body: JSON.stringify({ type: 'about:blank', status, code, detail: `${code} detail`, errors: [] }),
});

/**
 * An in-memory {@link HttpClient} for faults no real server produces on demand (a client that
 * ignores its abort signal, exact in-flight counts). Injected, as analytics-next's tests do, never
 * mocked at module level.
 */
export class FakeHttpClient implements HttpClient {
  readonly requests: Recorded[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(public respond: Responder = ok) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    const raw = typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body);
    const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    const recorded: Recorded = { n: this.requests.length + 1, request, body: JSON.parse(text), rawBytes: raw.byteLength };
    this.requests.push(recorded);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.respond(recorded);
    } finally {
      this.inFlight--;
    }
  }

  /** Every message sent, in order, retries included. */
  get messages(): Record<string, unknown>[] {
    return this.requests.flatMap((r) => r.body.batch);
  }
}

/** A promise you resolve from outside. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves once `check` holds, polling every few ms. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
