// The query benchmark's data set: a deterministic (seeded) month of events of one system, streamed into
// write_model.tracking_events with COPY.
//
// Shape: `rows` events over `days` days ending at `end` (timestamps uniform, rows in time order as a live
// system would receive them), `users` identified users with a skewed activity (a few power users),
// 50 track event names with a Zipf popularity (rank r weighs 1/(r+1)), ~10 % page views, a share of
// anonymous traffic: users' pre-login events (anonymousId only, later linked by identify) and visitors
// that never log in; identify events link anonymous ids to users, a few alias events link visitor ids
// (and legacy user ids) to users, a few group calls. Track events carry `plan` (the user's plan; 3 %
// missing, 1 % explicit null), page views carry path/title/url.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';

const DAY = 86_400_000;

export const TRACK_EVENTS = [
  'Product Viewed', 'Product List Viewed', 'Product Clicked', 'Products Searched', 'Product Added',
  'Cart Viewed', 'Checkout Started', 'Order Completed', 'Promotion Viewed', 'Product Removed',
  'Checkout Step Viewed', 'Checkout Step Completed', 'Payment Info Entered', 'Coupon Entered', 'Coupon Applied',
  'Wishlist Product Added', 'Product Shared', 'Product Reviewed', 'Video Playback Started', 'Video Playback Completed',
  'Signed Up', 'Signed In', 'Signed Out', 'Password Reset', 'Email Opened',
  'Email Link Clicked', 'Notification Clicked', 'Search Filter Applied', 'Filter Cleared', 'Sort Changed',
  'Recommendation Clicked', 'Banner Clicked', 'Banner Dismissed', 'Chat Opened', 'Chat Message Sent',
  'Invite Sent', 'Invite Accepted', 'Subscription Started', 'Subscription Renewed', 'Subscription Cancelled',
  'Trial Started', 'Trial Ended', 'Feature Used', 'Report Exported', 'Dashboard Viewed',
  'Settings Updated', 'Profile Updated', 'File Uploaded', 'File Downloaded', 'Feedback Submitted',
];
export const PAGE_NAMES = ['Home', 'Pricing', 'Docs', 'Blog', 'Product', 'Search', 'Cart', 'Checkout', 'Account', 'Help'];
export const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const PLAN_CDF = cumulative([0.5, 0.25, 0.17, 0.08]);
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
];
const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'en-GB', 'es-ES'];

export const COPY_COLUMNS =
  'system_id, message_id, type, event, user_id, anonymous_id, group_id, previous_id, properties, traits, ' +
  'context, integrations, timestamp, original_timestamp, sent_at, received_at, valid, validation_errors';

/** mulberry32: small, fast, good enough for test data, and reproducible from its seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cumulative(weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w / total));
}

function pick(cdf, r) {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (r < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const N = '\\N';
const copyText = (s) => (s === null || s === undefined ? N : /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch]) : s);

/**
 * Builds the data set's plan (users, anonymous ids, identify/alias/group events and where they fall)
 * and returns `copyInto(client, {transactions})`, which generates the rows on the fly and COPYs them.
 */
