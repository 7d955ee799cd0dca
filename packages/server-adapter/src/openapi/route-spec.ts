import type { z } from 'zod';

/**
 * Who may call a route, as the OpenAPI document's security says: `write-key` (HTTP Basic username,
 * as Segment's clients send it), `secret-key` and `admin` (Bearer), or `public` (nobody needs to).
 * A list means any one of them.
 */
export type AuthKind = 'public' | 'write-key' | 'secret-key' | 'admin';

/** An object schema of path or query parameters; each property is one parameter. */
export type ParamsSchema = z.ZodObject;

/** The answer of a route for one status. */
export interface ResponseSpec {
  /** One line on what this status means here. */
  description: string;
  /** The body's schema; leave it out for an empty body (204). */
  schema?: z.ZodType;
  /** The body's media type. Default `application/json`. */
  contentType?: string;
  /** Response headers worth documenting (`Location`, `Retry-After`), by name. */
  headers?: Record<string, string>;
}

/** The request body of a route. */
export interface BodySpec {
  /** The body's schema: the very object that parses it, wherever it is parsed. */
  schema: z.ZodType;
  /** Media types taken. Default `application/json`. */
  contentTypes?: readonly string[];
  /** What the body is for, when the schema alone does not say. */
  description?: string;
}

/**
 * The OpenAPI description of a route. `Router.on` requires one, so no route can be undocumented,
 * and the router parses path and query parameters with the schemas given here, so the document
 * cannot drift from what the route accepts.
 *
 * ### Examples
 * ```ts
 * router.on('GET', '/api/partners/:id', {
 *   operationId: 'getPartner',
 *   summary: 'Read a partner',
 *   tag: 'Partners',
 *   auth: 'admin',
 *   params: z.object({ id: z.string() }),
 *   responses: { 200: ok(partnerSchema, 'The partner'), ...problems(401, 403, 404) },
 * }, async ({ params }) => json(200, partnerView(await read(params.id))));
 * ```
 */
export interface RouteSpec {
  /** Unique among all routes; clients generated from the document name their methods after it. */
  operationId: string;
  summary: string;
  description?: string;
  /** The group the docs page shows the route under. */
  tag: string;
  auth: AuthKind | readonly AuthKind[];
  /** One property per `:name` segment of the path, no more, no less. */
  params?: ParamsSchema;
  query?: ParamsSchema;
  body?: BodySpec;
  /** Every status the route answers with, errors included (500 is added to every route). */
  responses: Record<number, ResponseSpec>;
}
