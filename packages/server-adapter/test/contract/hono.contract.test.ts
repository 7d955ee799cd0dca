import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAdapterContract } from './adapter-contract';

runAdapterContract({
  name: 'hono (fetch handler as-is)',
  async mount(makeHandler) {
    // Hono is the proxy here: it passes the socket's address on, and the handler trusts it.
    const tracking = makeHandler({ basePath: '/collect', trustProxy: true });
    const app = new Hono();
    app.get('/hello', (c) => c.text('host'));
    app.post('/echo', async (c) => c.json(await c.req.json()));
    app.all('/collect/*', (c) => {
      const headers = new Headers(c.req.raw.headers);
      headers.set('x-forwarded-for', (c.env as { incoming: IncomingMessage }).incoming.socket.remoteAddress ?? '');
      return tracking(new Request(c.req.raw, { headers }));
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  },
});
