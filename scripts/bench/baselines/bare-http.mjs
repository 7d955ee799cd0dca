// Baseline: the cheapest possible ingestion endpoint on node:http. It reads the body, JSON.parse-s it and
// answers {"success":true}: no auth, no validation, no storage. Our server's /v1/track and /v1/batch
// figures are compared with this ceiling of node:http plus JSON on this machine.
//
// Usage: node bare-http.mjs   (prints `listening on http://127.0.0.1:PORT`, stops on SIGTERM/SIGINT)
import { createServer } from 'node:http';

const SUCCESS = '{"success":true}';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"success":false}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': SUCCESS.length }).end(SUCCESS);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare-http listening on http://127.0.0.1:${server.address().port}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
