import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { runAdapterContract } from './adapter-contract';

runAdapterContract({
  name: 'hono (fetch handler as-is)',
  async mount(makeHandler) {
    const tracking = makeHandler({ basePath: '/collect' });
    const app = new Hono();
    app.get('/hello', (c) => c.text('host'));
    app.post('/echo', async (c) => c.json(await c.req.json()));
    app.all('/collect/*', (c) => tracking(c.req.raw));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  },
  skip: {
    'records the client address as context.ip':
      'a fetch Request carries no socket address; behind a proxy, createHandler({ trustProxy: true }) reads X-Forwarded-For',
  },
});
