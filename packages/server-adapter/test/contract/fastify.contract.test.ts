import Fastify from 'fastify';
import { trackingPlugin } from '../../src/adapters/fastify';
import { runAdapterContract } from './adapter-contract';

runAdapterContract({
  name: 'fastify',
  async mount(makeHandler) {
    const app = Fastify();
    await app.register(trackingPlugin, { handler: makeHandler(), prefix: '/collect' });
    app.get('/hello', async (_request, reply) => reply.type('text/plain').send('host'));
    app.post('/echo', async (request) => request.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
  },
});
