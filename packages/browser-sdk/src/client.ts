import { batchBody, byteLength, takeBatch } from './batch';
import { backoff } from './backoff';
import { browserContext, pageProperties } from './context';
import { cookieString, readCookie } from './cookie';
import { createEmitter } from './emitter';
import { KEEPALIVE_BUDGET, post, postOnUnload } from './http-client';
import { createMessage, type CallOptions } from './message';
import { onPageLifecycle } from './page-lifecycle';
import { runPlugins, type Plugin, type TrackedEvent } from './plugins';
import { persistQueue } from './queue-store';
import { safe } from './safe';
import { resolveSettings, type Consent, type LoadOptions } from './settings';
import { holdLock } from './tab-lock';
import { uuid } from './uuid';
import type { StubCall, Traits, User, Volcanion } from './volcanion-api';

const AID = 'vt_aid';
const UID = 'vt_uid';
const TRAITS = 'vt_traits';
/** Prefix of each tab's persisted queue, `vt_q_<tab id>`; the tab holds a Web Lock of the same name. */
const QUEUE = 'vt_q_';
/** Written when a tab leaves with events still queued, so the others adopt them. */
const BYE = 'vt_bye';

/**
 * Creates a client. The IIFE build makes one as `window.volcanion` and passes it the calls the
 * snippet recorded; bundler users may use the `volcanion` instance or make their own.
 */
