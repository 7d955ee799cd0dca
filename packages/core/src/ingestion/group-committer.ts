import type { Span } from '@opentelemetry/api';
import { inLinkedRootSpan, recordingSpan } from '../observability/tracing';
import { InvalidInputError, OverloadedError, StorageUnavailableError, type TrackingError } from '../shared/errors';
import type { AppendResult, EventStore } from './event-store';
import type { GroupCommitOptions } from './group-commit-options';
import type { TrackingEvent } from './tracking-event';

interface Entry {
  events: readonly TrackingEvent[];
  bytes: number;
  enqueuedAt: number;
  /** The span of the request that queued the events, told when they commit. */
  cause: Span | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: TrackingError) => void;
}

/** What the committer is doing, for metrics and health. */
export interface GroupCommitStats {
  /** Events waiting for a writer. */
  queuedRows: number;
  /** Transactions in flight. */
  inFlight: number;
}

/** One transaction of the committer, for metrics. */
export interface CommitReport {
  events: number;
  requests: number;
  seconds: number;
  ok: boolean;
}

/**
 * Coalesces concurrent appends into one transaction each, so the database commits once per batch
 * instead of once per request. Each caller's promise resolves only after the transaction holding
 * its events commits; if it fails, every caller in it gets an error and none is acknowledged.
 */
export class GroupCommitter {
  readonly #store: EventStore;
  readonly #maxRows: number;
  readonly #maxBytes: number;
  readonly #maxWaitMs: number;
  readonly #maxQueuedRows: number;
  readonly #concurrency: number;
  readonly #onCommit: (report: CommitReport) => void;
  #queue: Entry[] = [];
  #queuedRows = 0;
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #pumpScheduled = false;
  #closed = false;
  #idle: (() => void)[] = [];

  constructor(store: EventStore, options: GroupCommitOptions & { concurrency: number; onCommit?: (report: CommitReport) => void }) {
    this.#store = store;
    this.#maxRows = options.maxRows ?? 5000;
    this.#maxBytes = options.maxBytes ?? 8_000_000;
    this.#maxWaitMs = options.maxWaitMs ?? 0;
    this.#maxQueuedRows = options.maxQueuedRows ?? 100_000;
    this.#concurrency = options.concurrency;
    this.#onCommit = options.onCommit ?? (() => {});
  }

  get stats(): GroupCommitStats {
    return { queuedRows: this.#queuedRows, inFlight: this.#inFlight };
  }

  /** Queues events for the next transaction; resolves once they are committed. */
  append(events: readonly TrackingEvent[], bytes: number): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new StorageUnavailableError('the server is shutting down'));
    if (events.length === 0) return Promise.resolve({ inserted: 0, isNew: [] });
    if (this.#queuedRows > 0 && this.#queuedRows + events.length > this.#maxQueuedRows) {
      return Promise.reject(new OverloadedError(`ingestion queue is full (${this.#queuedRows} events waiting)`));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.#queue.push({ events, bytes, enqueuedAt: Date.now(), cause: recordingSpan(), resolve, reject });
      this.#queuedRows += events.length;
      this.#schedulePump();
    });
  }

  /** Refuses new appends and resolves when everything queued has been committed or failed. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pump(true);
    if (this.#queue.length === 0 && this.#inFlight === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  /**
   * Flushes on the next turn of the event loop, not at once: every request whose events arrive in
   * this turn (I/O callbacks run before `setImmediate`) joins the same transaction. Without it,
   * PGlite, whose queries block the loop, would only ever see one request waiting.
   */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(force = false): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#concurrency) {
      if (!force && !this.#closed && this.#shouldLinger()) return;
      this.#flush(this.#takeBatch());
    }
    if (this.#queue.length === 0 && this.#inFlight === 0) this.#idle.splice(0).forEach((resolve) => resolve());
  }

  #shouldLinger(): boolean {
    if (this.#maxWaitMs <= 0 || this.#queuedRows >= this.#maxRows) return false;
    const waited = Date.now() - this.#queue[0]!.enqueuedAt;
    if (waited >= this.#maxWaitMs) return false;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#schedulePump();
    }, this.#maxWaitMs - waited);
    return true;
  }

  #takeBatch(): Entry[] {
    let rows = 0;
    let bytes = 0;
    let count = 0;
    for (const entry of this.#queue) {
      if (count > 0 && (rows + entry.events.length > this.#maxRows || bytes + entry.bytes > this.#maxBytes)) break;
      rows += entry.events.length;
      bytes += entry.bytes;
      count++;
    }
    this.#queuedRows -= rows;
    return this.#queue.splice(0, count);
  }

  async #flush(batch: Entry[]): Promise<void> {
    this.#inFlight++;
    try {
      await this.#commit(batch);
    } finally {
      this.#inFlight--;
      if (this.#closed) this.#pump(true);
      else this.#schedulePump();
    }
  }

  async #commit(batch: Entry[]): Promise<void> {
    const events = batch.length === 1 ? batch[0]!.events : batch.flatMap((e) => e.events);
    const started = performance.now();
    const report = (ok: boolean) =>
      this.#onCommit({ events: events.length, requests: batch.length, seconds: (performance.now() - started) / 1000, ok });
    try {
      const result = await this.#append(batch, events);
      report(true);
      let offset = 0;
      for (const entry of batch) {
        const isNew = result.isNew.slice(offset, offset + entry.events.length);
        offset += entry.events.length;
        entry.resolve({ inserted: isNew.filter(Boolean).length, isNew });
      }
    } catch (error) {
      report(false);
      // A row the database refuses must not fail the other requests that shared its transaction:
      // each is retried alone, so only the request that carried it fails.
      if (batch.length > 1 && isDataError(error)) {
        for (const entry of batch) await this.#commit([entry]);
        return;
      }
      const failure = isDataError(error)
        ? InvalidInputError.field('', `the events could not be stored: ${(error as Error).message}`)
        : new StorageUnavailableError('the events could not be committed; retry later', error);
      batch.forEach((entry) => entry.reject(failure));
    }
  }

  /**
   * The transaction in a span of its own, linked to every request in it; each request's span gets an
   * event naming the commit span (`events committed`, or `events not committed`), so a trace leads
   * from either side to the other.
   */
  #append(batch: Entry[], events: readonly TrackingEvent[]): Promise<AppendResult> {
    const causes = batch.flatMap((entry) => (entry.cause ? [entry.cause] : []));
    const attributes = { 'volcanion.commit.events': events.length, 'volcanion.commit.requests': batch.length };
    return inLinkedRootSpan('volcanion.ingest.commit', attributes, causes.map((cause) => cause.spanContext()), async (span) => {
      const commit = span.spanContext();
      const tell = (outcome: string) => {
        for (const cause of causes) cause.addEvent(outcome, { 'volcanion.commit.trace_id': commit.traceId, 'volcanion.commit.span_id': commit.spanId });
      };
      try {
        const result = await this.#store.append(events);
        tell('events committed');
        return result;
      } catch (error) {
        tell('events not committed');
        throw error;
      }
    });
  }
}

// SQLSTATE classes 22 (data exception) and 54 (program limit) come from what was sent, not from the
// database being unavailable.
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}
