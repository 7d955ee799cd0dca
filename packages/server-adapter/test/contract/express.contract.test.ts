import express5 from 'express';
import express4 from 'express4';
import { trackingMiddleware } from '../../src/adapters/express';
import { runAdapterContract } from './adapter-contract';
import { createServer, listen } from './host-apps';

for (const [name, express] of [['express5', express5], ['express4', express4]] as const) {
  runAdapterContract({
    name,
    async mount(makeHandler) {
      const app = express();
      app.use('/collect', trackingMiddleware(makeHandler()));
      app.use(express.json());
      app.get('/hello', (_req, res) => void res.type('text/plain').send('host'));
      app.post('/echo', (req, res) => void res.json(req.body));
      return listen(createServer(app));
    },
  });
}
