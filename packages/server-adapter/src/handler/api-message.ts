import { readBytes } from './read-bytes';

/**
 * The parts of an HTTP request the API reads. A fetch `Request` provides them (see
 * {@link fromFetchRequest}), and so does a Node request without building web streams, which is
 * what keeps the Node path fast.
 */
export interface ApiRequest {
  readonly method: string;
  /** The URL as the client sent it, mount prefix included. */
  readonly url: URL;
  /** The path the API routes on: `url.pathname` without the mount prefix. */
  readonly path: string;
  /** The mount prefix (`/collect`), or `''` at the root. */
  readonly basePath: string;
  /** The client's address; forwarded headers count only when the adapter trusts its proxy. */
  readonly clientIp: string | null;
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
  /** Set when no route matched the path, so middleware can hand the request to the host app. */
  unmatched?: true;
}

/** Splits a pathname at a mount prefix; `null` when the path is outside it. */
export function underBasePath(pathname: string, basePath: string): string | null {
  if (!basePath) return pathname;
  if (pathname === basePath) return '/';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : null;
}

/** A mount prefix in canonical form: leading slash, no trailing slash, `''` for the root. */
export function normalizeBasePath(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The request side of a fetch `Request`, routed on the path below `basePath`. */
export function fromFetchRequest(request: Request, url: URL, path: string, basePath: string, clientIp: string | null): ApiRequest {
  return {
    method: request.method,
    url,
    path,
    basePath,
    clientIp,
    header: (name) => request.headers.get(name),
    readBody: (maxBytes) => readBytes(request.body, request.headers.get('content-length'), maxBytes, 'request body'),
  };
}

/** A fetch `Response` for an answer. */
export function toFetchResponse(response: ApiResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}
