import { HttpProblem } from './problem';

/** Which content types a route accepts as JSON. */
export type JsonFlavour = 'strict' | 'lenient';

/**
 * Reads a JSON body, refusing more than `maxBytes` before buffering it whole: a declared length is
 * checked first, then the stream is counted as it arrives. `strict` accepts `application/json` (and
 * `+json`); `lenient` also accepts `text/plain`, which browsers send to skip a CORS preflight.
 */
export async function readJsonBody(request: Request, maxBytes: number, flavour: JsonFlavour = 'strict'): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const isJson = type === 'application/json' || type.endsWith('+json');
  if (!isJson && !(flavour === 'lenient' && type === 'text/plain')) {
    throw new HttpProblem('unsupported_media_type', `Content-Type must be application/json, not ${JSON.stringify(type || 'none')}`);
  }
  const text = await readText(request, maxBytes);
  if (text.trim() === '') throw new HttpProblem('invalid_input', 'The request body is empty; a JSON object is required');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpProblem('invalid_input', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The body as text, at most `maxBytes` of it. */
export async function readText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new HttpProblem('payload_too_large', `The request body is larger than ${maxBytes} bytes`);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
