// A Fastify 5 app with its own routes, Volcanion Tracking registered under /collect, and Fastify's
// logger shared with the tracking handler. Storage: PostgreSQL when DATABASE_URL is set, PGlite otherwise.
import Fastify from 'fastify';
import { createPlatform } from '@volcanion-tracking/core';
import { createPgliteStorage } from '@volcanion-tracking/core/pglite';
import { createPostgresStorage } from '@volcanion-tracking/core/postgres';
import { createHandler } from '@volcanion-tracking/server-adapter';
import { trackingPlugin } from '@volcanion-tracking/server-adapter/fastify';

const storage = process.env.DATABASE_URL
  ? createPostgresStorage({ connectionString: process.env.DATABASE_URL })
  : await createPgliteStorage({ dataDir: process.env.VOLCANION_DATA_DIR ?? './.volcanion/example-data' });
await storage.migrate();
const platform = createPlatform({ storage });
const admin = await platform.setUpAdminToken(process.env.VOLCANION_ADMIN_TOKEN);
if (admin.generated) console.log(`Admin token (shown once): ${admin.generated}`);

const app = Fastify({ logger: true });
// Faults inside the tracking API (a 500, the database going away) are logged through app.log.
const handler = createHandler({ platform, admin, logger: app.log });
// Fastify's register prefix is the mount; body parsers are switched off inside the plugin only.
await app.register(trackingPlugin, { handler, prefix: '/collect' });

// The app's own routes, with Fastify's own JSON parser.
app.get('/', async (_request, reply) => reply.type('text/plain').send('Hello from the Fastify app\n'));

const notes = [];
app.post(
  '/api/notes',
  { schema: { body: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } } } },
  async (request, reply) => {
    const note = { id: notes.length + 1, text: request.body.text };
    notes.push(note);
    return reply.code(201).send(note);
  },
);

const port = Number(process.env.PORT ?? 3000);
await app.listen({ port, host: '127.0.0.1' });
console.log(`example listening on http://127.0.0.1:${port}`);
const stop = () => app.close().then(() => platform.close()).then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
