// Baseline: the naive way to store events. Parses the body and does ONE autocommitted INSERT per event
// (one pg Pool of 10 connections) into bench_naive, answering only after the insert, like our server
// answers only after commit. No auth, no validation: the cost measured is one commit per event.
//
// Usage: DATABASE_URL=postgres://… node naive-insert.mjs   (the table bench_naive must exist)
import { createServer } from 'node:http';
import pg from 'pg';

const SUCCESS = '{"success":true}';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5000 });
pool.on('error', () => {}); // an idle client's error must not kill the baseline mid-run

async function store(body) {
  const events = Array.isArray(body.batch) ? body.batch : [body];
  for (const event of events) {
    await pool.query('insert into bench_naive (message_id, payload) values ($1, $2)', [event.messageId ?? null, event]);
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"success":false}');
      return;
    }
    try {
      await store(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': SUCCESS.length }).end(SUCCESS);
    } catch (error) {
      process.stderr.write(`naive-insert: ${error.message}\n`);
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"success":false}');
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`naive-insert listening on http://127.0.0.1:${server.address().port}\n`);
});

function stop() {
  server.close(() => pool.end().finally(() => process.exit(0)));
  server.closeAllConnections();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
