import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { duplicates, launchBrowser, sdkPage, startStack, waitFor, type Stack } from './support/stack';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

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

describe('events', () => {
  it('arrive with the page, campaign, browser and library context, and the identity', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1000, height: 700 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const url = stack.page(
      sdkPage({
        writeKey,
        title: 'Chaussures',
        options: { host: stack.api, flushAt: 5 },
        body: `volcanion.identify('user-1', { plan: 'pro' });
          volcanion.track('Product Viewed', { sku: 'B-42' });
          volcanion.page('Shoes', { section: 'men' });
          volcanion.group('org-1', { name: 'Acme' });
          volcanion.alias('user-2');`,
      }),
    );
    await page.goto(`${url}?utm_source=news&utm_medium=email&utm_campaign=spring#top`, { referer: 'https://search.example/?q=shoes' });
    const stored = await waitFor('5 stored events', async () => {
      const events = await stack.stored(systemId);
      return events.length === 5 && events;
    });
    const browserSide = await page.evaluate(() => ({ userAgent: navigator.userAgent, width: screen.width, height: screen.height, anonymousId: volcanion.user().anonymousId }));

    const byType = Object.fromEntries(stored.map((e) => [e.type, e]));
    for (const event of stored) {
      expect(event.anonymousId).toBe(browserSide.anonymousId);
      expect(event.context).toMatchObject({
        library: { name: '@volcanion-tracking/browser-sdk', version },
        page: { url: `${url}?utm_source=news&utm_medium=email&utm_campaign=spring`, path: new URL(url).pathname, referrer: 'https://search.example/?q=shoes', title: 'Chaussures', search: '?utm_source=news&utm_medium=email&utm_campaign=spring' },
        campaign: { source: 'news', medium: 'email', name: 'spring' },
        userAgent: browserSide.userAgent,
        locale: 'fr-FR',
        timezone: 'Europe/Paris',
        screen: { width: browserSide.width, height: browserSide.height, density: 2 },
      });
      // The client's clock: the server keeps it as originalTimestamp.
      expect(Math.abs(Date.parse(event.originalTimestamp!) - Date.now())).toBeLessThan(60_000);
    }
    expect(byType.identify).toMatchObject({ userId: 'user-1', traits: { plan: 'pro' } });
    expect(byType.track).toMatchObject({ userId: 'user-1', event: 'Product Viewed', properties: { sku: 'B-42' } });
    expect(byType.page).toMatchObject({ userId: 'user-1', properties: { section: 'men', path: new URL(url).pathname, title: 'Chaussures', referrer: 'https://search.example/?q=shoes' } });
    expect(byType.group).toMatchObject({ userId: 'user-1', groupId: 'org-1', traits: { name: 'Acme' } });
    expect(byType.alias).toMatchObject({ userId: 'user-2', previousId: 'user-1' });
    expect(duplicates(stack.received)).toEqual([]);
  });

  it('keep the identity in first-party cookies and localStorage across reloads, until reset()', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1 }, body: `volcanion.identify('user-7', { email: 'ada@example.com' });` })));
    const first = await page.evaluate(() => volcanion.user());
    expect(first).toEqual({ anonymousId: expect.stringMatching(/^[0-9a-f-]{36}$/), userId: 'user-7', traits: { email: 'ada@example.com' } });

    const cookies = Object.fromEntries((await context.cookies()).map((c) => [c.name, c]));
    for (const name of ['vt_aid', 'vt_uid']) {
      expect(cookies[name]).toMatchObject({ sameSite: 'Lax', path: '/', domain: '127.0.0.1', httpOnly: false });
      expect(cookies[name]!.expires * 1000 - Date.now()).toBeGreaterThan(364 * 86_400_000);
    }
    expect(cookies.vt_aid!.value).toBe(first.anonymousId);
    expect(cookies.vt_uid!.value).toBe('user-7');
    expect(await page.evaluate(() => [localStorage.getItem('vt_aid'), localStorage.getItem('vt_uid'), localStorage.getItem('vt_traits')])).toEqual([
      first.anonymousId,
      'user-7',
      '{"email":"ada@example.com"}',
    ]);

    await page.reload();
    expect(await page.evaluate(() => volcanion.user())).toEqual(first);
    await page.evaluate(() => {
      volcanion.identify({ plan: 'pro' }); // traits only: merged, same user
      volcanion.track('After Reload');
    });
    expect(await page.evaluate(() => volcanion.user().traits)).toEqual({ email: 'ada@example.com', plan: 'pro' });

    await page.evaluate(() => {
      volcanion.reset();
      volcanion.track('After Reset');
    });
    const after = await page.evaluate(() => volcanion.user());
    expect(after).toEqual({ anonymousId: expect.stringMatching(/^[0-9a-f-]{36}$/), userId: null, traits: {} });
    expect(after.anonymousId).not.toBe(first.anonymousId);
    expect((await context.cookies()).find((c) => c.name === 'vt_uid')).toBeUndefined();

    const stored = await waitFor('the events after reset', async () => {
      const events = await stack.stored(systemId);
      return events.some((e) => e.event === 'After Reset') && events.length === 5 && events;
    });
    const named = (name: string) => stored.find((e) => e.event === name)!;
    expect(named('After Reload')).toMatchObject({ userId: 'user-7', anonymousId: first.anonymousId });
    expect(named('After Reset')).toMatchObject({ userId: null, anonymousId: after.anonymousId });
  });

  it('a different user on identify() starts a new anonymous identity', async () => {
    const { writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api }, body: `volcanion.identify('alice', { role: 'admin' });` })));
    const alice = await page.evaluate(() => volcanion.user());
    await page.evaluate(() => volcanion.identify('bob', { team: 'b' }));
    const bob = await page.evaluate(() => volcanion.user());
    expect(bob).toEqual({ anonymousId: expect.any(String), userId: 'bob', traits: { team: 'b' } });
    expect(bob.anonymousId).not.toBe(alice.anonymousId);
  });
});

