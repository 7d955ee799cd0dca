import type { IncomingMessage } from 'node:http';

/** How much of an unwanted request body we read and discard to keep the connection usable. */
const MAX_DISCARD_BYTES = 8 * 1024 * 1024;

/**
 * The request body as a web stream that honours backpressure, for fetch handlers other than ours.
 * When the handler stops reading (an early 413, say) the rest is read and discarded rather than the
 * socket destroyed, so the client receives the response and a keep-alive connection stays usable;
 * past {@link MAX_DISCARD_BYTES} the connection is dropped instead.
 */
export function requestBodyStream(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discard: () => void } {
  let cancelled = false;
  let discarded = 0;
  const discard = () => {
    if (cancelled) return;
    cancelled = true;
    req.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (cancelled) {
            discarded += chunk.byteLength;
            if (discarded > MAX_DISCARD_BYTES) req.socket.destroy();
            return;
          }
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