export function createDataset({ systemId, rows, users, visitors, days, end, seed }) {
  const rand = rng(seed);
  const endMs = end.getTime();
  const startMs = endMs - days * DAY;

  // Uniform timestamps, sorted: rows arrive (and get their seq) in time order.
  const times = new Float64Array(rows);
  for (let i = 0; i < rows; i++) times[i] = startMs + Math.floor(rand() * (endMs - startMs));
  times.sort();

  const userPlan = new Uint8Array(users);
  const anonIds = new Uint8Array(users); // 0: never anonymous, 1: anon-<u>, 2: also anon-<u>-b
  for (let u = 0; u < users; u++) {
    userPlan[u] = pick(PLAN_CDF, rand());
    anonIds[u] = rand() < 0.8 ? (rand() < 0.1 ? 2 : 1) : 0;
  }
  const anonOf = (u, second) => (second ? `anon-${u}-b` : `anon-${u}`);

  // Identify, alias and group calls, each at a random row.
  const specials = [];
  const traitsOf = (u, extra = {}) => ({ email: `user-${u}@example.com`, name: `User ${u}`, plan: PLANS[userPlan[u]], ...extra });
  for (let u = 0; u < users; u++) {
    if (anonIds[u] >= 1) specials.push({ type: 'identify', userId: `user-${u}`, anonymousId: anonOf(u, false), traits: traitsOf(u) });
    if (anonIds[u] === 2) specials.push({ type: 'identify', userId: `user-${u}`, anonymousId: anonOf(u, true), traits: traitsOf(u, { device: 'mobile' }) });
  }
  for (let k = 0; k < Math.round(users * 0.4); k++) {
    const u = Math.floor(rand() * users);
    specials.push({ type: 'identify', userId: `user-${u}`, anonymousId: null, traits: traitsOf(u, { lastLoginAt: new Date(startMs + rand() * (endMs - startMs)).toISOString() }) });
  }
  for (let k = 0; k < Math.round(users * 0.2); k++) {
    const u = Math.floor(rand() * users);
    specials.push({ type: 'group', userId: `user-${u}`, groupId: `org-${u % 500}`, traits: { name: `Org ${u % 500}`, industry: 'retail' } });
  }
  const aliasedVisitors = Math.min(150, visitors);
  for (let v = 0; v < aliasedVisitors; v++) specials.push({ type: 'alias', userId: `user-${Math.floor(rand() * users)}`, previousId: `visitor-${v}` });
  for (let k = 0; k < 50; k++) specials.push({ type: 'alias', userId: `user-${Math.floor(rand() * users)}`, previousId: `legacy-${k}` });
  const specialAt = new Int32Array(rows).fill(-1);
  specials.forEach((_, k) => {
    for (;;) {
      const at = Math.floor(rand() * rows);
      if (specialAt[at] === -1) {
        specialAt[at] = k;
        return;
      }
    }
  });

  const trackCdf = cumulative(TRACK_EVENTS.map((_, r) => 1 / (r + 1)));
  const stats = { rows: 0, bytes: 0, byType: {}, anonymousOnly: 0, visitorEvents: 0 };

  function row(i) {
    const ts = times[i];
    const special = specialAt[i] === -1 ? null : specials[specialAt[i]];
    let type;
    let event = null;
    let userId = null;
    let anonymousId = null;
    let groupId = null;
    let previousId = null;
    let properties = '{}';
    let traits = '{}';
    if (special) {
      ({ type } = special);
      userId = special.userId;
      anonymousId = special.anonymousId ?? null;
      groupId = special.groupId ?? null;
      previousId = special.previousId ?? null;
      if (special.traits) traits = JSON.stringify(special.traits);
    } else {
      // 92 % users (power-law activity: user-0 is the busiest), 8 % visitors who never log in.
      let u = -1;
      if (rand() < 0.92) {
        u = Math.min(users - 1, Math.floor(users * rand() ** 1.6));
        if (anonIds[u] >= 1 && rand() < 0.25) {
          anonymousId = anonOf(u, anonIds[u] === 2 && rand() < 0.5);
        } else {
          userId = `user-${u}`;
          if (anonIds[u] >= 1 && rand() < 0.5) anonymousId = anonOf(u, false);
        }
      } else {
        anonymousId = `visitor-${Math.floor(rand() * visitors)}`;
        stats.visitorEvents++;
      }
      if (userId === null) stats.anonymousOnly++;
      if (rand() < 0.1) {
        type = 'page';
        const p = Math.floor(rand() * PAGE_NAMES.length);
        event = PAGE_NAMES[p];
        const path = `/${event.toLowerCase()}`;
        properties = `{"path":"${path}","title":"${event} | Example","url":"https://www.example.com${path}","referrer":"https://www.google.com/"}`;
      } else {
        type = 'track';
        const r = rand();
        event = TRACK_EVENTS[pick(trackCdf, r)];
        const planRoll = rand();
        const plan = planRoll < 0.03 ? '' : planRoll < 0.04 ? '"plan":null,' : `"plan":"${u >= 0 ? PLANS[userPlan[u]] : 'free'}",`;
        properties = `{${plan}"revenue":${(Math.floor(rand() * 20000) / 100).toFixed(2)},"sku":"sku-${Math.floor(rand() * 5000)}","category":"cat-${Math.floor(rand() * 20)}"}`;
      }
    }
    stats.byType[type] = (stats.byType[type] ?? 0) + 1;
    const context =
      `{"library":{"name":"analytics.js","version":"5.2.0"},"ip":"10.${i & 255}.${(i >> 8) & 255}.${(i >> 16) & 255}",` +
      `"locale":"${LOCALES[i % LOCALES.length]}","userAgent":"${USER_AGENTS[i % USER_AGENTS.length]}"}`;
    const timestamp = new Date(ts).toISOString();
    const sentMs = ts + Math.floor(rand() * 3000);
    const sentAt = new Date(sentMs).toISOString();
    const receivedAt = new Date(sentMs + 10 + Math.floor(rand() * 500)).toISOString();
    return [
      systemId, `q${i}`, type, copyText(event), copyText(userId), copyText(anonymousId), copyText(groupId), copyText(previousId),
      copyText(properties), copyText(traits), copyText(context), '{}', timestamp, timestamp, sentAt, receivedAt, 't', '[]',
    ].join('\t');
  }

  function* chunks(from, to) {
    for (let start = from; start < to; start += 2000) {
      const lines = [];
      for (let i = start; i < Math.min(to, start + 2000); i++) lines.push(row(i));
      const text = `${lines.join('\n')}\n`;
      stats.rows += lines.length;
      stats.bytes += text.length;
      yield text;
    }
  }

  return {
    startMs,
    endMs,
    specials: specials.length,
    stats,
    /** Generates and COPYs every row, in `transactions` consecutive COPY statements (each its own transaction). */
    async copyInto(client, { transactions = 10 } = {}) {
      const per = Math.ceil(rows / transactions);
      for (let from = 0; from < rows; from += per) {
        await pipeline(Readable.from(chunks(from, Math.min(rows, from + per))), client.query(copyStreams.from(`copy write_model.tracking_events (${COPY_COLUMNS}) from stdin`)));
      }
      return stats;
    },
  };
}
