import type { Server } from 'node:http';

/**
 * Stops accepting connections and waits for in-flight requests to finish. Connections still busy
 * after `timeoutMs` are cut off, so a stuck client cannot hold a deploy forever.
 */
export async function drainServer(server: Server, timeoutMs: number): Promise<{ cutOff: number }> {
  let busy = 0;
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  if ((await Promise.race([closed, timedOut])) === 'timeout') {
    busy = await new Promise<number>((resolve) => server.getConnections((_, count) => resolve(count ?? 0)));
    server.closeAllConnections();
    await closed;
  }
  clearTimeout(timer);
  return { cutOff: busy };
}
