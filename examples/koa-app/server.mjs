// A Koa 3 app with its own routes, and Volcanion Tracking mounted under /collect.
// Storage: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
import Koa from 'koa';
import { createPlatform } from '@volcanion-tracking/core';
import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
import { createHandler } from '@volcanion-tracking/server-adapter';
import { trackingMiddleware } from '@volcanion-tracking/server-adapter/koa';

const storage = process.env.DATABASE_URL
  ? createPostgresStorage({ connectionString: process.env.DATABASE_URL })
  : await createPgliteStorage({ dataDir: process.env.VOLCANION_DATA_DIR ?? './.volcanion/example-data' });
await storage.migrate();
const platform = createPlatform({ storage });
const admin = await platform.setUpAdminToken(process.env.VOLCANION_ADMIN_TOKEN);
if (admin.generated) console.log(`Admin token (shown once): ${admin.generated}`);
const handler = createHandler({ platform, admin });

const app = new Koa();
// Serves /collect/...; anything else (or no tracking route) goes on to the next middleware.
app.use(trackingMiddleware(handler, { prefix: '/collect' }));

// The app's own routes.
let visits = 0;
app.use(async (ctx) => {
  if (ctx.method === 'GET' && ctx.path === '/') {
    ctx.body = 'Hello from the Koa app\n';
  } else if (ctx.method === 'GET' && ctx.path === '/api/visits') {
    visits += 1;
    ctx.body = { visits };
  }
  // Otherwise Koa answers 404.
});

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', () => console.log(`example listening on http://127.0.0.1:${port}`));
const stop = () => server.close(() => platform.close().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
