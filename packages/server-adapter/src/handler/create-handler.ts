import { TrackingError } from '@volcanion-tracking/core';
import { registerEventRoutes } from '../routes/events';
import { isIngestRoute, registerIngestRoutes } from '../routes/ingest';
import { registerKeyRoutes } from '../routes/keys';
import { registerPartnerRoutes } from '../routes/partners';
import { registerProjectSettingsRoute } from '../routes/project-settings';
import { registerStructureRoutes } from '../routes/event-structures';
import { registerStatsRoutes } from '../routes/stats';
import { registerSystemRoutes } from '../routes/systems';
import { registerHealthRoutes } from '../routes/health';
import { registerMetricsRoute } from '../routes/metrics';
import { registerOpenApiRoutes } from '../routes/openapi';
import { ServerMetrics } from '../observability/metrics';
import { requestIdFrom } from '../observability/request-id';
import { requestLogger } from '../observability/request-logger';
import { describeRequestSpan, inRequestSpan } from '../observability/request-span';
import { isExemptRoute } from '../rate-limits/rate-limit-options';
import { EXPOSED_RATE_LIMIT_HEADERS, RateLimited } from '../rate-limits/rate-limited';
import { RequestRateLimit } from '../rate-limits/request-rate-limit';
import { resolveOptions, type HandlerOptions, type Logger } from './handler-options';
import { presentedToken } from './auth';
import { forwardedFor, forwardedValue, trustedHops, type TrustProxy } from './client-ip';
import { fromFetchRequest, toFetchResponse, underBasePath, type ApiRequest, type ApiResponse } from './api-message';
import { OriginNotAllowed, preflightResponse } from './cors';
import { errorResponse, HttpProblem, problemResponse } from './problem';
import { isUnavailable } from './unavailable';
import { NoRoute, Router, type RegisteredRoute } from './router';

/** A fetch-style handler: the whole HTTP API of Volcanion Tracking. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** The same API over {@link ApiRequest}/{@link ApiResponse}, which the Node bridge calls without web objects. */
export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

/** The API behind a fetch handler made by {@link createHandler}, with what adapters need to mount it. */
export interface MountableApi {
  api: ApiHandler;
  trustProxy: TrustProxy;
  /** Every route with its spec: what `/openapi.json` documents. */
  routes: readonly RegisteredRoute[];
}

// The label of requests no route matched: one value, however many paths are probed.
const UNMATCHED = '<unmatched>';
const quietRoutes = new Set(['/health/live', '/health/ready', '/metrics']);

const apiHandlers = new WeakMap<FetchHandler, MountableApi>();

/** The API behind a fetch handler made by {@link createHandler}, or `undefined` for any other. */
export function apiHandlerOf(handler: FetchHandler): MountableApi | undefined {
  return apiHandlers.get(handler);
}

/**
 * Builds the HTTP API as one `(Request) => Promise<Response>` function, which every adapter mounts.
 * Bad input is always a 4xx `application/problem+json` naming the field; a 500 means a fault of ours.
 *
 * ### Examples
 * ```ts
 * import { createHandler } from '@volcanion-tracking/server-adapter';
 * const handler = createHandler({ platform, admin: await platform.setUpAdminToken(process.env.ADMIN_TOKEN) });
 * const response = await handler(new Request('http://localhost/api/partners'));
 * ```
 */
