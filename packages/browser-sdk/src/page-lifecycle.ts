/**
 * Listens to what analytics-next's `on-page-change` listens to, `visibilitychange` to hidden and
 * `pagehide`, plus `pageshow` from the back/forward cache, `online` and `storage`.
 *
 * @param hidden The page was hidden (tab or app switch, or the first step of closing): send what is queued.
 * @param leave The page is going away (`pagehide`): hand what is left to keepalive requests.
 * @param back The page came back from the back/forward cache.
 * @param online The browser is online again.
 * @param storage Another tab changed `localStorage` key `key`.
 */
export function onPageLifecycle(
  hidden: () => void,
  leave: () => void,
  back: () => void,
  online: () => void,
  storage: (key: string | null) => void,
): void {
  const on = addEventListener;
  on('pagehide', leave);
  on('pageshow', (e) => e.persisted && back());
  on('online', online);
  on('storage', (e) => storage(e.key));
  // Fired at the document, it bubbles up to the window.
  on('visibilitychange', () => document.hidden && hidden());
}
