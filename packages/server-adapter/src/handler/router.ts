import { InvalidInputError } from '@volcanion-tracking/core';
import type { z } from 'zod';
import type { RouteSpec } from '../openapi/route-spec';
import type { ApiRequest, ApiResponse } from './api-message';
import type { Logger } from './handler-options';
import type { RequestRateLimit } from '../rate-limits/request-rate-limit';
import { HttpProblem } from './problem';

/** What the router is given for a request it matched. */
export interface MatchContext {
  request: ApiRequest;
  url: URL;
  /** The path's `:name` segments, decoded. */
  params: Record<string, string>;
  /** Logs with the request id on every line. */
  log: Logger;
  /** This request's rate limit; routes that charge by what the body holds (ingestion) call it. */
  rateLimit: RequestRateLimit;
}

/** What a route handler is given: path parameters and the query parsed with its spec's schemas. */
export interface RouteContext<P = Record<string, string>, Q = Record<string, never>> {
  request: ApiRequest;
  url: URL;
  params: P;
  /**
   * The query parameters as the spec's `query` schema parses them (empty ones count as absent);
   * throws a 400 naming the parameter when they do not parse. Call it after checking credentials,
   * so that callers without them learn nothing from validation.
   */
  query(): Q;
  /** Logs with the request id on every line. */
  log: Logger;
  /** This request's rate limit; routes that charge by what the body holds (ingestion) call it. */
  rateLimit: RequestRateLimit;
}

type ParamsOf<S extends RouteSpec> = S['params'] extends z.ZodType ? z.output<S['params']> : Record<string, never>;
type QueryOf<S extends RouteSpec> = S['query'] extends z.ZodType ? z.output<S['query']> : Record<string, never>;

/** A route handler typed by its spec. */
export type RouteHandler<S extends RouteSpec = RouteSpec> = (ctx: RouteContext<ParamsOf<S>, QueryOf<S>>) => Promise<ApiResponse>;

/** HTTP methods routes are registered for. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route as registered: what the OpenAPI document is generated from. */
export interface RegisteredRoute {
  method: HttpMethod;
  /** As registered (`/api/systems/:id`): the label of metrics, logs and spans. */
  path: string;
  spec: RouteSpec;
}

interface Route extends RegisteredRoute {
  segments: string[];
  run: (ctx: MatchContext) => Promise<ApiResponse>;
}

/**
 * A small path router: `:name` segments capture. A path that matches with another method answers
 * 405 with `Allow`; no match answers 404. Every route comes with its {@link RouteSpec}, from which
 * the OpenAPI document is generated, and its parameters are parsed with the spec's schemas.
 */
export class Router {
  readonly #routes: Route[] = [];

  /**
   * Registers a route. Throws when the spec's `params` do not name exactly the path's `:name`
   * segments, or when its `operationId` is taken: mistakes that would make the document wrong.
   */
  on<S extends RouteSpec>(method: HttpMethod, path: string, spec: S, handler: RouteHandler<S>): this {
    const segments = path.split('/').filter(Boolean);
    checkSpec(method, path, segments, spec, this.#routes);
    const run = (ctx: MatchContext) => {
      const params = spec.params ? parse(spec.params, ctx.params) : ctx.params;
      let query: unknown;
      return handler({
        request: ctx.request,
        url: ctx.url,
        log: ctx.log,
        rateLimit: ctx.rateLimit,
        params: params as ParamsOf<S>,
        query: () => (query ??= spec.query ? parse(spec.query, queryObject(ctx.url)) : {}) as QueryOf<S>,
      });
    };
    this.#routes.push({ method, path, spec, segments, run });
    return this;
  }

  /** Every registered route with its spec, in registration order. */
  get routes(): readonly RegisteredRoute[] {
    return this.#routes.map(({ method, path, spec }) => ({ method, path, spec }));
  }

  /** The handler for a request, or the problem explaining why there is none. */
  match(method: string, pathname: string): { handler: (ctx: MatchContext) => Promise<ApiResponse>; params: Record<string, string>; route: string } {
    const parts = pathname.split('/').filter(Boolean);
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { handler: route.run, params, route: route.path };
      allowed.add(route.method);
    }
    if (allowed.size > 0) throw new MethodNotAllowed([...allowed]);
    throw new NoRoute(method, pathname);
  }
}

function checkSpec(method: string, path: string, segments: string[], spec: RouteSpec, routes: readonly Route[]): void {
  const inPath = segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1)).sort();
  const inSpec = Object.keys(spec.params?.shape ?? {}).sort();
  if (inPath.join() !== inSpec.join()) {
    throw new Error(`${method} ${path}: the spec's params (${inSpec.join(', ') || 'none'}) must be the path's (${inPath.join(', ') || 'none'})`);
  }
  const taken = routes.find((r) => r.spec.operationId === spec.operationId);
  if (taken) throw new Error(`${method} ${path}: operationId ${spec.operationId} is taken by ${taken.method} ${taken.path}`);
}

// Parameters are untrusted input: a failure is a 400 naming the parameter, as for bodies.
function parse(schema: z.ZodType, input: Record<string, string>): unknown {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message })));
}

/** The first value of each query parameter; an empty one counts as absent. */
function queryObject(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (value !== '' && !(name in query)) query[name] = value;
  }
  return query;
}

/** 405 with the methods the path does allow. */
export class MethodNotAllowed extends HttpProblem {
  constructor(readonly allow: string[]) {
    super('method_not_allowed', `This path allows ${allow.join(', ')}`);
  }

  override toResponse(): ApiResponse {
    const response = super.toResponse();
    response.headers.allow = this.allow.join(', ');
    return response;
  }
}

function matchSegments(route: string[], parts: string[]): Record<string, string> | null {
  if (route.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < route.length; i++) {
    const segment = route[i]!;
    let part: string;
    try {
      part = decodeURIComponent(parts[i]!);
    } catch {
      return null;
    }
    if (segment.startsWith(':')) params[segment.slice(1)] = part;
    else if (segment !== part) return null;
  }
  return params;
}

/** 404: no route has this path; middleware passes such requests on to the host app. */
export class NoRoute extends HttpProblem {
  constructor(method: string, pathname: string) {
    super('not_found', `No route for ${method} ${pathname}`);
  }

  override toResponse(): ApiResponse {
    return { ...super.toResponse(), unmatched: true };
  }
}
