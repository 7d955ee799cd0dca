import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { snippet } from '../src/snippet';
import { duplicates, launchBrowser, sdkPage, startStack, waitFor, type Stack } from './support/stack';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});
afterEach(async () => context?.close());
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Counts, in the page, every request the SDK could make: fetch and sendBeacon calls. */
async function spyOnSends(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { sends: number };
    w.sends = 0;
    const fetch = window.fetch.bind(window);
    window.fetch = (...args) => (w.sends++, fetch(...args));
    const beacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (...args) => (w.sends++, beacon(...args));
  });
  return () => page.evaluate(() => (window as unknown as { sends: number }).sends);
}

/** The SDK's keys in localStorage and cookies. */
async function stored(page: Page) {
  const local = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('vt_')));
  const cookies = (await page.context().cookies()).map((c) => c.name).filter((name) => name.startsWith('vt_'));
  return [...local, ...cookies];
}

describe('consent', () => {
  it('nothing is sent or stored while pending; granting sends what was held', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const sends = await spyOnSends(page);
    await page.goto(
      stack.page(
        sdkPage({
          writeKey,
          options: { host: stack.api, flushAt: 1, consent: 'pending', page: true },
          body: `volcanion.identify('user-1', { plan: 'pro' }); volcanion.track('Held');`,
        }),
      ),
    );
    await page.evaluate(() => volcanion.flush());
    // A send would have started synchronously inside flush(): none did, and nothing was written.
    expect(await sends()).toBe(0);
    expect(await stored(page)).toEqual([]);
    expect(await page.evaluate(() => volcanion.consent())).toBe('pending');
    expect(await page.evaluate(() => volcanion.user().userId)).toBe('user-1');

    expect(await page.evaluate(() => volcanion.consent('granted'))).toBe('granted');
    const events = await waitFor('the held events', async () => {
      const all = await stack.stored(systemId);
      return all.length === 3 && all;
    });
    expect(events.map((e) => [e.type, e.userId]).sort()).toEqual([
      ['identify', 'user-1'],
      ['page', null], // the automatic page() on load came before identify()
      ['track', 'user-1'],
    ]);
    expect(await stored(page)).toEqual(expect.arrayContaining(['vt_aid', 'vt_uid', 'vt_traits']));
  });

  it('denied drops events and forgets the stored identity', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const sends = await spyOnSends(page);
    const url = stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1 }, body: `volcanion.identify('user-9');` }));
    await page.goto(url);
    await waitFor('the identify event', async () => (await stack.stored(systemId)).length === 1);
    expect(await stored(page)).toEqual(expect.arrayContaining(['vt_aid', 'vt_uid']));
    const before = await sends();

    await page.evaluate(() => {
      volcanion.consent('denied');
      volcanion.track('Denied 1');
      volcanion.page();
      volcanion.flush();
    });
    expect(await sends()).toBe(before);
    expect(await stored(page)).toEqual([]);

    // A later page that starts denied sends nothing either, even on the way out.
    const deniedPage = stack.page(sdkPage({ writeKey, options: { host: stack.api, consent: 'denied', page: true }, body: `volcanion.track('Denied 2');` }));
    await page.goto(deniedPage);
    await page.goto(stack.page('<!doctype html><title>Elsewhere</title>'));
    await page.goto(deniedPage);
    expect(await sends()).toBe(0);
    expect(await stored(page)).toEqual([]);
    expect((await stack.stored(systemId)).map((e) => e.type)).toEqual(['identify']);
  });
});

