import type { KeyPrincipal, Platform, RateLimitPolicy } from '@volcanion-tracking/core';
import type { ApiRequest } from '../handler/api-message';
import { authenticateKeyOnce, type AdminVerifier } from '../handler/auth';
import type { Logger } from '../handler/handler-options';
import type { ResolvedRateLimits } from './rate-limit-options';
import { RateLimited, rateLimitHeaders, type LimitName } from './rate-limited';

/**
 * The rate limit of one request: it charges the request to one bucket, once, and keeps the
 * `RateLimit-*` headers for the response. Charging throws {@link RateLimited} when the bucket is
 * empty. Without limits (turned off, or an exempt route) every method does nothing.
 */
export class RequestRateLimit {
  /** The headers of the bucket charged, for the response; `null` until a charge. */
  headers: Record<string, string> | null = null;
  /** True once the request has been charged to some bucket. */
  charged = false;

  constructor(
    private readonly limits: ResolvedRateLimits | null,
    private readonly request: ApiRequest,
    private readonly log: Logger,
  ) {}

  /** True when this request is subject to rate limits. */
  get active(): boolean {
    return this.limits !== null;
  }

  /**
   * Charges a key's ingestion budget by the events a request carries (at least one): a write key's,
   * or a secret key's when it ingests, so no kind of key gets around the limit by batching. The
   * key's system may have its own limit.
   */
  chargeIngest(principal: KeyPrincipal, events: number): Promise<void> {
    if (!this.limits) return Promise.resolve();
    const policy = principal.system.settings.rateLimits?.ingest ?? this.limits.ingest;
    return this.#charge(`ingest:${principal.keyId}`, Math.max(1, events), policy, 'ingest', `${principal.kind} key ${principal.keyId}`);
  }

  /** Charges a secret key's API budget, one request; the key's system may have its own limit. */
  chargeKey(principal: KeyPrincipal): Promise<void> {
    if (!this.limits) return Promise.resolve();
    const policy = principal.system.settings.rateLimits?.api ?? this.limits.api;
    return this.#charge(`api:${principal.keyId}`, 1, policy, 'api', `${principal.kind} key ${principal.keyId}`);
  }

  /** Charges the admin token's bucket, one request. */
  chargeAdmin(): Promise<void> {
    if (!this.limits) return Promise.resolve();
    return this.#charge('api:admin', 1, this.limits.api, 'api', 'the admin token');
  }

  /** Charges the client address's bucket for a request without valid credentials; nothing when the address is unknown. */
  chargeAddress(): Promise<void> {
    const ip = this.request.clientIp;
    if (!this.limits || !ip) return Promise.resolve();
    return this.#charge(`ip:${ip}`, 1, this.limits.unauthenticated, 'unauthenticated', ip);
  }

  /**
   * Charges by the credentials a request presents, before its route runs: the admin token, a key
   * (looked up through the platform's credential cache), or else the client address.
   */
  async chargeCredentials(platform: Platform, admin: AdminVerifier, token: string | null): Promise<void> {
    if (!this.limits) return;
    if (!token) return this.chargeAddress();
    if (admin.verify(token)) return this.chargeAdmin();
    const principal = await authenticateKeyOnce(platform, this.request, token);
    return principal.ok ? this.chargeKey(principal.value) : this.chargeAddress();
  }

  async #charge(bucket: string, cost: number, policy: RateLimitPolicy, limit: LimitName, who: string): Promise<void> {
    if (this.charged) return;
    this.charged = true;
    let decision;
    try {
      decision = await this.limits!.limiter.take(bucket, cost, policy);
    } catch (error) {
      // A limiter that fails must not take the API down with it: the request goes on unlimited.
      this.log.warn({ err: error, limit }, 'rate limiter failed; request allowed');
      return;
    }
    this.headers = rateLimitHeaders(decision);
    if (!decision.allowed) throw new RateLimited(limit, who, policy, decision);
  }
}
