import type { IncomingMessage } from 'node:http';

/** How much of an unwanted request body we read and discard to keep the connection usable. */
const MAX_DISCARD_BYTES = 8 * 1024 * 1024;

/**
 * The request body as a web stream that honours backpressure. When the handler stops reading
 * (an early 413, say) the rest is read and discarded rather than the socket destroyed, so the
 * client receives the response and a keep-alive connection stays usable; past
 * {@link MAX_DISCARD_BYTES} the connection is dropped instead.
 */
export function requestBodyStream(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discard: () => void } {
  let cancelled = false;
  const discard = () => {
    if (cancelled) return;
    cancelled = true;
    discardRest(req);
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (cancelled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => cancelled || controller.close());
        req.once('error', (error) => cancelled || controller.error(error));
      },
      pull() {
        req.resume();
      },
      cancel: discard,
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  return { stream, discard };
}

/** Reads and drops whatever remains of a request body, up to a bound. */
function discardRest(req: IncomingMessage): void {
  if (req.complete) return;
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > MAX_DISCARD_BYTES) req.socket.destroy();
  });
  req.resume();
}
