import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiHandlerOf, type FetchHandler } from '../handler/create-handler';
import type { TrustProxy } from '../handler/client-ip';
import { problemResponse } from '../handler/problem';
import { serveNode, writeApiResponse } from './serve-node';
import { discardUnreadBody, toWebRequest } from './to-web-request';
import { writeWebResponse } from './write-web-response';

/** Options of {@link createNodeListener}. */
export interface NodeListenerOptions {
  /** Serve the API under this path prefix (`/collect`); other paths get 404, or `next()` in middleware. */
  prefix?: string;
  /** Forwarding headers to trust (see `createHandler`'s `trustProxy`); defaults to the handler's setting. */
  trustProxy?: TrustProxy;
}

/**
 * A `(req, res, next?)` listener for `node:http` and anything built on it. A handler made by
 * `createHandler` runs without building fetch objects; any other fetch handler gets a streaming
 * `Request` and its `Response` written back with backpressure. Given `next`, requests outside the
 * prefix or matching no route go to it instead of a 404.
 *
 * ### Examples
 * ```ts
 * import { createServer } from 'node:http';
 * import { createNodeListener } from '@volcanion-tracking/server-adapter/node';
 * createServer(createNodeListener(handler, { prefix: '/collect' })).listen(3000);
 * ```
 */
export function createNodeListener(
  handler: FetchHandler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void {
  const mountable = apiHandlerOf(handler);
  if (!mountable) return (req, res) => serveFetch(handler, req, res);
  return (req, res, next) => {
    serveNode(mountable, req, res, { basePath: options.prefix, trustProxy: options.trustProxy }).then(
      (handled) => {
        if (handled) return;
        if (next) next();
        else writeApiResponse(res, problemResponse('not_found', `No route for ${req.method} ${req.url}`));
      },
      (error: unknown) => (next ? next(error) : res.destroy(error as Error)),
    );
  };
}

function serveFetch(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): void {
  const aborted = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  let request: Request;
  try {
    request = toWebRequest(req, { signal: aborted.signal });
  } catch {
    writeApiResponse(res, problemResponse('invalid_input', 'The request line or headers are malformed'));
    return;
  }
  handler(request)
    .then((response) => {
      discardUnreadBody(request);
      return writeWebResponse(response, res);
    })
    .catch((error: unknown) => {
      // The handler answers every error itself; reaching here means the response could not be written.
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy(error as Error);
    });
}
