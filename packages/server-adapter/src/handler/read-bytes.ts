import { HttpProblem } from './problem';

/** The 413 for a body over its limit. */
export function tooLarge(what: string, maxBytes: number): HttpProblem {
  return new HttpProblem('payload_too_large', `The ${what} is larger than the limit of ${maxBytes} bytes`);
}

/** How much of an over-limit body is read and dropped so the runtime can reuse the connection. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

/**
 * Reads a web stream, refusing more than `maxBytes` before buffering it whole: a declared length is
 * checked first, then bytes are counted as they arrive. An over-limit body is read to its end and
 * dropped (up to 8 MiB), because runtimes such as @hono/node-server do not drain an unread body
 * and the client's next request on that connection would fail.
 */
export async function readBytes(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  if (declaredLength !== null && Number(declaredLength) > maxBytes) {
    if (body) await drain(body.getReader(), 0);
    throw tooLarge(what, maxBytes);
  }
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      if (error instanceof HttpProblem) throw error;
      throw new HttpProblem('invalid_input', `The ${what} could not be read: ${(error as Error).message}`);
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await drain(reader, size);
      throw tooLarge(what, maxBytes);
    }
    chunks.push(chunk.value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let total = alreadyRead;
  try {
    while (total <= MAX_DRAIN_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away or the stream failed: nothing left to keep usable.
  }
}
