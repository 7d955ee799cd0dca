import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MountedApp } from './adapter-contract';

/** Listens on 127.0.0.1:0 and reports the URL; `close` ends keep-alive connections too. */
export async function listen(server: Server): Promise<MountedApp> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The host app's own routes for a plain node:http server. */
export function hostRoutes(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'GET' && req.url === '/hello') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('host');
    return;
  }
  if (req.method === 'POST' && req.url === '/echo') {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    return;
  }
  res.writeHead(404).end();
}

export { createServer };
