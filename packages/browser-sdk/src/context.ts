import { library } from './version';

/** What {@link pageProperties} and {@link browserContext} read: a `window`, or a stand-in in tests. */
export interface BrowserLike {
  location: { href: string; pathname: string; search: string };
  document: { referrer: string; title: string };
  navigator: { userAgent: string; language: string };
  screen: { width: number; height: number };
  devicePixelRatio: number;
}

/** The page an event happened on (`context.page`, and the properties of `page()` events), as Segment names them. */
export interface PageProperties {
  url: string;
  path: string;
  referrer: string;
  title: string;
  search: string;
}

/** The page as Segment describes it: the URL without its `#fragment`. */
export const pageProperties = ({ location: l, document: d }: Pick<BrowserLike, 'location' | 'document'>): PageProperties => ({
  url: l.href.split('#')[0]!,
  path: l.pathname,
  referrer: d.referrer,
  title: d.title,
  search: l.search,
});

/** `utm_*` query parameters as Segment's `context.campaign` (`utm_campaign` is `name`), or undefined without any. */
export function campaign(search: string): Record<string, string> | undefined {
  let found: Record<string, string> | undefined;
  for (const [key, value] of new URLSearchParams(search)) {
    if (key.startsWith('utm_')) (found ??= {})[key === 'utm_campaign' ? 'name' : key.slice(4)] = value;
  }
  return found;
}

/** The `context` every event carries: library, page, campaign, userAgent, locale, timezone and screen. */
export const browserContext = (w: BrowserLike): Record<string, unknown> => ({
  library,
  page: pageProperties(w),
  campaign: campaign(w.location.search),
  userAgent: w.navigator.userAgent,
  locale: w.navigator.language,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  screen: { width: w.screen.width, height: w.screen.height, density: w.devicePixelRatio },
});
