import type { Platform } from '@volcanion-tracking/core';
import { normalizeBasePath } from './api-message';
import type { AdminVerifier } from './auth';
import type { TrustProxy } from './client-ip';
import type { MetricsOptions } from '../observability/metrics';
import { validHealthOptions, type HealthOptions } from '../routes/health';
import { resolveRateLimits, type RateLimitOptions, type ResolvedRateLimits } from '../rate-limits/rate-limit-options';

/**
 * A pino-compatible logger subset; pass your app's logger (pino, Fastify's `app.log`) to see ours
 * in it. With `child`, each request's lines come from a child carrying `reqId`.
 */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
  child?(bindings: Record<string, unknown>): Logger;
}

/** Options of {@link createHandler}. */
export interface HandlerOptions {
  /** Every command and query, over one storage. */
  platform: Platform;
  /** Verifies the admin token of management requests (see `platform.setUpAdminToken()`). */
  admin: AdminVerifier;
  /** Largest management request body, in bytes. Default 64 KiB. */
  maxManagementBodyBytes?: number;
  /** Largest ingestion request body, in bytes. Default 500 KB, as Segment's batch limit. */
  maxIngestBodyBytes?: number;
  /**
   * Where requests (one line each, with `reqId`) and faults are logged; never event payloads or
   * keys. Pass your app's logger (pino, Fastify's `app.log`). Default: nowhere.
   */
  logger?: Logger;
  /**
   * Path prefix the fetch handler is mounted under (`/collect`): stripped before routing and kept in
   * the URLs the API hands out. Node adapters take their prefix from their own mount instead.
   */
  basePath?: string;
  /**
   * Trust forwarding headers from this many proxies in front of the app (`true` = one): the client's
   * address then comes from `X-Forwarded-For`, and the public scheme and host from
   * `X-Forwarded-Proto`/`-Host`. Only behind proxies you run: anyone can send these headers. Node
   * adapters use it unless given their own. Default false.
   */
  trustProxy?: TrustProxy;
  /**
   * `GET /metrics` in Prometheus' format (see {@link MetricsOptions}); `false` turns the route
   * and the recording off. Default on, without authentication.
   */
  metrics?: MetricsOptions | false;
  /** What `GET /health/ready` checks besides the database and migrations. */
  health?: HealthOptions;
  /**
   * `GET /openapi.json`: the OpenAPI 3.1 document of every route, generated from the zod schemas
   * that validate requests. Public, like the API's shape it describes. Default true.
   */
  openapi?: boolean;
  /**
   * `GET /docs`: a self-contained HTML reference rendered from that document (no external assets,
   * strict Content-Security-Policy). Public. Default false here, so an app that mounts the handler
   * does not grow a page it did not ask for; the standalone server turns it on (`--docs`).
   */
  docs?: boolean;
  /**
   * Token-bucket rate limits per write key, secret key, admin token and (without valid
   * credentials) client address; a refused request gets a 429 with `Retry-After` before anything
   * of it is stored. See {@link RateLimitOptions} for the buckets and defaults; pass a Redis
   * limiter to share budgets between instances. `false` turns rate limiting off. Default on, in
   * process.
   */
  rateLimits?: RateLimitOptions | false;
}

/** Options with their defaults applied. */
export type ResolvedOptions = Required<Omit<HandlerOptions, 'rateLimits'>> & { rateLimits: ResolvedRateLimits | false };

const silent: Logger = { info() {}, warn() {}, error() {} };

export function resolveOptions(options: HandlerOptions): ResolvedOptions {
  // `??`, not spread defaults: an option passed as `undefined` must still get its default.
  return {
    platform: options.platform,
    admin: options.admin,
    maxManagementBodyBytes: options.maxManagementBodyBytes ?? 64 * 1024,
    maxIngestBodyBytes: options.maxIngestBodyBytes ?? 500 * 1000,
    logger: options.logger ?? silent,
    basePath: normalizeBasePath(options.basePath),
    trustProxy: options.trustProxy ?? false,
    metrics: options.metrics ?? {},
    health: validHealthOptions(options.health),
    openapi: options.openapi ?? true,
    docs: options.docs ?? false,
    rateLimits: resolveRateLimits(options.rateLimits),
  };
}
