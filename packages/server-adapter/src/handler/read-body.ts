import type { ApiRequest } from './api-message';
import { HttpProblem } from './problem';
import { readBytes } from './read-bytes';

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
export async function readJsonBody(request: ApiRequest, rules: BodyRules): Promise<JsonBody> {
  const type = (request.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const isJson = type === 'application/json' || type.endsWith('+json');
  if (!isJson && !(rules.flavour === 'ingest' && INGEST_TYPES.has(type))) {
    throw new HttpProblem('unsupported_media_type', `Content-Type must be application/json, not ${JSON.stringify(type || 'none')}`);
  }
  const encoding = (request.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && (rules.flavour !== 'ingest' || (encoding !== 'gzip' && encoding !== 'deflate'))) {
    throw new HttpProblem('unsupported_media_type', `Content-Encoding ${JSON.stringify(encoding)} is not supported; use gzip or deflate`);
  }
  const raw = await request.readBody(rules.maxBytes);
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

// Counted while inflating, so a small "zip bomb" is refused after maxBytes, not after exhausting memory.
function decompress(data: Uint8Array, encoding: 'gzip' | 'deflate', maxBytes: number): Promise<Uint8Array> {
  const inflated = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(encoding));
  return readBytes(inflated, null, maxBytes, 'decompressed request body');
}
