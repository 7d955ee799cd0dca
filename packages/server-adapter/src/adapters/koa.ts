/**
 * @module
 * Volcanion Tracking as Koa middleware (Koa 2 and 3).
 *
 * ```ts
 * import Koa from 'koa';
 * import { trackingMiddleware } from '@volcanion-tracking/server-adapter/koa';
 * const app = new Koa();
 * app.use(trackingMiddleware(handler, { prefix: '/collect' }));
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiHandlerOf, type FetchHandler } from '../handler/create-handler';
import type { TrustProxy } from '../handler/client-ip';
import { serveNode } from '../node/serve-node';

/** Options of {@link trackingMiddleware}. */
export interface KoaTrackingOptions {
  /** Serve the API under this path prefix (`/collect`); other paths go to the next middleware. */
  prefix?: string;
  /** Forwarding headers to trust (see `createHandler`'s `trustProxy`); defaults to the handler's setting. */
  trustProxy?: TrustProxy;
}

/** The part of Koa's context this middleware uses. */
interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
  request: { body?: unknown };
}

/**
 * Middleware serving the API under `prefix`. It answers on the raw response (`ctx.respond = false`);
 * requests outside the prefix or matching no route go on to `next()`.
 */
export function trackingMiddleware(handler: FetchHandler, options: KoaTrackingOptions = {}) {
  const mountable = apiHandlerOf(handler);
  if (!mountable) throw new TypeError('trackingMiddleware needs a handler made by createHandler()');
  return async (ctx: KoaContext, next: () => Promise<unknown>): Promise<void> => {
    const handled = await serveNode(mountable, ctx.req, ctx.res, {
      basePath: options.prefix,
      trustProxy: options.trustProxy,
      parsedBody: ctx.request.body,
    });
    if (handled) ctx.respond = false;
    else await next();
  };
}