describe('batching', () => {
  it('sends by count and by time, exactly once', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const batches = () => stack.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batch').length;
    const before = batches();

    // By count: 6 events at flushAt 3 make two batches at once.
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 3, flushInterval: 1500 } })));
    await page.evaluate(() => {
      for (let i = 0; i < 6; i++) volcanion.track('Counted', { i });
    });
    await waitFor('two full batches', async () => (await stack.stored(systemId)).length === 6);
    expect(batches() - before).toBe(2);

    // By time: one more waits for flushInterval.
    const start = Date.now();
    await page.evaluate(() => volcanion.track('Timed'));
    await waitFor('the timed event', async () => (await stack.stored(systemId)).length === 7);
    expect(Date.now() - start).toBeGreaterThanOrEqual(1400);
    expect(batches() - before).toBe(3);

    await page.evaluate(() => volcanion.load('ignored', { flushAt: 1 })); // a second load() does nothing
    await page.evaluate(() => volcanion.track('After'));
    await page.evaluate(() => volcanion.flush());
    await waitFor('the last event', async () => (await stack.stored(systemId)).length === 8);
    expect(duplicates(stack.received)).toEqual([]);
  });

  it('keeps batches within maxBatchBytes', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const from = stack.requests.length;
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 100, flushInterval: 100, maxBatchBytes: 4000 } })));
    await page.evaluate(() => {
      for (let i = 0; i < 9; i++) volcanion.track('Sized', { pad: 'x'.repeat(1000) });
    });
    await waitFor('the sized events', async () => (await stack.stored(systemId)).length === 9);
    const posts = stack.requests.slice(from).filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(3);
    for (const post of posts) expect(post.contentLength).toBeLessThanOrEqual(4000);
  });
});

