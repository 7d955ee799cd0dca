import type { Message } from '@volcanion-tracking/core/protocol';
import { Batch } from './batch';
import type { TrackingClientEvents } from './client-events';
import { deliverBatch, type BatchOutcome, type DeliveryContext } from './deliver-batch';
import type { DeliveryResult, FlushResult } from './delivery-result';
import { FlushTracker } from './flush-tracker';
import type { Emitter } from './emitter';
import { AbortedError, QueueFullError, type DeliveryError } from './errors';
import type { HttpClient } from './http-client';
import { MessageQueue } from './message-queue';
import type { QueuedMessage } from './queued-message';
import { MAX_BATCH_EVENTS, type ResolvedSettings } from './settings';

/**
 * Queues accepted calls and turns them into requests: a batch leaves when `flushAt` calls are
 * waiting, when the oldest has waited `flushInterval`, or on `flush()`; at most
 * `maxConcurrentRequests` are in flight, and while they are, calls pile up into fuller batches.
 * Memory is bounded by `maxQueueSize`/`maxQueueBytes`; `queueFullPolicy` says what happens beyond.
 */
export class Publisher {
  private readonly queue = new MessageQueue<QueuedMessage>();
  /** Calls waiting for room under `queueFullPolicy: 'wait'`. */
  private readonly waiting = new MessageQueue<QueuedMessage>();
  /** Queued or in flight, and their bytes: what the queue limits count. */
  private unsettled = 0;
  private unsettledBytes = 0;
  private inFlight = 0;
  private lastSeq = 0;
  /** Messages up to this seq leave without waiting for `flushAt`. */
  private flushUpTo = 0;
  private timer: NodeJS.Timeout | undefined;
  private drainScheduled = false;
  private readonly flushes = new FlushTracker();
  private readonly abortController = new AbortController();
  private readonly delivery: DeliveryContext;

  constructor(
    private readonly settings: ResolvedSettings,
    http: HttpClient,
    private readonly emitter: Emitter<TrackingClientEvents>,
    headers: Record<string, string>,
  ) {
    this.delivery = {
      settings,
      http,
      url: settings.host.replace(/\/+$/, '') + (settings.path.startsWith('/') ? settings.path : `/${settings.path}`),
      headers,
      emitter,
      signal: this.abortController.signal,
      pause: { until: 0 },
    };
  }

  /** The next call's sequence number. */
  nextSeq(): number {
    return ++this.lastSeq;
  }

  /** Calls accepted and not settled yet, waiting ones included. */
  get pending(): number {
    return this.unsettled + this.waiting.length;
  }

  /**
   * Accepts a serialized call, or refuses it with a `queue_full` error (returned, as a value) when
   * the queue is full and the policy, or the waiting room, says drop.
   */
  enqueue(message: QueuedMessage): QueueFullError | undefined {
    const full = this.waiting.length > 0 || !this.hasRoomFor(message);
    if (!full) {
      this.admit(message);
      return undefined;
    }
    if (this.settings.queueFullPolicy === 'wait' && this.waiting.length < this.settings.maxQueueSize) {
      this.waiting.push(message);
      return undefined;
    }
    const { maxQueueSize, maxQueueBytes } = this.settings;
    const detail =
      this.waiting.length > 0
        ? `${this.waiting.length} calls are already waiting for room`
        : `${this.unsettled} of ${maxQueueSize} calls and ${this.unsettledBytes + message.bytes} of ${maxQueueBytes} bytes`;
    return new QueueFullError(message.messageId, detail);
  }

  /**
   * Sends everything accepted so far and resolves once each of those calls is settled, or when
   * `timeout` ms have passed (then `pending` counts the rest).
   */
  flush(timeout?: number): Promise<FlushResult> {
    const remaining = this.pending;
    if (remaining > 0) {
      this.flushUpTo = this.lastSeq;
      this.scheduleDrain();
    }
    return this.flushes.wait(this.lastSeq, remaining, timeout);
  }

  /**
   * Gives up on everything not settled yet: queued and waiting calls, sleeping retries and requests
   * in flight all settle with reason `aborted`.
   */
  abort(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abortController.abort(new Error('closeAndFlush timed out'));
    const waiting = this.waiting.takeAll();
    const queued = this.queue.takeAll();
    if (waiting.length + queued.length > 0) {
      const error = new AbortedError([...waiting, ...queued].map((m) => m.messageId));
      // Waiting calls were never admitted, so they do not count against the queue limits.
      this.emitter.emit('error', error);
      this.failAll(waiting, error, false, false);
      this.failAll(queued, error, false);
    }
  }

