/** UTF-8 size of a string, which is what request and keepalive limits count. */
export const byteLength = (text: string): number => new Blob([text]).size;

/** Bytes a batch body adds around its events (`{"batch":[…],"sentAt":"…","writeKey":"…"}`), with room for a long key. */
const ENVELOPE = 200;

/**
 * The longest prefix of `queue` (serialized events) with at most `maxCount` events whose batch body
 * stays within `maxBytes`. Unless `strict`, the first event is always taken, so one oversized event
 * cannot stall the queue (the server refuses it by name and the rest flows on); `strict` is for hard
 * budgets such as keepalive's, where the answer may be empty.
 */
export function takeBatch(queue: readonly string[], maxCount: number, maxBytes: number, strict?: boolean): string[] {
  let size = ENVELOPE;
  let n = 0;
  for (; n < queue.length && n < maxCount; n++) {
    size += byteLength(queue[n]!) + 1;
    if ((n || strict) && size > maxBytes) break;
  }
  return queue.slice(0, n);
}

/**
 * The body of `POST /v1/batch` around already-serialized events. `writeKey` travels in the body so the
 * request can be a CORS "simple" one (`text/plain`, no `Authorization`): no preflight, and `sendBeacon`
 * works too.
 */
export const batchBody = (events: readonly string[], writeKey: string, now: Date = new Date()): string =>
  `{"batch":[${events.join()}],"sentAt":"${now.toISOString()}","writeKey":${JSON.stringify(writeKey)}}`;