export function createVolcanion(calls: StubCall[] = []): Volcanion {
  const { on, emit } = createEmitter();
  const plugins: Plugin[] = [];
  const early: StubCall[] = [];
  let loaded = false;
  let url = '';
  let flushAt = 0;
  let flushInterval = 0;
  let maxBatchBytes = 0;
  let maxQueue = 0;
  let authorization: string | undefined;
  let writeKey = '';
  let cookieDomain: string | undefined;
  let consent: Consent | undefined;
  let store: Storage | null = null;
  let anonymousId = '';
  let userId: string | null = null;
  let traits: Traits = {};
  /** Serialized events waiting, oldest first; mirrored to `localStorage` while this tab holds its lock. */
  let queue: string[] = [];
  let inflight: string[] = [];
  let inflightBytes = 0;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tab = '';
  let owned = false;
  let locks: (() => void)[] = [];
  let time = 0;

  const granted = () => consent === 'granted';
  const queueKey = () => QUEUE + tab;

  // --- identity: first-party cookies (shared across tabs and, with cookieDomain, subdomains) and localStorage
  const read = (key: string): string | null | undefined => {
    try {
      return readCookie(document.cookie, key) ?? store?.getItem(key);
    } catch {
      // unreadable: as if absent
    }
  };
  const write = (key: string, value: string | null, cookie?: boolean) => {
    try {
      if (cookie) document.cookie = cookieString(key, value, cookieDomain, location.protocol === 'https:');
      if (value == null) store?.removeItem(key);
      else store?.setItem(key, value);
    } catch {
      // Storage full or blocked: the identity lives on in memory.
    }
  };
  /** Reloads identity from storage, where other tabs may have changed it. */
  const refresh = (force?: boolean) => {
    if (!(force || (granted() && store))) return;
    anonymousId = read(AID) || anonymousId || uuid();
    userId = read(UID) ?? null;
    try {
      traits = JSON.parse(read(TRAITS) ?? '{}') as Traits;
    } catch {
      traits = {};
    }
  };
  const saveIdentity = () => {
    if (!granted()) return;
    write(AID, anonymousId, true);
    write(UID, userId, true);
    write(TRAITS, JSON.stringify(traits));
  };

  // --- the queue
  const save = () => {
    if (!owned || !granted()) return;
    const dropped = persistQueue(store!, queueKey(), queue);
    if (dropped) emit('drop', dropped, 'quota');
  };
  const remove = (events: string[]) => {
    queue = queue.filter((event) => !events.includes(event));
    save();
  };
  const enqueue = (event: TrackedEvent) => {
    const json = JSON.stringify(event);
    if (byteLength(json) > 32e3) return emit('drop', 1, 'size'); // the server's limit per event
    queue.push(json);
    if (queue.length > maxQueue) {
      queue.shift();
      emit('drop', 1, 'overflow');
    }
    save();
    schedule();
  };

  // --- delivery: one batch in flight at a time, retried with backoff until the server answers
  const schedule = () => {
    if (failures) return; // the retry timer is set
    if (queue.length >= flushAt) flush();
    else if (queue.length && !timer) timer = setTimeout(safe(flush), flushInterval);
  };
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    adopt();
    if (!loaded || inflightBytes || !granted() || !queue.length) return;
    const batch = takeBatch(queue, flushAt, maxBatchBytes);
    // A backlog (after being offline, or adopted) drains batch after batch, without waiting.
    const backlog = queue.length > batch.length;
    const body = batchBody(batch, writeKey);
    const sending = post(url, body, authorization);
    inflight = batch;
    inflightBytes = byteLength(body);
    sending.then(
      safe((response: Response | 0) => {
        const status = (response as Response).status;
        inflight = [];
        inflightBytes = 0;
        // Stored, or refused for good (4xx): done. Offline, blocked, 5xx, 408, 429: retry later, after
        // the server's Retry-After in seconds (rate limits) plus the backoff, which spreads the retries.
        if (status && status < 500 && status !== 408 && status !== 429) {
          failures = 0;
          remove(batch);
          if (status > 399) emit('drop', batch.length, 'rejected');
          if (backlog) flush();
          else schedule();
        } else {
          // `~~` reads a missing header, or a date (which we do not parse), as 0.
          timer = setTimeout(safe(flush), backoff(failures++) + ~~((response as Response).headers?.get('retry-after') as never) * 1e3);
        }
      }),
    );
  };

  // --- tabs: each owns its queue through a Web Lock; a queue whose lock is free belongs to a tab that is gone
  const start = () => {
    tab = uuid();
    if (!store || !navigator.locks) return; // no safe way to share: the queue stays in memory
    locks.push(
      holdLock(
        queueKey(),
        false,
        safe(() => {
          owned = true;
          save();
          schedule();
          adopt();
        }),
      ),
    );
  };
  const adopt = () => {
    if (!owned || !granted()) return;
    for (const key of Object.keys(store!)) {
      // A queue whose lock another tab holds, its owner's or an adopter's, is not ours to take.
      if (!key.startsWith(QUEUE) || key === queueKey()) continue;
      const release = holdLock(
        key,
        true,
        safe((held: boolean) => {
          if (!held) return;
          // Keep the lock for this page's life so that no other tab can take the queue after us, and
          // read it a moment later, once the leaving tab's last writes have reached this one.
          locks.push(release);
          setTimeout(
            safe(() => {
              if (!locks.includes(release)) return; // released since: this page left
              const adopted = store!.getItem(key);
              store!.removeItem(key);
              // Unreadable (not ours, or damaged): gone, and this throws into safe().
              queue.push(...(JSON.parse(adopted!) as string[]));
              save();
              flush(); // they have waited long enough
            }),
            100,
          );
        }),
      );
    }
  };
  const leave = () => {
    const persisted = owned && granted();
    // Healthy and online: hand everything to keepalive requests, which outlive the page, within their
    // shared 64 KB budget. Failing or offline: keep it all for this tab's successor or another tab.
    if (loaded && granted() && !failures && navigator.onLine) {
      let budget = KEEPALIVE_BUDGET - inflightBytes;
      let rest = queue.filter((event) => !inflight.includes(event));
      for (let batch; (batch = takeBatch(rest, rest.length, budget, true)).length; ) {
        const body = batchBody(batch, writeKey);
        postOnUnload(url, body);
        budget -= byteLength(body);
        rest = rest.slice(batch.length);
      }
      queue = rest;
      save();
    }
    if (persisted && queue.length) write(BYE, tab);
    for (const release of locks) release();
    locks = [];
    owned = false;
    // Back from the back/forward cache, the persisted queue is adopted like any other tab's.
    if (persisted) queue = [];
  };

  // --- the API
  const send = (type: TrackedEvent['type'], fields: Record<string, unknown>, options?: CallOptions) => {
    if (consent === 'denied') return;
    refresh();
    const event = runPlugins(plugins, createMessage(type, fields, anonymousId, userId, browserContext(window), time, options));
    if (event) enqueue(event);
  };

  /** Calls that need `load()` first; made earlier, they wait and are replayed with their own time. */
  const deferred: Record<string, (...args: any[]) => void> = {
    track: (event: string, properties?: Record<string, unknown>, options?: CallOptions) => send('track', { event, properties }, options),
    identify(id?: string | null | Traits, more?: Traits, options?: CallOptions) {
      if (id && typeof id === 'object') [id, more, options] = [null, id, more as CallOptions];
      refresh();
      // Loosely: an id given as a number is the same user as its text read back from the cookie.
      if (id != null && userId != null && id != userId) {
        anonymousId = uuid();
        traits = {};
      }
      userId = id ?? userId;
      traits = { ...traits, ...more };
      saveIdentity();
      send('identify', { traits }, options);
    },
    page(name?: string | Record<string, unknown>, properties?: Record<string, unknown>, options?: CallOptions) {
      if (name && typeof name === 'object') [name, properties, options] = [undefined, name, properties];
      send('page', { name, properties: { ...pageProperties(window), ...properties } }, options);
    },
    group: (groupId: string, groupTraits?: Traits, options?: CallOptions) => send('group', { groupId, traits: groupTraits }, options),
    alias(to: string, from?: string, options?: CallOptions) {
      refresh();
      send('alias', { userId: to, previousId: from ?? userId ?? anonymousId }, options);
    },
    reset() {
      userId = null;
      traits = {};
      anonymousId = uuid();
      saveIdentity();
    },
    flush() {
      failures = 0;
      flush();
    },
  };

  const load = (key: string, options: LoadOptions = {}) => {
    if (loaded) return;
    writeKey = key;
    cookieDomain = options.cookieDomain;
    [url, flushAt, flushInterval, maxBatchBytes, maxQueue, authorization] = resolveSettings(key, options);
    try {
      store = localStorage;
    } catch {
      // blocked (sandboxed frame, storage disabled): memory only
    }
    loaded = true;
    consent ??= options.consent ?? 'granted';
    refresh(true);
    saveIdentity();
    onPageLifecycle(
      safe(flush),
      safe(leave),
      safe(start),
      safe(deferred.flush!),
      safe((changed) => changed === BYE && setTimeout(safe(adopt), 100)),
    );
    start();
    for (const [name, args, at] of early.splice(0)) call(name, args, at);
    if (options.page) call('page', []);
  };

  const setConsent = (state?: Consent) => {
    if (state) {
      consent = state;
      if (loaded && state === 'granted') {
        saveIdentity();
        save();
        adopt();
        schedule();
      }
      if (loaded && state === 'denied') {
        queue = [];
        [AID, UID, TRAITS, queueKey()].map((key, i) => write(key, null, i < 2));
      }
    }
    return consent;
  };

  const api: Record<string, (...args: any[]) => unknown> = {
    load,
    consent: setConsent,
    use: (plugin: Plugin) => void plugins.push(plugin),
    on,
    user(): User {
      refresh(!loaded);
      return { anonymousId, userId, traits: { ...traits } };
    },
  };
  for (const name in deferred) api[name] = (...args: unknown[]) => call(name, args);

  function call(name: string, args: unknown[], at = Date.now()): unknown {
    if (!(name in deferred)) return api[name]?.(...args);
    if (!loaded) return void early.push([name, args, at]);
    time = at;
    return deferred[name]!(...args);
  }

  for (const name in api) api[name] = safe(api[name]!);
  for (const recorded of calls) safe(call)(...recorded);
  return api as unknown as Volcanion;
}