describe('retries', () => {
  it('a 5xx is retried with backoff, and the event is stored once', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const attempts: number[] = [];
    await page.route(`${stack.api}/v1/batch`, (route) => {
      attempts.push(Date.now());
      if (attempts.length < 3) return route.fulfill({ status: 503, headers: { 'access-control-allow-origin': '*', 'retry-after': '1' }, body: '' });
      return route.continue();
    });
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1 }, body: `volcanion.track('Retried');` })));
    await waitFor('the retried event', async () => (await stack.stored(systemId)).length === 1);
    expect(attempts).toHaveLength(3);
    // 0.5–1 s, then 1–2 s
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(450);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(950);
    expect(stack.received.filter((m) => m.event === 'Retried')).toHaveLength(1);
  });

  it('a 429 is retried no sooner than its Retry-After, and the event is stored once', async () => {
    // The real server's rate limit: one event, then a token every 4 s.
    const { systemId, writeKey } = await stack.newSystem({ rateLimits: { ingest: { perSecond: 0.25, burst: 1 } } });
    context = await browser.newContext();
    const page = await context.newPage();
    const answers: { at: number; status: number; retryAfter: string | null }[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/v1/batch')) answers.push({ at: Date.now(), status: response.status(), retryAfter: response.headers()['retry-after'] ?? null });
    });
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1 }, body: `volcanion.track('First'); volcanion.track('Limited');` })));
    await waitFor('both events', async () => (await stack.stored(systemId)).length === 2, 20_000);
    // The page sees the retry's answer a moment after the server has stored its event.
    const limited = await waitFor('the 429 and the answer to its retry', () => {
      const at = answers.findIndex((a) => a.status === 429);
      return at >= 0 && at + 1 < answers.length && answers[at]!;
    });
    expect(limited.retryAfter).toBe('4');
    const retried = answers[answers.indexOf(limited) + 1]!;
    // Backoff alone would have retried after 0.5–1 s.
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(3900);
    expect(stack.received.filter((m) => m.event === 'Limited').length).toBe(1);
  });

  it('a batch the server refuses for good (unknown write key) is dropped and reported, not retried', async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    const from = stack.requests.length;
    await page.goto(
      stack.page(
        sdkPage({
          writeKey: 'wk_unknown_0123456789',
          options: { host: stack.api, flushAt: 2 },
          before: `window.drops = []; volcanion.on('drop', function (n, reason) { drops.push([n, reason]); });`,
          body: `volcanion.track('A'); volcanion.track('B');`,
        }),
      ),
    );
    await waitFor('the drop report', () => page.evaluate(() => (window as unknown as { drops: unknown[] }).drops.length > 0));
    expect(await page.evaluate(() => (window as unknown as { drops: unknown[] }).drops)).toEqual([[2, 'rejected']]);
    await waitFor('an empty queue', () => page.evaluate(() => !Object.keys(localStorage).some((k) => k.startsWith('vt_q_'))));
    await page.evaluate(() => volcanion.flush());
    expect(stack.requests.slice(from).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('beyond maxQueue the oldest events go, reported as overflow', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.route(`${stack.api}/**`, (route) => route.abort('connectionrefused'));
    await page.goto(
      stack.page(
        sdkPage({
          writeKey,
          options: { host: stack.api, flushAt: 100, maxQueue: 3 },
          before: `window.drops = []; volcanion.on('drop', function (n, reason) { drops.push([n, reason]); });`,
          body: `for (var i = 1; i <= 5; i++) volcanion.track('E' + i);`,
        }),
      ),
    );
    expect(await page.evaluate(() => (window as unknown as { drops: unknown[] }).drops)).toEqual([
      [1, 'overflow'],
      [1, 'overflow'],
    ]);
    await page.unroute(`${stack.api}/**`);
    await page.evaluate(() => volcanion.flush());
    const stored = await waitFor('the kept events', async () => {
      const events = await stack.stored(systemId);
      return events.length === 3 && events;
    });
    expect(stored.map((e) => e.event).sort()).toEqual(['E3', 'E4', 'E5']);
  });
});

describe('plugins and options', () => {
  it('plugins edit and drop events, even the automatic page() on load', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(
      stack.page(
        sdkPage({
          writeKey,
          options: { host: stack.api, flushAt: 1, page: true },
          before: `volcanion.use({ name: 'app', enrich: function (e) { e.context.app = 'shop'; } });
            volcanion.use({ name: 'no-secrets', drop: function (e) { return e.event === 'Secret'; } });
            volcanion.use({ name: 'broken', enrich: function () { throw new Error('plugin bug'); } });`,
          body: `volcanion.track('Secret'); volcanion.track('Public');`,
        }),
      ),
    );
    const stored = await waitFor('page and Public', async () => {
      const events = await stack.stored(systemId);
      return events.length === 2 && events;
    });
    expect(stored.map((e) => e.type).sort()).toEqual(['page', 'track']);
    expect(stored.find((e) => e.type === 'track')!.event).toBe('Public');
    for (const event of stored) expect(event.context.app).toBe('shop');
  });

  it('sends to a first-party mount: any host and path prefix', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const apiBatches = () => stack.requests.filter((r) => r.method === 'POST').length;
    const before = apiBatches();
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.site, path: '/collect/', flushAt: 1 }, body: `volcanion.track('First Party');` })));
    const [event] = await waitFor('the first-party event', () => stack.stored(systemId).then((e) => e.length === 1 && e));
    expect(event!.event).toBe('First Party');
    expect(apiBatches()).toBe(before); // it went through the site's /collect mount, not the API's own port
  });
});

