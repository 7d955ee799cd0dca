/**
 * How far to trust forwarding headers: `false` (the default) ignores them; `true` trusts one proxy
 * in front of the app; a number trusts that many. Proxies append to `X-Forwarded-For`, so the
 * client's address is the entry that many places from the end: entries further left were written
 * by the client itself and could be anything.
 */
export type TrustProxy = boolean | number;

/** How many proxy hops {@link TrustProxy} trusts. */
export function trustedHops(trust: TrustProxy | undefined): number {
  if (trust === true) return 1;
  return typeof trust === 'number' && trust > 0 ? Math.floor(trust) : 0;
}

/** The client's address from `X-Forwarded-For` past `hops` trusted proxies, or `null`. */
export function forwardedFor(header: string | null | undefined, hops: number): string | null {
  if (hops <= 0 || !header) return null;
  const entries = header.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  return entries[Math.max(0, entries.length - hops)] ?? null;
}

/** The last value a trusted proxy set in a single-valued forwarding header (`X-Forwarded-Proto`). */
export function forwardedValue(header: string | null | undefined, hops: number): string | null {
  if (hops <= 0 || !header) return null;
  const value = header.split(',').at(-1)?.trim();
  return value ? value : null;
}
