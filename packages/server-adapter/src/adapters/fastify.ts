/**
 * @module
 * Volcanion Tracking as a Fastify 5 plugin.
 *
 * ```ts
 * import Fastify from 'fastify';
 * import { trackingPlugin } from '@volcanion-tracking/server-adapter/fastify';
 * const app = Fastify();
 * await app.register(trackingPlugin, { handler, prefix: '/collect' });
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiHandlerOf, type FetchHandler } from '../handler/create-handler';
import type { TrustProxy } from '../handler/client-ip';
import { serveNode } from '../node/serve-node';

/** Options of {@link trackingPlugin}; `prefix` is Fastify's own register option. */
export interface FastifyTrackingOptions {
  handler: FetchHandler;
  prefix?: string;
  /** Forwarding headers to trust (see `createHandler`'s `trustProxy`); defaults to the handler's setting. */
  trustProxy?: TrustProxy;
}

/** The part of a Fastify instance the plugin uses; declared here so Fastify stays an optional peer. */
interface FastifyLike {
  prefix: string;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, parser: (request: unknown, payload: unknown, done: (error: null) => void) => void): void;
  all(path: string, handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }) => Promise<void>): void;
}

/**
 * Serves the API under the plugin's `prefix`. Fastify's body parsers are switched off inside the
 * plugin so the API reads (and limits) raw bodies itself; the app's other routes keep theirs.
 */
export async function trackingPlugin(fastify: FastifyLike, options: FastifyTrackingOptions): Promise<void> {
  const mountable = apiHandlerOf(options.handler);
  if (!mountable) throw new TypeError('trackingPlugin needs a handler made by createHandler()');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const serve = async (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }) => {
    reply.hijack();
    const handled = await serveNode(mountable, request.raw, reply.raw, { basePath: fastify.prefix, trustProxy: options.trustProxy });
    if (!handled) reply.raw.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: 'No such route' }));
  };
  fastify.all('/', serve);
  fastify.all('/*', serve);
}
