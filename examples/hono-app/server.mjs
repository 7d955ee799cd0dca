// A Hono 4 app on @hono/node-server with its own routes, and the Volcanion Tracking fetch handler
// mounted under /collect as-is (the same code runs in any fetch runtime).
// Storage: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createPlatform } from '@volcanion-tracking/core';
import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
import { createHandler } from '@volcanion-tracking/server-adapter';

const storage = process.env.DATABASE_URL
  ? createPostgresStorage({ connectionString: process.env.DATABASE_URL })
  : await createPgliteStorage({ dataDir: process.env.VOLCANION_DATA_DIR ?? './.volcanion/example-data' });
await storage.migrate();
const platform = createPlatform({ storage });
const admin = await platform.setUpAdminToken(process.env.VOLCANION_ADMIN_TOKEN);
if (admin.generated) console.log(`Admin token (shown once): ${admin.generated}`);

// A fetch handler knows nothing of its mount: basePath tells it to strip /collect before routing.
const tracking = createHandler({ platform, admin, basePath: '/collect' });

const app = new Hono();
app.all('/collect/*', (c) => tracking(c.req.raw));

// The app's own routes.
app.get('/', (c) => c.text('Hello from the Hono app\n'));
const notes = [];
app.post('/api/notes', async (c) => {
  const body = await c.req.json().catch(() => null);
  const text = typeof body?.text === 'string' ? body.text.trim() : '';
  if (!text) return c.json({ error: 'a non-empty "text" is required' }, 400);
  const note = { id: notes.length + 1, text };
  notes.push(note);
  return c.json(note, 201);
});

const port = Number(process.env.PORT ?? 3000);
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`example listening on http://127.0.0.1:${port}`));
const stop = () => server.close(() => platform.close().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
