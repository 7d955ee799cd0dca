/** What browsers let all keepalive requests of a page carry at once (64 KiB), with some margin. */
export const KEEPALIVE_BUDGET = 64e3;

/**
 * Posts a batch body; resolves with the response, or 0 when the request failed (offline, blocked
 * by an extension, refused by CORS). Never rejects. Always `keepalive` (batches stay within its
 * budget), so a request under way when the page goes away still completes.
 */
export const post = (url: string, body: string, authorization?: string): Promise<Response | 0> =>
  fetch(url, { method: 'POST', body, keepalive: true, headers: authorization ? { authorization } : {} }).catch(() => 0);

/**
 * Sends while the page goes away, where nobody reads the answer: a `keepalive` fetch without custom
 * headers (so no preflight), then `sendBeacon` if the browser refused it (over the keepalive budget).
 */
export const postOnUnload = (url: string, body: string): unknown =>
  post(url, body).then((response) => (response as Response).status || navigator.sendBeacon(url, body));
