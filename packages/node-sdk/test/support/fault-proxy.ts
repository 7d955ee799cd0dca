import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the proxy does with one request. */
export type Fault =
  /** Forward it and relay the answer. */
  | { kind: 'pass' }
  /** Answer this without forwarding. */
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string }
  /** Destroy the connection without forwarding: nothing was stored. */
  | { kind: 'reset-before' }
  /** Forward it (the server stores it), then destroy the connection instead of answering. */
  | { kind: 'reset-after' }
  /** Forward it, then hold the answer for `ms` (past the client's timeout). */
  | { kind: 'delay-after'; ms: number };

/** One request the proxy saw, decoded. */
export interface SeenRequest {
  n: number;
  at: number;
  fault: Fault['kind'];
  retryCount: number;
  gzip: boolean;
  authorization: string | undefined;
  sentAt: string | undefined;
  messageIds: string[];
}

/** A scripted, misbehaving HTTP proxy on 127.0.0.1 in front of the real server. */
export interface FaultProxy {
  url: string;
  seen: SeenRequest[];
  /** Decides the fault of request `n` (1-based, counting every request since start). */
  script(decide: (n: number, request: SeenRequest) => Fault): void;
  /** Stops listening and drops every connection: the server is "down". */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy forwarding to `upstream`; everything passes until scripted otherwise. */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let decide: (n: number, request: SeenRequest) => Fault = () => ({ kind: 'pass' });
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const gzip = req.headers['content-encoding'] === 'gzip';
    let parsed: { batch?: { messageId: string }[]; sentAt?: string } = {};
    try {
      parsed = JSON.parse((gzip ? gunzipSync(raw) : raw).toString('utf8'));
    } catch {
      // Not JSON: forwarded as is; the server will say what is wrong with it.
    }
    const request: SeenRequest = {
      n: seen.length + 1,
      at: Date.now(),
      fault: 'pass',
      retryCount: Number(req.headers['x-retry-count'] ?? 0),
      gzip,
      authorization: req.headers.authorization,
      sentAt: parsed.sentAt,
      messageIds: (parsed.batch ?? []).map((m) => m.messageId),
    };
    seen.push(request);
    const fault = decide(request.n, request);
    request.fault = fault.kind;
    if (fault.kind === 'reset-before') return req.socket.destroy();
    if (fault.kind === 'answer') {
      res.writeHead(fault.status, fault.headers ?? {});
      return res.end(fault.body ?? '');
    }
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'content-encoding']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const response = await fetch(`${upstream}${req.url}`, { method: req.method, headers, body: raw });
    const body = await response.text();
    if (fault.kind === 'reset-after') return req.socket.destroy();
    if (fault.kind === 'delay-after') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (res.destroyed) return;
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive') out[name] = value;
    });
    res.writeHead(response.status, out);
    res.end(body);
  }

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    script(next) {
      decide = next;
    },
    down: stop,
    up: () => listen(port),
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
