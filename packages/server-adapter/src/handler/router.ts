import type { ApiRequest, ApiResponse } from './api-message';
import type { Logger } from './handler-options';
import type { RequestRateLimit } from '../rate-limits/request-rate-limit';
import { HttpProblem } from './problem';

/** What a route handler is given. */
export interface RouteContext {
  request: ApiRequest;
  url: URL;
  params: Record<string, string>;
  /** Logs with the request id on every line. */
  log: Logger;
  /** This request's rate limit; routes that charge by what the body holds (ingestion) call it. */
  rateLimit: RequestRateLimit;
}

export type RouteHandler = (ctx: RouteContext) => Promise<ApiResponse>;

interface Route {
  method: string;
  /** As registered (`/api/systems/:id`): the label of metrics, logs and spans. */
  path: string;
  segments: string[];
  handler: RouteHandler;
}

/**
 * A small path router: `:name` segments capture. A path that matches with another method answers
 * 405 with `Allow`; no match answers 404.
 */
export class Router {
  readonly #routes: Route[] = [];

  on(method: string, path: string, handler: RouteHandler): this {
    this.#routes.push({ method, path, segments: path.split('/').filter(Boolean), handler });
    return this;
  }

  /** The handler for a request, or the problem explaining why there is none. */
  match(method: string, pathname: string): { handler: RouteHandler; params: Record<string, string>; route: string } {
    const parts = pathname.split('/').filter(Boolean);
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { handler: route.handler, params, route: route.path };
      allowed.add(route.method);
    }
    if (allowed.size > 0) throw new MethodNotAllowed([...allowed]);
    throw new NoRoute(method, pathname);
  }
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
