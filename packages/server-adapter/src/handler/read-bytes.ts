import { HttpProblem } from './problem';

/** The 413 for a body over its limit. */
export function tooLarge(what: string, maxBytes: number): HttpProblem {
  return new HttpProblem('payload_too_large', `The ${what} is larger than the limit of ${maxBytes} bytes`);
}

/**
 * Reads a web stream, refusing more than `maxBytes` before buffering it whole: a declared length is
 * checked first, then bytes are counted as they arrive.
 */
export async function readBytes(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  if (declaredLength !== null && Number(declaredLength) > maxBytes) throw tooLarge(what, maxBytes);
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
      await reader.cancel().catch(() => {});
      throw tooLarge(what, maxBytes);
    }
    chunks.push(chunk.value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