export function createHandler(options: HandlerOptions): FetchHandler {
  const resolved = resolveOptions(options);
  const limits = resolved.rateLimits === false ? null : resolved.rateLimits;
  const router = new Router();
  for (const register of [
    registerPartnerRoutes,
    registerSystemRoutes,
    registerKeyRoutes,
    registerStructureRoutes,
    registerEventRoutes,
    registerIngestRoutes,
    registerProjectSettingsRoute,
    registerStatsRoutes,
    registerHealthRoutes,
  ]) {
    register(router, resolved);
  }

  const metrics = resolved.metrics === false ? null : new ServerMetrics(resolved.platform, resolved.metrics);
  if (metrics) registerMetricsRoute(router, resolved, metrics, resolved.metrics !== false && resolved.metrics.requireAdminToken === true);
  // Last: the document covers every route registered before it.
  registerOpenApiRoutes(router, resolved);

  const api: ApiHandler = (request) => {
    const ingestion = request.path.startsWith('/v1/');
    const preflight = ingestion && request.method === 'OPTIONS';
    let match: ReturnType<Router['match']> | undefined;
    let matchError: unknown;
    try {
      if (!preflight) match = router.match(request.method, request.path);
    } catch (error) {
      // A path of the host app's, not ours: it goes on untouched, without a span, log line or metric.
      if (error instanceof NoRoute) return Promise.resolve(unmatchedResponse(request, error));
      matchError = error;
    }
    return inRequestSpan(request, async (span) => {
      const started = performance.now();
      const requestId = requestIdFrom(request.header('x-request-id'));
      const log = requestLogger(resolved.logger, requestId);
      let route = UNMATCHED;
      let response: ApiResponse;
      let rateLimit: RequestRateLimit | undefined;
      let exempt = false;
      try {
        if (preflight) {
          route = '/v1/*';
          response = preflightResponse(request);
        } else {
          if (!match) throw matchError;
          const matched = match;
          route = matched.route;
          exempt = isExemptRoute(route);
          rateLimit = new RequestRateLimit(limits, request, log);
          // Ingestion charges the write key by the number of events, once it has read the body.
          if (rateLimit.active && !exempt && !isIngestRoute(route)) {
            const token = presentedToken(request) ?? matched.params.writeKey ?? null;
            await rateLimit.chargeCredentials(resolved.platform, resolved.admin, token);
          }
          response = await matched.handler({ request, url: request.url, params: matched.params, log, rateLimit });
          if (request.method === 'HEAD') response = { ...response, body: null };
        }
      } catch (error) {
        response = failureResponse(error, log);
        // A request that failed before it was charged anywhere (no or a wrong key, an unreadable
        // body) counts against its address, so that guessing keys or sending junk is limited too.
        // Exempt routes (probes, scrapes, documentation) are charged only for refused credentials,
        // so that guessing the admin token at /metrics is limited like anywhere else.
        if (rateLimit?.active && !rateLimit.charged && (!exempt || response.status === 401 || response.status === 403)) {
          response = await chargeFailure(rateLimit, response);
        }
        // Browsers may read ingestion errors, except when the origin itself is what was refused.
        if (ingestion && !(error instanceof OriginNotAllowed)) response.headers['access-control-allow-origin'] = '*';
      }
      if (rateLimit?.headers) Object.assign(response.headers, rateLimit.headers);
      // Browser SDKs must be able to read Retry-After (429, 503) on their cross-origin answers.
      if (ingestion && route !== '/v1/*') response.headers['access-control-expose-headers'] = EXPOSED_RATE_LIMIT_HEADERS;
      response.headers['x-request-id'] = requestId;
      const seconds = (performance.now() - started) / 1000;
      describeRequestSpan(span, request.method, route, response.status);
      metrics?.observeRequest(request.method, route, response.status, seconds);
      const line = { method: request.method, route, status: response.status, durationMs: Math.round(seconds * 10_000) / 10 };
      // Probes and scrapes arrive every few seconds; at info level they would drown the real traffic.
      if (quietRoutes.has(route)) log.debug?.(line, 'request completed');
      else log.info(line, 'request completed');
      return response;
    });
  };

  function unmatchedResponse(request: ApiRequest, error: NoRoute): ApiResponse {
    const response = error.toResponse();
    if (request.path.startsWith('/v1/')) response.headers['access-control-allow-origin'] = '*';
    response.headers['x-request-id'] = requestIdFrom(request.header('x-request-id'));
    return response;
  }

  async function chargeFailure(rateLimit: RequestRateLimit, response: ApiResponse): Promise<ApiResponse> {
    try {
      await rateLimit.chargeAddress();
      return response;
    } catch (error) {
      if (error instanceof RateLimited) return error.toResponse();
      throw error;
    }
  }

  function failureResponse(error: unknown, log: Logger): ApiResponse {
    if (error instanceof HttpProblem) return error.toResponse();
    if (error instanceof TrackingError) return errorResponse(error);
    if (isUnavailable(error)) {
      log.warn({ err: error }, 'database unavailable');
      return problemResponse('storage_unavailable', 'The database is unavailable; retry later', { headers: { 'retry-after': '1' } });
    }
    log.error({ err: error }, 'request failed');
    return problemResponse('internal_error', 'An unexpected error occurred; it has been logged');
  }

  const fetchHandler: FetchHandler = async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return toFetchResponse(problemResponse('invalid_input', 'The request URL is malformed'));
    }
    const path = underBasePath(url.pathname, resolved.basePath);
    if (path === null) return toFetchResponse(new NoRoute(request.method, url.pathname).toResponse());
    const hops = trustedHops(resolved.trustProxy);
    const clientIp = forwardedFor(request.headers.get('x-forwarded-for'), hops);
    const proto = forwardedValue(request.headers.get('x-forwarded-proto'), hops);
    const host = forwardedValue(request.headers.get('x-forwarded-host'), hops);
    if (proto === 'http' || proto === 'https') url.protocol = proto;
    if (host) url.host = host;
    return toFetchResponse(await api(fromFetchRequest(request, url, path, resolved.basePath, clientIp)));
  };
  apiHandlers.set(fetchHandler, { api, trustProxy: resolved.trustProxy, routes: router.routes });
  return fetchHandler;
}
