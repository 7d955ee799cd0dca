import type { PartnerSystem } from '@volcanion-tracking/core';
import type { ApiRequest, ApiResponse } from './api-message';
import { empty } from './json';
import { HttpProblem } from './problem';

/** Headers browsers' tracking clients send: analytics-next adds `authorization` and `x-retry-count`. */
const ALLOWED_HEADERS = 'authorization, content-type, content-encoding, x-retry-count, x-request-id';

/**
 * Answers a CORS preflight for the ingestion routes. The system is unknown until the real request
 * shows its key, so the preflight allows any origin; the real request enforces the system's list.
 */
export function preflightResponse(request: ApiRequest): ApiResponse {
  return empty(204, {
    'access-control-allow-origin': request.header('origin') ?? '*',
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '7200',
    vary: 'Origin',
  });
}

/** The request's origin is not in the system's allowed origins. */
export class OriginNotAllowed extends HttpProblem {
  constructor(origin: string) {
    super('forbidden', `Origin ${origin} is not allowed to send events to this system`);
  }
}

/**
 * The `Access-Control-Allow-Origin` a system grants a request, or throws {@link OriginNotAllowed}.
 * Without a list any origin may send (no credentials, so `*` suffices).
 */
export function allowOrigin(request: ApiRequest, system: PartnerSystem): Record<string, string> {
  const origin = request.header('origin');
  const allowed = system.settings.allowedOrigins;
  if (!origin || allowed === null) return { 'access-control-allow-origin': '*' };
  if (!allowed.includes(origin)) throw new OriginNotAllowed(origin);
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}