describe('never throws into the page', () => {
  it('when requests are blocked, every call returns and the queue is kept', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.route(`${stack.api}/**`, (route) => route.abort('blockedbyclient'));
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 2 } })));
    const failed = page.waitForEvent('requestfailed');
    const results = await page.evaluate(() => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const calls: (() => unknown)[] = [
        () => volcanion.track('Blocked 1'),
        () => volcanion.track('Blocked 2'),
        () => volcanion.track('Circular', circular),
        () => volcanion.track('Huge', { pad: 'x'.repeat(100_000) }),
        () => (volcanion.track as (...args: unknown[]) => void)(undefined, 42, 'nonsense'),
        () => volcanion.identify('user-1', circular),
        () => volcanion.page({ weird: Symbol('s') } as never),
        () => volcanion.use(null as never),
        () => volcanion.on('drop', () => { throw new Error('listener bug'); }),
        () => volcanion.track('Blocked 3'),
        () => volcanion.flush(),
        () => volcanion.consent('nonsense' as never),
        () => volcanion.consent('granted'),
        () => volcanion.user(),
      ];
      return calls.map((call) => {
        try {
          call();
          return 'returned';
        } catch (error) {
          return String(error);
        }
      });
    });
    expect(results.every((r) => r === 'returned')).toBe(true);
    await failed;
    const queued = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('vt_q_')).flatMap((k) => JSON.parse(localStorage.getItem(k)!) as string[]).map((e) => JSON.parse(e).event));
    await waitFor('the queue in localStorage', async () => (await queued()).filter((e) => e?.startsWith('Blocked')).length === 3);
    expect(await stack.stored(systemId)).toEqual([]);
    expect(errors).toEqual([]);

    await page.unroute(`${stack.api}/**`);
    await page.evaluate(() => volcanion.flush());
    const stored = await waitFor('the blocked events', async () => {
      const events = await stack.stored(systemId);
      return events.filter((e) => e.event?.startsWith('Blocked')).length === 3 && events;
    });
    expect(stored.map((e) => e.event)).not.toContain('Huge');
    expect(errors).toEqual([]);
  });

  it('when localStorage is full, the oldest events go, counted, and nothing throws', async () => {
    const { systemId, writeKey } = await stack.newSystem();
    context = await browser.newContext();
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.route(`${stack.api}/**`, (route) => route.abort('blockedbyclient'));
    await page.goto(stack.page(sdkPage({ writeKey, options: { host: stack.api, flushAt: 1000, flushInterval: 60_000 }, body: `window.drops = []; volcanion.on('drop', function (n, reason) { drops.push([n, reason]); });` })));
    // Wait for the tab to own its persisted queue, then fill localStorage but for ~5 events.
    await page.evaluate(() => volcanion.track('Probe'));
    await waitFor('the persisted queue', () => page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('vt_q_'))));
    await page.evaluate(() => {
      let low = 0;
      let high = 16e6;
      while (high - low > 512) {
        const middle = Math.floor((low + high) / 2);
        try {
          localStorage.setItem('filler', 'x'.repeat(middle));
          low = middle;
        } catch {
          high = middle;
        }
      }
      localStorage.setItem('filler', 'x'.repeat(low - 6000));
    });
    const returned = await page.evaluate(() => {
      for (let i = 0; i < 40; i++) volcanion.track('Event', { i });
      return true;
    });
    expect(returned).toBe(true);
    const drops = await page.evaluate(() => (window as unknown as { drops: [number, string][] }).drops);
    const dropped = drops.reduce((sum, [n, reason]) => (expect(reason).toBe('quota'), sum + n), 0);
    expect(dropped).toBeGreaterThan(10);
    expect(dropped).toBeLessThan(41);

    await page.evaluate(() => localStorage.removeItem('filler'));
    await page.unroute(`${stack.api}/**`);
    await page.evaluate(() => volcanion.flush());
    const kept = 41 - dropped;
    const stored = await waitFor('the kept events', async () => {
      const events = await stack.stored(systemId);
      return events.length === kept && events;
    });
    // The newest ones were kept.
    const indexes = stored.map((e) => (e.properties as { i?: number }).i).sort((a, b) => a! - b!);
    expect(indexes).toEqual(Array.from({ length: kept }, (_, n) => 40 - kept + n));
    expect(errors).toEqual([]);
  });
});
