import type { ApiRequest } from './api-message';
import { ForbiddenError, NotFoundError, UnauthorizedError, type KeyPrincipal, type Platform } from '@volcanion-tracking/core';

/** Who made a request. */
export type Caller = { kind: 'admin' } | { kind: 'key'; principal: KeyPrincipal };

/** What the handler needs to know about the admin token. */
export interface AdminVerifier {
  verify(presented: string): boolean;
}

/** The token a request presents: a Bearer token, or the username of HTTP Basic (Segment's form). */
export function presentedToken(request: ApiRequest): string | null {
  const header = request.header('authorization');
  if (!header) return null;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value || null;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
    return user || null;
  }
  return null;
}

// The rate limiter charges a request's key before its route runs, and the route needs the same key.
const keyLookups = new WeakMap<ApiRequest, Map<string, ReturnType<Platform['authenticateKey']>>>();

/** The key a token names, looked up once per request however many steps ask. */
export function authenticateKeyOnce(platform: Platform, request: ApiRequest, token: string): ReturnType<Platform['authenticateKey']> {
  let byToken = keyLookups.get(request);
  if (!byToken) keyLookups.set(request, (byToken = new Map()));
  let lookup = byToken.get(token);
  if (!lookup) byToken.set(token, (lookup = platform.authenticateKey(token)));
  return lookup;
}

/**
 * Resolves the token a request presents to the admin or a key; throws `UnauthorizedError` for
 * anything else.
 */
export async function identify(platform: Platform, admin: AdminVerifier, request: ApiRequest, token: string | null): Promise<Caller> {
  if (!token) throw new UnauthorizedError('This route needs credentials: Authorization: Bearer <token>');
  if (admin.verify(token)) return { kind: 'admin' };
  const principal = await authenticateKeyOnce(platform, request, token);
  if (!principal.ok) throw principal.error;
  return { kind: 'key', principal: principal.value };
}

/** Management routes: only the admin token. */
export async function requireAdmin(platform: Platform, admin: AdminVerifier, request: ApiRequest): Promise<void> {
  const caller = await identify(platform, admin, request, presentedToken(request));
  if (caller.kind !== 'admin') throw new ForbiddenError('Management routes need the admin token; API keys cannot use them');
}

/**
 * Routes that read one system's data: the admin token, or that system's secret key. Another
 * system's key learns nothing, not even that the system exists.
 */
export async function requireSystemReader(
  platform: Platform,
  admin: AdminVerifier,
  request: ApiRequest,
  systemId: string,
): Promise<Caller> {
  const caller = await identify(platform, admin, request, presentedToken(request));
  if (caller.kind === 'admin') return caller;
  if (caller.principal.system.id !== systemId) throw new NotFoundError('system', systemId);
  if (caller.principal.kind !== 'secret') throw new ForbiddenError('A write key can only ingest; reading needs the secret key');
  return caller;
}
