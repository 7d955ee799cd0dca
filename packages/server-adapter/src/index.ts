/**
 * @module
 * The Volcanion Tracking HTTP API as one fetch-style handler, `(Request) => Promise<Response>`.
 * Mount it in any fetch runtime as-is, or in Node servers through `@volcanion-tracking/server-adapter/node`.
 */
export { createHandler, type FetchHandler } from './handler/create-handler';
export type { HandlerOptions, Logger } from './handler/handler-options';
export type { AdminVerifier } from './handler/auth';
export type { HealthOptions } from './routes/health';
export type { Problem } from './handler/problem';
export { defaultRateLimits, type RateLimitOptions } from './rate-limits/rate-limit-options';