  private hasRoomFor(message: QueuedMessage): boolean {
    // An empty queue takes any message, so one larger than maxQueueBytes cannot wait forever.
    if (this.unsettled === 0) return true;
    return this.unsettled < this.settings.maxQueueSize && this.unsettledBytes + message.bytes <= this.settings.maxQueueBytes;
  }

  private admit(message: QueuedMessage): void {
    this.unsettled++;
    this.unsettledBytes += message.bytes;
    this.queue.push(message);
    if (this.queue.length >= this.settings.flushAt || message.seq <= this.flushUpTo) this.scheduleDrain();
    else this.timer ??= this.startTimer();
  }

  private startTimer(): NodeJS.Timeout {
    // Referenced on purpose: a process that made calls stays alive until they are sent, not a
    // moment less. `closeAndFlush()` ends that wait early.
    return setTimeout(() => {
      this.timer = undefined;
      this.flushUpTo = Math.max(this.flushUpTo, this.queue.last()?.seq ?? 0);
      this.drain();
    }, this.settings.flushInterval);
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    // A microtask, so that calls made in one synchronous burst share batches.
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    const { flushAt, maxBatchBytes, maxConcurrentRequests } = this.settings;
    while (this.inFlight < maxConcurrentRequests && this.queue.length > 0) {
      const head = this.queue.peek()!;
      if (this.queue.length < flushAt && head.seq > this.flushUpTo) break;
      const batch = new Batch(maxBatchBytes, MAX_BATCH_EVENTS);
      for (let next = this.queue.peek(); next && batch.tryAdd(next).added; next = this.queue.peek()) this.queue.shift();
      this.inFlight++;
      void deliverBatch(batch, this.delivery)
        .then((outcome) => this.finish(batch, outcome))
        // deliverBatch never rejects and listeners are isolated; this only guards against our own bugs.
        .catch((error: unknown) => process.emitWarning(`@volcanion-tracking/node-sdk: internal error: ${String(error)}`));
    }
    if (this.queue.length === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    } else if ((this.queue.last()?.seq ?? 0) > this.flushUpTo) {
      this.timer ??= this.startTimer();
    }
  }

  private finish(batch: Batch, outcome: BatchOutcome): void {
    this.inFlight--;
    if (!outcome.delivered) {
      this.failAll(batch.messages, outcome.error);
    } else {
      for (const [index, error] of outcome.rejected) this.emitFailure(batch.messages[index]!, error);
      for (let i = 0; i < batch.messages.length; i++) {
        const message = batch.messages[i]!;
        const error = outcome.rejected.get(i);
        this.settle(message, error ? { ok: false, messageId: message.messageId, reason: error.code, error } : { ok: true, messageId: message.messageId });
      }
    }
    this.admitWaiting();
    this.drain();
    if (this.pending === 0 && this.emitter.listenerCount('drained')) this.emitter.emit('drained');
  }

  /** Settles calls that share one failure: one `error` event, one `dropped` per call. */
  private failAll(messages: QueuedMessage[], error: DeliveryError, emitError = true, admitted = true): void {
    if (emitError) this.emitter.emit('error', error);
    for (const message of messages) {
      this.emitDropped(message, error);
      this.settle(message, { ok: false, messageId: message.messageId, reason: error.code, error }, admitted);
    }
  }

  private emitFailure(message: QueuedMessage, error: DeliveryError): void {
    this.emitter.emit('error', error);
    this.emitDropped(message, error);
  }

  private emitDropped(message: QueuedMessage, error: DeliveryError): void {
    if (this.emitter.listenerCount('dropped') === 0) return;
    let parsed: Message | undefined;
    this.emitter.emit('dropped', {
      messageId: message.messageId,
      reason: error.code,
      error,
      // Parsed on first read only: most listeners log the id and the reason.
      get message() {
        return (parsed ??= JSON.parse(message.json) as Message);
      },
    });
  }

  private settle(message: QueuedMessage, result: DeliveryResult, admitted = true): void {
    if (admitted) {
      this.unsettled--;
      this.unsettledBytes -= message.bytes;
    }
    message.settle(result);
    this.flushes.settled(message.seq, result.ok);
  }

  private admitWaiting(): void {
    for (let next = this.waiting.peek(); next && this.hasRoomFor(next); next = this.waiting.peek()) {
      this.admit(this.waiting.shift()!);
    }
  }
}
