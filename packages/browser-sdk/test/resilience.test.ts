import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

/** Events waiting in the page's localStorage queues (every tab's), by name. */
const queued = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('vt_q_'))
      .flatMap((k) => JSON.parse(localStorage.getItem(k)!) as string[])
      .map((e) => JSON.parse(e).event as string),
  );

const storedCount = (systemId: string, count: number, timeout?: number) =>
  waitFor(`${count} stored events`, async () => {
    const events = await stack.stored(systemId);
    if (events.length > count) throw new Error(`${events.length} stored, more than ${count}`);
    return events.length === count && events;
  }, timeout);

/** Messages of this system the server received, duplicates included. */
const receivedFor = (names: readonly string[]) => stack.received.filter((m) => m.event && names.includes(m.event));

describe('offline', () => {
  it('events queued offline are delivered exactly once when back online', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 2, flushInterval: 200 } })));
    await context.setOffline(true);
    const failed = page.waitForEvent('requestfailed');
    await page.evaluate(() => {
      for (let i = 1; i <= 5; i++) volcanion.track(`Offline ${i}`);
    });
    await failed;
    await waitFor('the queue in localStorage', async () => (await queued(page)).length === 5);
    expect((await queued(page)).sort()).toEqual(['Offline 1', 'Offline 2', 'Offline 3', 'Offline 4', 'Offline 5']);
    expect(await stack.stored(systemId)).toEqual([]);

    await context.setOffline(false);
    await storedCount(systemId, 5);
    const names = ['Offline 1', 'Offline 2', 'Offline 3', 'Offline 4', 'Offline 5'];
    expect(receivedFor(names)).toHaveLength(5);
    expect(duplicates(stack.received)).toEqual([]);
    await waitFor('an empty queue', async () => (await queued(page)).length === 0);
  });

  it('the queue survives a reload while the server is unreachable', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.route(`${stack.api}/**`, (route) => route.abort('connectionrefused'));
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 3, flushInterval: 200 } })));
    const failed = page.waitForEvent('requestfailed');
    await page.evaluate(() => {
      for (let i = 1; i <= 3; i++) volcanion.track(`Unreachable ${i}`);
    });
    await failed;
    await waitFor('the queue in localStorage', async () => (await queued(page)).length === 3);
    await page.reload();
    // The new page adopts what the old one left and keeps trying.
    await page.waitForEvent('requestfailed');
    await waitFor('the adopted queue in localStorage', async () => (await queued(page)).length === 3);
    expect((await queued(page)).sort()).toEqual(['Unreachable 1', 'Unreachable 2', 'Unreachable 3']);

    await page.unroute(`${stack.api}/**`);
    await page.evaluate(() => volcanion.flush());
    await storedCount(systemId, 3);
    expect(receivedFor(['Unreachable 1', 'Unreachable 2', 'Unreachable 3'])).toHaveLength(3);
    expect(duplicates(stack.received)).toEqual([]);
  });
});

describe('leaving the page', () => {
  it('navigating away delivers the last events, once', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 100, flushInterval: 60_000 } })));
    await page.evaluate(() => {
      volcanion.track('Last 1');
      volcanion.track('Last 2');
      volcanion.track('Last 3');
    });
    await page.goto(stack.page('<!doctype html><title>Elsewhere</title>'));
    await storedCount(systemId, 3);
    expect(receivedFor(['Last 1', 'Last 2', 'Last 3'])).toHaveLength(3);
    // Handed to the browser's keepalive requests, so not left for another page to send again.
    expect(await queued(page)).toEqual([]);
  });

  it('sends what fits the 64 KB keepalive budget on the way out; the next page sends the rest', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const sdk = stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1000, flushInterval: 60_000 } }));
    await page.goto(sdk);
    await page.evaluate(() => {
      for (let i = 0; i < 100; i++) volcanion.track('Bulky', { i, pad: 'x'.repeat(1000) });
    });
    await waitFor('the queue in localStorage', async () => (await queued(page)).length === 100);
    const from = stack.requests.length;
    await page.goto(stack.page('<!doctype html><title>Elsewhere</title>'));
    const left = (await queued(page)).length;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(100);
    await storedCount(systemId, 100 - left);
    const unloadBytes = stack.requests.slice(from).filter((r) => r.method === 'POST').reduce((sum, r) => sum + r.contentLength, 0);
    expect(unloadBytes).toBeGreaterThan(32_000);
    expect(unloadBytes).toBeLessThanOrEqual(64_000);

    await page.goto(sdk); // adopts and sends the rest at once, without waiting for flushInterval
    const stored = await storedCount(systemId, 100);
    expect(new Set(stored.map((e) => (e.properties as { i: number }).i)).size).toBe(100);
    expect(duplicates(stack.received)).toEqual([]);
  });

  it('falls back to sendBeacon when the keepalive fetch is refused', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 100, flushInterval: 60_000 } })));
    await page.evaluate(() => {
      volcanion.track('Beaconed');
      window.fetch = () => Promise.reject(new TypeError('keepalive quota exceeded'));
    });
    await page.goto(stack.page('<!doctype html><title>Elsewhere</title>'));
    const [event] = await storedCount(systemId, 1);
    expect(event!.event).toBe('Beaconed');
    expect(stack.requests.some((r) => r.method === 'POST' && r.contentType?.startsWith('text/plain'))).toBe(true);
  });

  it('a hidden page sends what is queued at once', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 100, flushInterval: 60_000 } })));
    await page.evaluate(() => {
      volcanion.track('Before Hiding');
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
    await storedCount(systemId, 1);
  });
});

