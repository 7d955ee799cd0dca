/** One year, in seconds: how long identity cookies live (renewed on every visit). */
export const YEAR = 31536e3;

/**
 * A `document.cookie` assignment for a first-party cookie: `path=/`, `SameSite=Lax`, one year (or
 * deleted when `value` is null), `Secure` on https pages and `domain` when given (`shop.example`
 * shares it with every subdomain).
 */
export const cookieString = (name: string, value: string | null, domain?: string, secure?: boolean): string =>
  `${name}=${encodeURIComponent(value ?? '')};path=/;max-age=${value == null ? 0 : YEAR};SameSite=Lax${domain ? `;domain=${domain}` : ''}${secure ? ';Secure' : ''}`;

/** The value of cookie `name` in a `document.cookie` string, or null. */
export const readCookie = (cookies: string, name: string): string | null => {
  const match = cookies.match(`(?:^|; )${name}=([^;]*)`);
  return match ? decodeURIComponent(match[1]!) : null;
};
