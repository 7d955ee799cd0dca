import { Agent } from 'undici';
import type { HttpClient, HttpRequest, HttpResponse } from './http-client';

/** Options of {@link UndiciHttpClient}. */
export interface UndiciHttpClientOptions {
  /** Connections per origin. Default 4. */
  connections?: number;
  /** How long an idle connection is kept open, in ms. Default 30,000. */
  keepAliveTimeout?: number;
}

/**
 * The default {@link HttpClient}: undici with keep-alive connections, so a steady stream of batches
 * does not pay a TCP (and TLS) handshake per request. Idle sockets do not keep the process alive.
 *
 * ### Examples
 * ```ts
 * const httpClient = new UndiciHttpClient({ connections: 8 });
 * const client = new TrackingClient({ writeKey, host, httpClient });
 * // …
 * await client.closeAndFlush();
 * await httpClient.close(); // yours to close, since you created it
 * ```
 */
export class UndiciHttpClient implements HttpClient {
  private readonly agent: Agent;

  constructor(options: UndiciHttpClientOptions = {}) {
    this.agent = new Agent({
      connections: options.connections ?? 4,
      keepAliveTimeout: options.keepAliveTimeout ?? 30_000,
      // Requests carry their own deadline (`request.timeout` through `signal`); these are backstops.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** Sends one request and reads its answer in full. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    const response = await this.agent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    // Always read the body: an unread body would keep the connection from being reused.
    const body = await response.body.text();
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers, body };
  }

  /** Closes idle connections and waits for requests under way. */
  close(): Promise<void> {
    return this.agent.close();
  }

  /** Closes every connection at once, failing requests under way. */
  destroy(): Promise<void> {
    return this.agent.destroy();
  }
}
