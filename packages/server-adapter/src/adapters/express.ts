/**
 * @module
 * Volcanion Tracking as Express middleware (Express 4 and 5).
 *
 * ```ts
 * import express from 'express';
 * import { trackingMiddleware } from '@volcanion-tracking/server-adapter/express';
 * const app = express();
 * app.use('/collect', trackingMiddleware(handler)); // before express.json(), or after: both work
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiHandlerOf, type FetchHandler } from '../handler/create-handler';
import type { TrustProxy } from '../handler/client-ip';
import { serveNode } from '../node/serve-node';

/** Options of {@link trackingMiddleware}. */
export interface ExpressTrackingOptions {
  /** Forwarding headers to trust (see `createHandler`'s `trustProxy`); defaults to the handler's setting. */
  trustProxy?: TrustProxy;
}

type ExpressRequest = IncomingMessage & { baseUrl?: string; body?: unknown };

/**
 * Middleware serving the API where it is mounted (`app.use('/collect', …)` or a router). Requests
 * matching none of its routes go to `next()`, so the app's own routes keep working beside it.
 */
export function trackingMiddleware(handler: FetchHandler, options: ExpressTrackingOptions = {}) {
  const mountable = apiHandlerOf(handler);
  if (!mountable) throw new TypeError('trackingMiddleware needs a handler made by createHandler()');
  return (req: ExpressRequest, res: ServerResponse, next: (error?: unknown) => void): void => {
    // Express has already removed the mount path from req.url and kept it in req.baseUrl.
    serveNode(mountable, req, res, { basePath: req.baseUrl, urlIncludesBasePath: false, trustProxy: options.trustProxy, parsedBody: req.body }).then(
      (handled) => handled || next(),
      next,
    );
  };
}
