import type { IncomingMessage } from 'node:http';
import type { ApiRequest } from '../handler/api-message';
import { tooLarge } from '../handler/read-bytes';

/** How much of an unwanted request body we read and discard to keep the connection usable. */
const MAX_DISCARD_BYTES = 8 * 1024 * 1024;

/** Where a request sits in the host app, as an adapter knows it. */
export interface NodeRequestPlace {
  url: URL;
  path: string;
  basePath: string;
  clientIp: string | null;
  /** The body an upstream parser (`express.json()`, koa-bodyparser) already read, if it did. */
  parsedBody?: unknown;
}

/**
 * The API's view of a Node request, read straight from the socket: no web streams, `Request`
 * or `Headers` objects, which cost more than everything else on a small ingestion request.
 */
export function nodeApiRequest(req: IncomingMessage, place: NodeRequestPlace): ApiRequest {
  const consumed = bodyConsumedUpstream(req);
  return {
    method: req.method ?? 'GET',
    url: place.url,
    path: place.path,
    basePath: place.basePath,
    clientIp: place.clientIp,
    header(name) {
      // An upstream parser already inflated the body it read.
      if (consumed && name === 'content-encoding') return null;
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    readBody: (maxBytes) => (consumed ? parsedBodyBytes(place.parsedBody, maxBytes) : readNodeBody(req, maxBytes)),
  };
}

// A JSON document posted as application/x-www-form-urlencoded (rudder-sdk-node does) parses to
// one field named by the whole document with an empty value; the document is that name.
function jsonSentAsForm(parsed: unknown): string | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || parsed instanceof Uint8Array) return null;
  const entries = Object.entries(parsed);
  if (entries.length !== 1 || entries[0]![1] !== '') return null;
  const key = entries[0]![0].trim();
  return key.startsWith('{') ? key : null;
}

// body-parser marks what it parsed with `_body`; otherwise an ended stream means someone read it.
function bodyConsumedUpstream(req: IncomingMessage): boolean {
  return (req as { _body?: unknown })._body === true || req.readableEnded;
}

function parsedBodyBytes(parsed: unknown, maxBytes: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  const formKey = jsonSentAsForm(parsed);
  if (formKey !== null) bytes = Buffer.from(formKey);
  else if (parsed instanceof Uint8Array) bytes = parsed;
  else if (typeof parsed === 'string') bytes = Buffer.from(parsed);
  else if (parsed !== undefined && parsed !== null) bytes = Buffer.from(JSON.stringify(parsed));
  else {
    return Promise.reject(
      new Error(
        'The request body was read by another middleware before Volcanion Tracking and is not available. ' +
          'Mount the tracking routes before body parsers such as express.json(), or let the parser set req.body.',
      ),
    );
  }
  return bytes.byteLength > maxBytes ? Promise.reject(tooLarge('request body', maxBytes)) : Promise.resolve(bytes);
}

/** The request's URL: concatenated, not resolved, so a request line such as `///x` cannot throw. */
export function nodeRequestUrl(req: IncomingMessage, origin?: string): URL {
  const path = req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`;
  return new URL(`${origin ?? `http://${req.headers.host ?? '127.0.0.1'}`}${path}`);
}

function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) return Promise.reject(tooLarge('request body', maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        cleanup();
        discardRest(req);
        reject(tooLarge('request body', maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Reads and drops what remains of a request body the handler did not want (an early 401 or 413),
 * so the response reaches the client and a keep-alive connection stays usable; past
 * {@link MAX_DISCARD_BYTES} the connection is dropped instead.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.complete || req.listenerCount('data') > 0) return;
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > MAX_DISCARD_BYTES) req.socket.destroy();
  });
  req.resume();
}
