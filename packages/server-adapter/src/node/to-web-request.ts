import type { IncomingMessage } from 'node:http';
import { nodeRequestUrl } from './node-api-request';
import { requestBodyStream } from './request-body';

/**
 * A fetch `Request` for a Node request. The body streams (it is not buffered here), so the
 * handler's size limit stops an oversized upload before it is read whole. A client that goes away
 * aborts the request's signal.
 */
export function toWebRequest(req: IncomingMessage, options: { origin?: string; signal?: AbortSignal } = {}): Request {

  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const body = method !== 'GET' && method !== 'HEAD' ? requestBodyStream(req) : undefined;
  const request = new Request(nodeRequestUrl(req, options.origin), {
    method,
    headers,
    body: body?.stream,
    signal: options.signal,
    // Required by undici for a streaming request body.
    duplex: 'half',
  } as RequestInit);
  if (body) unreadBodies.set(request, body.discard);
  return request;
}

const unreadBodies = new WeakMap<Request, () => void>();

/**
 * Reads and drops what the handler left unread of a request's body (an early 401 or 413, say), so
 * the response reaches the client and a keep-alive connection stays usable.
 */
export function discardUnreadBody(request: Request): void {
  unreadBodies.get(request)?.();
}