describe('CORS', () => {
  it('a preflighted cross-origin request (Basic auth) to a system that allows the page\'s origin', async () => {
    const { systemId, writeKey } = await stack.newSystem({ allowedOrigins: [stack.site] });
    context = await browser.newContext();
    const page = await context.newPage();
    const from = stack.requests.length;
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1, authHeader: true }, body: `volcanion.track('Preflighted');` })));
    await waitFor('the preflighted event', async () => (await stack.stored(systemId)).length === 1);
    const seen = stack.requests.slice(from).filter((r) => r.path.startsWith('/v1/'));
    const preflight = seen.find((r) => r.method === 'OPTIONS');
    const post = seen.find((r) => r.method === 'POST');
    expect(preflight).toMatchObject({ path: '/v1/batch', origin: stack.site });
    expect(post).toMatchObject({ path: '/v1/batch', origin: stack.site, authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` });
    expect(seen.indexOf(preflight!)).toBeLessThan(seen.indexOf(post!));
  });

  it('a simple text/plain request needs no preflight', async () => {
    const { systemId, writeKey } = await stack.newSystem({ allowedOrigins: [stack.site] });
    context = await browser.newContext();
    const page = await context.newPage();
    const from = stack.requests.length;
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1 }, body: `volcanion.track('Simple');` })));
    await waitFor('the simple event', async () => (await stack.stored(systemId)).length === 1);
    const seen = stack.requests.slice(from).filter((r) => r.path.startsWith('/v1/'));
    expect(seen.map((r) => r.method)).toEqual(['POST']);
    expect(seen[0]).toMatchObject({ origin: stack.site, authorization: undefined, contentType: 'text/plain;charset=UTF-8' });
  });

  it('an origin the system does not allow is refused; the page keeps its events and its calm', async () => {
    const { systemId, writeKey } = await stack.newSystem({ allowedOrigins: ['https://shop.example'] });
    context = await browser.newContext();
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    const failed = page.waitForEvent('requestfailed');
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1 }, body: `volcanion.track('Refused');` })));
    await failed; // the browser hides the 403 without Access-Control-Allow-Origin: a network error to the page
    expect(await stack.stored(systemId)).toEqual([]);
    // The queue reaches localStorage once the tab's Web Lock is granted, which may come after the failure.
    const queued = await waitFor('the refused event in the persisted queue', () =>
      page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('vt_q_')).map((k) => localStorage.getItem(k)).join()).then((q) => q.includes('Refused') && q),
    );
    expect(queued).toContain('Refused');
    expect(errors).toEqual([]);
  });
});

describe('the snippet', () => {
  it('queues calls made before the SDK loads and replays them in order, with their own time', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const html = `<!doctype html><html><head><title>Snippet</title><script>
${snippet({ src: '/volcanion.min.js?delay=700', writeKey, options: { host: stack.api, flushAt: 3 }, page: true })}
volcanion.identify('early-user', { plan: 'pro' });
volcanion.track('Early', { n: 1 });
window.calledAt = Date.now();
window.stubbed = Array.isArray(window.volcanion);
</script></head><body></body></html>`;
    await page.goto(stack.page(html), { waitUntil: 'domcontentloaded' });
    expect(await page.evaluate(() => (window as unknown as { stubbed: boolean }).stubbed)).toBe(true);
    await page.waitForFunction(() => typeof volcanion.user === 'function');
    const loadedAt = await page.evaluate(() => Date.now());
    const calledAt = await page.evaluate(() => (window as unknown as { calledAt: number }).calledAt);
    expect(loadedAt - calledAt).toBeGreaterThanOrEqual(600);

    const events = await waitFor('the replayed events', async () => {
      const all = await stack.stored(systemId);
      return all.length === 3 && all;
    });
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType.page!.userId).toBeNull(); // page() was called before identify()
    expect(byType.identify).toMatchObject({ userId: 'early-user', traits: { plan: 'pro' } });
    expect(byType.track).toMatchObject({ userId: 'early-user', event: 'Early', properties: { n: 1 } });
    for (const event of events) expect(Math.abs(Date.parse(event.originalTimestamp!) - calledAt)).toBeLessThan(300);
    expect(await page.evaluate(() => volcanion.user().userId)).toBe('early-user');
    expect(duplicates(stack.received)).toEqual([]);
  });

  it('loading the script twice, or the snippet after it, changes nothing', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(
      stack.page(
        sdkPage({
          writeKey,
          options: { host: stack.api, flushAt: 1 },
          body: `window.first = volcanion;
            ${snippet({ src: '/volcanion.min.js' })}
            volcanion.track('Once');`,
        }),
      ),
    );
    await page.addScriptTag({ url: '/volcanion.min.js' });
    expect(await page.evaluate(() => (window as unknown as { first: unknown }).first === volcanion)).toBe(true);
    await waitFor('the event', async () => (await stack.stored(systemId)).length === 1);
  });
});
