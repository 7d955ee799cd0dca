import { createNodeListener } from '../../src/node';
import { runAdapterContract } from './adapter-contract';
import { createServer, hostRoutes, listen } from './host-apps';

runAdapterContract({
  name: 'node-http',
  async mount(makeHandler) {
    const tracking = createNodeListener(makeHandler(), { prefix: '/collect' });
    return listen(createServer((req, res) => tracking(req, res, () => hostRoutes(req, res))));
  },
});
