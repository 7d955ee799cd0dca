// Load generation with autocannon (in-process) and the bookkeeping that lets us prove, afterwards, that
// every acknowledged event was stored.
import autocannon from 'autocannon';

export const SUCCESS_BODY = '{"success":true}';
const REQ_TOKEN = '@@REQ@@';

// One counter for the whole run: the request number is embedded in every messageId (`m<req>.<i>`), so
// ids never repeat across phases, systems or modes, and a stored row tells which request carried it.
let nextRequestNumber = 1;

/**
 * A body factory for one route. The JSON text is built once and split around a request-number token, so
 * a fresh body (fresh messageIds) costs one `join`: the load generator shares the 2 cores with the server
 * and must stay cheap. Timestamps are fixed per payload; the server does not care.
 */
export function makePayload(kind, eventsPerRequest) {
  const timestamp = new Date().toISOString();
  const event = (i) => ({
    type: 'track',
    userId: `user-${(i * 7919) % 1000}`,
    event: 'Order Completed',
    messageId: `m${REQ_TOKEN}.${i}`,
    properties: { orderId: `order-${REQ_TOKEN}-${i}`, total: 42.5 + i, currency: 'EUR', items: (i % 5) + 1, coupon: 'SPRING' },
    timestamp,
  });
  let text;
  if (kind === 'batch') {
    text = JSON.stringify({ batch: Array.from({ length: eventsPerRequest }, (_, i) => event(i)), sentAt: timestamp });
  } else {
    if (eventsPerRequest !== 1) throw new Error('a track request carries exactly one event');
    const { type, ...single } = event(0); // the route gives the type
    text = JSON.stringify(single);
  }
  const parts = text.split(REQ_TOKEN);
  return {
    kind,
    path: kind === 'batch' ? '/v1/batch' : '/v1/track',
    events: eventsPerRequest,
    bytes: Buffer.byteLength(text),
    body: (requestNumber) => parts.join(String(requestNumber)),
  };
}

/** Per-system bookkeeping of what was sent, what was acknowledged, and which requests were not. */
export function createLedger() {
  return {
    sentRequests: 0,
    ackedRequests: 0,
    ackedEvents: 0,
    /** Request numbers that were sent but not acknowledged (non-2xx, odd body, or never answered). */
    unacked: [],
    cutOffRequests: 0,
    statusCounts: {},
    /** A few bodies of non-acknowledging responses, for the anomaly report. */
    oddSamples: [],
  };
}

/**
 * One autocannon run of `durationS` seconds. Resolves with autocannon's result. Every request gets fresh
 * messageIds; every response is booked in `ledger`. Requests still unanswered when autocannon stops are
 * booked as unacknowledged (the server may still commit them: that is not a loss, and the count check
 * accounts for it exactly).
 */
export function runLoad({ url, headers, connections, durationS, payload, ledger, isAlive }) {
  const inflight = new Set();
  const requests = [
    {
      setupRequest(request, context) {
        const requestNumber = nextRequestNumber++;
        // autocannon keeps one context per connection, and with pipelining 1 a connection has one
        // request in flight: the response handler below reads this same number back.
        context.requestNumber = requestNumber;
        inflight.add(requestNumber);
        ledger.sentRequests++;
        return { ...request, body: payload.body(requestNumber) };
      },
      onResponse(status, body, context) {
        const requestNumber = context.requestNumber;
        inflight.delete(requestNumber);
        ledger.statusCounts[status] = (ledger.statusCounts[status] ?? 0) + 1;
        if (status >= 200 && status < 300 && body === SUCCESS_BODY) {
          ledger.ackedRequests++;
          ledger.ackedEvents += payload.events;
          return;
        }
        // Non-2xx, or a 2xx naming rejected items: none of it counts as acknowledged.
        ledger.unacked.push(requestNumber);
        if (ledger.oddSamples.length < 5) ledger.oddSamples.push(`${status} ${String(body).slice(0, 300)}`);
      },
    },
  ];
  return new Promise((resolve, reject) => {
    let instance;
    // autocannon stops by itself after `duration`; this guard only bounds a wedged run.
    const guard = setTimeout(() => instance?.stop(), (durationS + 20) * 1000);
    // No point hammering a dead process with connection errors for the rest of the run.
    const watch = setInterval(() => {
      if (isAlive && !isAlive()) instance?.stop();
    }, 250);
    instance = autocannon(
      {
        url: url + payload.path,
        method: 'POST',
        headers,
        connections,
        pipelining: 1,
        duration: durationS,
        timeout: 10,
        requests,
      },
      (error, result) => {
        clearTimeout(guard);
        clearInterval(watch);
        for (const requestNumber of inflight) ledger.unacked.push(requestNumber);
        ledger.cutOffRequests += inflight.size;
        if (error) reject(error);
        else resolve(result);
      },
    );
  });
}

/**
 * A warm-up run (not reported; its events still count in the ledger, since the server stores them), then
 * the measured run.
 */
export async function runPhase({ label, url, headers, connections, payload, ledger, warmupS, measureS, isAlive }) {
  await runLoad({ url, headers, connections, durationS: warmupS, payload, ledger, isAlive });
  if (isAlive && !isAlive()) return { label, aborted: 'the process under test died during the warm-up' };
  const firstRequest = nextRequestNumber;
  const result = await runLoad({ url, headers, connections, durationS: measureS, payload, ledger, isAlive });
  // The measured run's request numbers, to find its stored events (and their commits) afterwards.
  return { ...summarize(label, result, payload, connections), requestRange: [firstRequest, nextRequestNumber - 1] };
}

/** The figures we report for one measured run. Rates use autocannon's measured duration and 2xx only. */
function summarize(label, result, payload, connections) {
  const seconds = result.duration;
  const ok = result['2xx'];
  return {
    label,
    route: payload.path,
    connections,
    eventsPerRequest: payload.events,
    bodyBytes: payload.bytes,
    seconds,
    responses2xx: ok,
    requestsPerS: ok / seconds,
    eventsPerS: (ok * payload.events) / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors - result.timeouts, // autocannon counts timeouts among errors
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
  };
}
