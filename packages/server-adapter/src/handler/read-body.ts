import { HttpProblem } from './problem';

/** How strictly a route reads its JSON body. */
export interface BodyRules {
  /** Most bytes on the wire, and (when compressed) most bytes after decompression. */
  maxBytes: number;
  /**
   * `strict` takes only `application/json` (and `+json`). `ingest` also takes what real tracking
   * clients send: `text/plain` (browsers, sendBeacon), `application/x-www-form-urlencoded` carrying
   * JSON (rudder-sdk-node), no content type, and `Content-Encoding: gzip` or `deflate`.
   */
  flavour: 'strict' | 'ingest';
}

/** A parsed body and how many bytes it took on the wire. */
export interface JsonBody {
  value: unknown;
  bytes: number;
}

const INGEST_TYPES = new Set(['', 'application/json', 'text/plain', 'application/x-www-form-urlencoded']);

/** Reads and parses a JSON body within the route's limits; every refusal is a problem naming why. */
export async function readJsonBody(request: Request, rules: BodyRules): Promise<JsonBody> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const isJson = type === 'application/json' || type.endsWith('+json');
  if (!isJson && !(rules.flavour === 'ingest' && INGEST_TYPES.has(type))) {
    throw new HttpProblem('unsupported_media_type', `Content-Type must be application/json, not ${JSON.stringify(type || 'none')}`);
  }
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && (rules.flavour !== 'ingest' || (encoding !== 'gzip' && encoding !== 'deflate'))) {
    throw new HttpProblem('unsupported_media_type', `Content-Encoding ${JSON.stringify(encoding)} is not supported; use gzip or deflate`);
  }
  const raw = await readBytes(request.body, request.headers.get('content-length'), rules.maxBytes, 'request body');
  const bytes = encoding === 'identity' ? raw : await decompress(raw, encoding, rules.maxBytes);
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') throw new HttpProblem('invalid_input', 'The request body is empty; a JSON object is required');
  return { value: parseJson(text, type), bytes: bytes.byteLength };
}

function parseJson(text: string, type: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // A form body whose only field is the JSON document, as `curl -d` or a form post makes it.
    if (type === 'application/x-www-form-urlencoded') {
      const fields = [...new URLSearchParams(text)];
      if (fields.length === 1 && fields[0]![1] === '') {
        try {
          return JSON.parse(fields[0]![0]);
        } catch {
          // fall through to the error about the body as sent
        }
      }
    }
    throw new HttpProblem('invalid_input', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads a stream, refusing more than `maxBytes` before buffering it whole: a declared length is
 * checked first, then bytes are counted as they arrive.
 */
async function readBytes(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const tooLarge = () => new HttpProblem('payload_too_large', `The ${what} is larger than the limit of ${maxBytes} bytes`);
  if (declaredLength !== null && Number(declaredLength) > maxBytes) throw tooLarge();
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
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

// Counted while inflating, so a small "zip bomb" is refused after maxBytes, not after exhausting memory.
function decompress(data: Uint8Array, encoding: 'gzip' | 'deflate', maxBytes: number): Promise<Uint8Array> {
  const inflated = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(encoding));
  return readBytes(inflated, null, maxBytes, 'decompressed request body');
}
