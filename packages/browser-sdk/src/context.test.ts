import { describe, expect, it } from 'vitest';
import { browserContext, campaign, pageProperties, type BrowserLike } from './context';
import { library } from './version';

const browser = (url: string): BrowserLike => {
  const { href, pathname, search } = new URL(url);
  return {
    location: { href, pathname, search },
    document: { referrer: 'https://search.example/?q=shoes', title: 'Shoes' },
    navigator: { userAgent: 'TestAgent/1.0', language: 'fr-FR' },
    screen: { width: 1280, height: 720 },
    devicePixelRatio: 2,
  };
};

describe('pageProperties', () => {
  it('describes the page as Segment does, without the #fragment', () => {
    expect(pageProperties(browser('https://shop.example/p/1?color=red#reviews'))).toEqual({
      url: 'https://shop.example/p/1?color=red',
      path: '/p/1',
      referrer: 'https://search.example/?q=shoes',
      title: 'Shoes',
      search: '?color=red',
    });
  });
});

describe('campaign', () => {
  it('reads utm_* parameters, utm_campaign as name', () => {
    expect(campaign('?utm_source=news&utm_medium=email&utm_campaign=spring+sale&utm_term=boots&utm_content=hero&utm_id=42&x=1')).toEqual({
      source: 'news',
      medium: 'email',
      name: 'spring sale',
      term: 'boots',
      content: 'hero',
      id: '42',
    });
  });

  it('is undefined without any', () => {
    expect(campaign('')).toBeUndefined();
    expect(campaign('?a=1&utm=2')).toBeUndefined();
  });
});

describe('browserContext', () => {
  it('carries library, page, campaign, userAgent, locale, timezone and screen', () => {
    const context = browserContext(browser('https://shop.example/?utm_source=ads'));
    expect(context).toEqual({
      library: { name: '@volcanion-tracking/browser-sdk', version: library.version },
      page: expect.objectContaining({ path: '/', search: '?utm_source=ads' }),
      campaign: { source: 'ads' },
      userAgent: 'TestAgent/1.0',
      locale: 'fr-FR',
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      screen: { width: 1280, height: 720, density: 2 },
    });
  });
});
