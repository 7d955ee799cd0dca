import Koa3 from 'koa';
import Koa2 from 'koa2';
import { trackingMiddleware } from '../../src/adapters/koa';
import { runAdapterContract } from './adapter-contract';
import { createServer, listen } from './host-apps';

for (const [name, Koa] of [['koa3', Koa3], ['koa2', Koa2]] as const) {
  runAdapterContract({
    name,
    async mount(makeHandler) {
      const app = new Koa();
      app.use(trackingMiddleware(makeHandler(), { prefix: '/collect' }));
      app.use(async (ctx) => {
        if (ctx.method === 'GET' && ctx.path === '/hello') ctx.body = 'host';
        else if (ctx.method === 'POST' && ctx.path === '/echo') {
          let body = '';
          for await (const chunk of ctx.req) body += chunk;
          ctx.type = 'application/json';
          ctx.body = body;
        }
      });
      return listen(createServer(app.callback()));
    },
  });
}
