import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MountableApi } from '../handler/create-handler';
import { normalizeBasePath, underBasePath, type ApiResponse } from '../handler/api-message';
import { forwardedFor, forwardedValue, trustedHops, type TrustProxy } from '../handler/client-ip';
import { problemResponse } from '../handler/problem';
import { discardRest, nodeApiRequest, nodeRequestUrl } from './node-api-request';

/** How a Node adapter mounts the API. */
export interface NodeMountOptions {
  /** The mount prefix, e.g. `/collect`. */
  basePath?: string;
  /** False when the framework already removed the prefix from `req.url` (Express's `app.use(prefix, …)`). */
  urlIncludesBasePath?: boolean;
  /** Forwarding headers to trust (see `createHandler`'s `trustProxy`); defaults to the handler's setting. */
  trustProxy?: TrustProxy;
  /** The body an upstream parser already read (`req.body`). */
  parsedBody?: unknown;
}

/**
 * Runs the API for one Node request: the one bridge every Node adapter shares. Resolves `false`
 * without answering when no route of ours matches, so middleware can hand the request on.
 */
export async function serveNode(
  { api, trustProxy }: MountableApi,
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeMountOptions = {},
): Promise<boolean> {
  const basePath = normalizeBasePath(options.basePath);
  const hops = trustedHops(options.trustProxy ?? trustProxy);
  let url: URL;
  try {
    url = nodeRequestUrl(req, publicOrigin(req, hops));
  } catch {
    // An exception here would escape the 'request' event and end the whole process.
    writeApiResponse(res, problemResponse('invalid_input', 'The request line or headers are malformed'));
    return true;
  }
  const path = options.urlIncludesBasePath === false ? url.pathname : underBasePath(url.pathname, basePath);
  if (path === null) return false;
  const clientIp = forwardedFor(header(req, 'x-forwarded-for'), hops) ?? req.socket.remoteAddress ?? null;
  const response = await api(nodeApiRequest(req, { url, path, basePath, clientIp, parsedBody: options.parsedBody }));
  if (response.unmatched) return false;
  discardRest(req);
  writeApiResponse(res, response);
  return true;
}

/** Writes an answer; it is small and complete, so one `end` suffices. */
export function writeApiResponse(res: ServerResponse, response: ApiResponse): void {
  if (response.body !== null) response.headers['content-length'] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, response.headers);
  res.end(response.body ?? undefined);
}

// The scheme and host clients used: the socket's own, or what a trusted proxy says they were.
function publicOrigin(req: IncomingMessage, hops: number): string {
  const forwardedProto = forwardedValue(header(req, 'x-forwarded-proto'), hops);
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const host = forwardedValue(header(req, 'x-forwarded-host'), hops) ?? header(req, 'host') ?? '127.0.0.1';
  return `${proto}://${host}`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