describe('the back/forward cache', () => {
  it('a page restored from it keeps sending, and persisting its queue', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(
      stack.page(
        sdkPage({
          writeKey,
          options: { host: stack.api, flushAt: 1 },
          // Tracked once per tab: a plain reload (when the browser declines its cache) must not add another.
          body: `addEventListener('pageshow', function (e) { window.restored = e.persisted; }); if (!sessionStorage.getItem('before')) { sessionStorage.setItem('before', '1'); volcanion.track('Before'); }`,
        }),
      ),
    );
    await storedCount(systemId, 1);
    // Chromium may decline the back/forward cache for a navigation (memory pressure, timing); that is
    // the browser's choice, so navigate again until a page really is restored from it.
    let restored = false;
    for (let attempt = 0; attempt < 5 && !restored; attempt++) {
      await page.goto(stack.page('<!doctype html><title>Elsewhere</title>'));
      await page.goBack({ waitUntil: 'commit' });
      await page.waitForFunction(() => 'restored' in window);
      restored = await page.evaluate(() => (window as unknown as { restored: boolean }).restored);
    }
    expect(restored).toBe(true);

    await page.route(`${stack.api}/**`, (route) => route.abort('connectionrefused'));
    const failed = page.waitForEvent('requestfailed');
    await page.evaluate(() => volcanion.track('After'));
    await failed;
    await waitFor('the queue persisted again', async () => (await queued(page)).includes('After'));
    await page.unroute(`${stack.api}/**`);
    await page.evaluate(() => volcanion.flush());
    const stored = await storedCount(systemId, 2);
    expect(stored.map((e) => e.event).sort()).toEqual(['After', 'Before']);
    expect(duplicates(stack.received)).toEqual([]);
  });
});

describe('several tabs', () => {
  it('tabs tracking at once never send the same event twice', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const url = stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 3, flushInterval: 100 } }));
    const tabs = await Promise.all([context.newPage(), context.newPage(), context.newPage()]);
    await Promise.all(tabs.map((tab) => tab.goto(url)));
    await Promise.all(
      tabs.map((tab, t) =>
        tab.evaluate(async (t) => {
          for (let i = 0; i < 20; i++) {
            volcanion.track(`Tab ${t}`, { i });
            if (i % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }, t),
      ),
    );
    const stored = await storedCount(systemId, 60);
    expect(duplicates(stack.received)).toEqual([]);
    expect(receivedFor(['Tab 0', 'Tab 1', 'Tab 2'])).toHaveLength(60);
    // One visitor: every tab shares the anonymous id.
    expect(new Set(stored.map((e) => e.anonymousId)).size).toBe(1);
    await Promise.all(tabs.map((tab) => waitFor('empty queues', async () => (await queued(tab)).length === 0)));
  });

  it('what a closed tab left is adopted by exactly one other tab', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const url = stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 2, flushInterval: 100 } }));
    const [leaving, ...others] = await Promise.all([context.newPage(), context.newPage(), context.newPage(), context.newPage()]);
    await Promise.all([leaving!, ...others].map((tab) => tab.goto(url)));

    await leaving!.route(`${stack.api}/**`, (route) => route.abort('connectionrefused'));
    const failed = leaving!.waitForEvent('requestfailed');
    await leaving!.evaluate(() => {
      for (let i = 1; i <= 5; i++) volcanion.track(`Orphan ${i}`);
    });
    await failed;
    // Persisted once the tab holds its lock, and visible to the other tabs.
    await waitFor('the orphans in localStorage', async () => (await queued(others[0]!)).filter((e) => e.startsWith('Orphan')).length === 5);

    // The tab goes away while failing: it keeps its queue for the others, which are idle.
    await leaving!.close({ runBeforeUnload: true });
    await storedCount(systemId, 5);
    // Let every remaining tab send whatever it holds, then check nothing went twice.
    await Promise.all(others.map((tab) => tab.evaluate(() => volcanion.flush())));
    await Promise.all(others.map((tab) => waitFor('empty queues', async () => (await queued(tab)).length === 0)));
    expect(receivedFor(['Orphan 1', 'Orphan 2', 'Orphan 3', 'Orphan 4', 'Orphan 5'])).toHaveLength(5);
    expect(duplicates(stack.received)).toEqual([]);
  });
});
