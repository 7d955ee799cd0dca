import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchHandler } from '../handler/create-handler';
import { discardUnreadBody, toWebRequest } from './to-web-request';
import { writeWebResponse } from './write-web-response';

/**
 * A `(req, res)` listener for `node:http` (and anything built on it) that runs the fetch handler.
 *
 * ### Examples
 * ```ts
 * import { createServer } from 'node:http';
 * import { createNodeListener } from '@volcanion-tracking/server-adapter/node';
 * createServer(createNodeListener(handler)).listen(3000);
 * ```
 */
export function createNodeListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const aborted = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    let request: Request;
    try {
      request = toWebRequest(req, { signal: aborted.signal });
    } catch {
      // An exception here would escape the 'request' event and end the whole process.
      res.writeHead(400, { 'content-type': 'application/problem+json', connection: 'close' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, code: 'invalid_input', detail: 'The request line or headers are malformed' }));
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
  };
}
