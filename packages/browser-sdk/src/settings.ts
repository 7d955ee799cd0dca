/** Whether the visitor agreed to be tracked. Nothing is sent or stored before `granted`. */
export type Consent = 'pending' | 'granted' | 'denied';

/** Options of `load()`. Every one is optional. */
export interface LoadOptions {
  /**
   * Origin of the Volcanion Tracking server, such as `https://collect.example`. Default: the page's
   * own origin (a first-party mount).
   */
  host?: string;
  /** Path prefix the API is mounted under on `host`, such as `/collect`. Events go to `{host}{path}/v1/batch`. Default none. */
  path?: string;
  /** Send a `page()` event as soon as the SDK loads (after calls queued before it). Default false. */
  page?: boolean;
  /** Consent to start with: `pending` holds events in memory, `denied` drops them. Default `granted`. */
  consent?: Consent;
  /** Domain of the identity cookies, e.g. `shop.example` to share them with every subdomain. Default: the page's host only. */
  cookieDomain?: string;
  /** Send as soon as this many events are queued. Default 20. */
  flushAt?: number;
  /** Send queued events at the latest this many milliseconds after the first was queued. Default 5000. */
  flushInterval?: number;
  /** Largest batch request body, in bytes; at most 64000, what keepalive requests may carry. Default 32000. */
  maxBatchBytes?: number;
  /** Most events kept while they cannot be sent; beyond it the oldest go (reported as `overflow`). Default 1000. */
  maxQueue?: number;
  /**
   * Also send the write key as HTTP Basic `Authorization`. The request then needs a CORS preflight on
   * cross-origin hosts; by default the key travels in the `text/plain` body, which needs none. Default false.
   */
  authHeader?: boolean;
}

/**
 * Options with their defaults applied. A tuple, not an object, because property names survive
 * minification and the script has a 3 KB budget.
 */
export type Settings = [
  url: string,
  flushAt: number,
  flushInterval: number,
  maxBatchBytes: number,
  maxQueue: number,
  authorization: string | undefined,
];

/** Applies the defaults of {@link LoadOptions}; batches stay within keepalive's 64 KB. */
export const resolveSettings = (writeKey: string, o: LoadOptions): Settings => [
  `${o.host ?? ''}${o.path ?? ''}`.replace(/\/+$/, '') + '/v1/batch',
  o.flushAt ?? 20,
  o.flushInterval ?? 5e3,
  Math.min(o.maxBatchBytes ?? 32e3, 64e3),
  o.maxQueue ?? 1e3,
  o.authHeader ? `Basic ${btoa(`${writeKey}:`)}` : undefined,
];
