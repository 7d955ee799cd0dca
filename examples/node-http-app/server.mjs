// A plain node:http app with its own route, and Volcanion Tracking mounted under /collect.
// Storage: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
import { createServer } from 'node:http';
import { createPlatform } from '@volcanion-tracking/core';
import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
import { createHandler } from '@volcanion-tracking/server-adapter';
import { createNodeListener } from '@volcanion-tracking/server-adapter/node';

const storage = process.env.DATABASE_URL
  ? createPostgresStorage({ connectionString: process.env.DATABASE_URL })
  : await createPgliteStorage({ dataDir: process.env.VOLCANION_DATA_DIR ?? './.volcanion/example-data' });
await storage.migrate();
const platform = createPlatform({ storage });
const admin = await platform.setUpAdminToken(process.env.VOLCANION_ADMIN_TOKEN);
if (admin.generated) console.log(`Admin token (shown once): ${admin.generated}`);
const tracking = createNodeListener(createHandler({ platform, admin }));

const server = createServer((req, res) => {
  if (req.url === '/collect' || req.url?.startsWith('/collect/')) {
    req.url = req.url.slice('/collect'.length) || '/';
    return tracking(req, res);
  }
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Hello from the host app\n');
    return;
  }
  res.writeHead(404).end();
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, '127.0.0.1', () => console.log(`example listening on http://127.0.0.1:${port}`));
// platform.close() commits what was already accepted before it closes the storage.
const stop = () => server.close(() => platform.close().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
