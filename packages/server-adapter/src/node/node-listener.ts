import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiHandlerOf, type ApiHandler, type FetchHandler } from '../handler/create-handler';
import type { ApiResponse } from '../handler/api-message';
import { problemResponse } from '../handler/problem';
import { discardRest, nodeApiRequest, nodeRequestUrl } from './node-api-request';
import { discardUnreadBody, toWebRequest } from './to-web-request';
import { writeWebResponse } from './write-web-response';

/**
 * A `(req, res)` listener for `node:http` (and anything built on it) that runs the fetch handler.
 * A handler made by `createHandler` is called without building fetch objects; any other fetch
 * handler gets a streaming `Request` and its `Response` written back with backpressure.
 *
 * ### Examples
 * ```ts
 * import { createServer } from 'node:http';
 * import { createNodeListener } from '@volcanion-tracking/server-adapter/node';
 * createServer(createNodeListener(handler)).listen(3000);
 * ```
 */
export function createNodeListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  const api = apiHandlerOf(handler);
  return api ? (req, res) => serveApi(api, req, res) : (req, res) => serveFetch(handler, req, res);
}

function serveApi(api: ApiHandler, req: IncomingMessage, res: ServerResponse): void {
  let url: URL;
  try {
    url = nodeRequestUrl(req);
  } catch {
    // An exception here would escape the 'request' event and end the whole process.
    writeApiResponse(res, problemResponse('invalid_input', 'The request line or headers are malformed'));
    return;
  }
  api(nodeApiRequest(req, url)).then(
    (response) => {
      discardRest(req);
      writeApiResponse(res, response);
    },
    (error: unknown) => res.destroy(error as Error),
  );
}

/** Writes an answer; it is small and complete, so one `end` suffices. */
export function writeApiResponse(res: ServerResponse, response: ApiResponse): void {
  if (response.body !== null) response.headers['content-length'] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, response.headers);
  res.end(response.body ?? undefined);
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
