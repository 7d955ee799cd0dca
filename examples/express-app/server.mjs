// An Express 5 app with its own routes, and Volcanion Tracking mounted under /collect.
// Storage: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
import express from 'express';
import { createPlatform } from '@volcanion-tracking/core';
import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
import { createHandler } from '@volcanion-tracking/server-adapter';
import { trackingMiddleware } from '@volcanion-tracking/server-adapter/express';

const storage = process.env.DATABASE_URL
  ? createPostgresStorage({ connectionString: process.env.DATABASE_URL })
  : await createPgliteStorage({ dataDir: process.env.VOLCANION_DATA_DIR ?? './.volcanion/example-data' });
await storage.migrate();
const platform = createPlatform({ storage });
const admin = await platform.setUpAdminToken(process.env.VOLCANION_ADMIN_TOKEN);
if (admin.generated) console.log(`Admin token (shown once): ${admin.generated}`);
const handler = createHandler({ platform, admin });

const app = express();
// Express strips /collect from req.url itself; requests matching no tracking route fall through to next().
app.use('/collect', trackingMiddleware(handler));
// The app's own body parser; it is mounted after tracking, so it never sees tracking requests.
app.use(express.json());

app.get('/', (_req, res) => {
  res.type('text/plain').send('Hello from the Express app\n');
});

const notes = [];
app.post('/api/notes', (req, res) => {
  const text = typeof req.body?.text === 'string' ? req.body.text.trim() : '';
  if (!text) {
    res.status(400).json({ error: 'a non-empty "text" is required' });
    return;
  }
  const note = { id: notes.length + 1, text };
  notes.push(note);
  res.status(201).json(note);
});

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, '127.0.0.1', (error) => {
  if (error) throw error;
  console.log(`example listening on http://127.0.0.1:${port}`);
});
const stop = () => server.close(() => platform.close().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
