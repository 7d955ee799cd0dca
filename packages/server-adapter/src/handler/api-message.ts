import { readBytes } from './read-bytes';

/**
 * The parts of an HTTP request the API reads. A fetch `Request` provides them (see
 * {@link fromFetchRequest}), and so does a Node request without building web streams, which is
 * what keeps the Node path fast.
 */
export interface ApiRequest {
  readonly method: string;
  readonly url: URL;
  /** A header's value by lower-case name, or `null`. */
  header(name: string): string | null;
  /** The body's bytes; more than `maxBytes` is refused with a 413 before it is buffered whole. */
  readBody(maxBytes: number): Promise<Uint8Array>;
}

/** What the API answers: small, so that adapters can write it without building a fetch `Response`. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** The request side of a fetch `Request`. */
export function fromFetchRequest(request: Request, url: URL): ApiRequest {
  return {
    method: request.method,
    url,
    header: (name) => request.headers.get(name),
    readBody: (maxBytes) => readBytes(request.body, request.headers.get('content-length'), maxBytes, 'request body'),
  };
}

/** A fetch `Response` for an answer. */
export function toFetchResponse(response: ApiResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}
