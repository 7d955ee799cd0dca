import type { Message } from '@volcanion-tracking/core/protocol';
import { buildMessage, type MessageType } from './build-message';
import type { AliasCall, GroupCall, IdentifyCall, PageCall } from './call-params';
import type { TrackingClientEvents } from './client-events';
import type { DeliveryResult, FlushResult } from './delivery-result';
import { Emitter } from './emitter';
import { ClientClosedError, EventTooLargeError, InvalidCallError, type DeliveryError } from './errors';
import { Publisher } from './publisher';
import { resolveSettings, type ResolvedSettings, type TrackingClientSettings } from './settings';
import type { AnyEvents, EventName, TrackCall } from './tracking-plan';
import { UndiciHttpClient } from './undici-http-client';
import { UndeliveredWarning } from './undelivered-warning';
import { SDK_NAME, SDK_VERSION } from './version';

/**
 * Sends Segment-shaped calls (`track`, `identify`, `page`, `screen`, `group`, `alias`) to Volcanion
 * Tracking or any Segment-compatible API: batched, gzipped, over keep-alive connections, retried
 * with backoff, and never lost silently. A call never throws: its promise resolves to a
 * {@link DeliveryResult} once the server acknowledged it or it failed for good, and failures are
 * also emitted as `error` and `dropped` events.
 *
 * Give it a tracking plan (`TrackingClient<Plan>`) and a misspelled event or a wrong property type
 * fails type checking.
 *
 * ### Examples
 * ```ts
 * import { TrackingClient } from '@volcanion-tracking/node-sdk';
 *
 * type Plan = {
 *   'Order Completed': { orderId: string; total: number };
 *   'Signed Out': undefined;
 * };
 * const client = new TrackingClient<Plan>({ writeKey: process.env.WRITE_KEY!, host: 'https://tracking.example.com' });
 * client.on('dropped', ({ messageId, reason, error }) => console.warn(messageId, reason, error.message));
 *
 * client.track({ userId: 'user-1', event: 'Order Completed', properties: { orderId: 'o-1', total: 42 } });
 * await client.closeAndFlush({ timeout: 5_000 }); // on shutdown, or at the end of a serverless invocation
 * ```
 */
export class TrackingClient<Plan extends object = AnyEvents> extends Emitter<TrackingClientEvents> {
  private readonly settings: ResolvedSettings;
  private readonly publisher: Publisher;
  private readonly ownHttpClient: UndiciHttpClient | undefined;
  private isClosed = false;
  private closing: Promise<FlushResult> | undefined;
  private readonly undelivered = new UndeliveredWarning();

  /** Checks the settings (throwing a `TypeError` on misconfiguration, the only throw) and starts idle. */
  constructor(settings: TrackingClientSettings) {
    super();
    this.settings = resolveSettings(settings);
    const http = this.settings.httpClient ?? (this.ownHttpClient = new UndiciHttpClient({ connections: this.settings.maxConcurrentRequests }));
    this.publisher = new Publisher(this.settings, http, this, {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${this.settings.writeKey}:`).toString('base64')}`,
      'user-agent': `${SDK_NAME}/${SDK_VERSION} node/${process.versions.node}`,
    });
    // Bound, so `const { track } = client` and `emitter.on('x', client.track)` work.
    this.track = this.track.bind(this);
    this.identify = this.identify.bind(this);
    this.page = this.page.bind(this);
    this.screen = this.screen.bind(this);
    this.group = this.group.bind(this);
    this.alias = this.alias.bind(this);
    this.flush = this.flush.bind(this);
    this.closeAndFlush = this.closeAndFlush.bind(this);
  }

  /**
   * Records something a user did.
   *
   * ### Examples
   * ```ts
   * const { ok } = await client.track({ userId: 'user-1', event: 'Order Completed', properties: { total: 42 } });
   * ```
   */
  track<E extends EventName<Plan>>(call: TrackCall<Plan, E>): Promise<DeliveryResult> {
    return this.dispatch('track', call);
  }

  /**
   * Records who a user is.
   *
   * ### Examples
   * ```ts
   * client.identify({ userId: 'user-1', traits: { email: 'ada@example.com', plan: 'pro' } });
   * ```
   */
  identify(call: IdentifyCall): Promise<DeliveryResult> {
    return this.dispatch('identify', call);
  }

  /**
   * Records a page view.
   *
   * ### Examples
   * ```ts
   * client.page({ anonymousId: 'anon-1', name: 'Pricing', properties: { path: '/pricing' } });
   * ```
   */
  page(call: PageCall): Promise<DeliveryResult> {
    return this.dispatch('page', call);
  }

  /**
   * Records a screen view in an app.
   *
   * ### Examples
   * ```ts
   * client.screen({ userId: 'user-1', name: 'Settings' });
   * ```
   */
  screen(call: PageCall): Promise<DeliveryResult> {
    return this.dispatch('screen', call);
  }

  /**
   * Associates a user with a group (an account, a company).
   *
   * ### Examples
   * ```ts
   * client.group({ userId: 'user-1', groupId: 'org-1', traits: { name: 'Acme' } });
   * ```
   */
  group(call: GroupCall): Promise<DeliveryResult> {
    return this.dispatch('group', call);
  }

  /**
   * Declares two ids to be the same user.
   *
   * ### Examples
   * ```ts
   * client.alias({ previousId: 'anon-1', userId: 'user-1' });
   * ```
   */
  alias(call: AliasCall): Promise<DeliveryResult> {
    return this.dispatch('alias', call);
  }

  /**
   * Sends every call made so far without waiting for `flushAt`/`flushInterval`, and resolves when each
   * of them is acknowledged or reported failed (or when `timeout` ms have passed). Never rejects.
   *
   * ### Examples
   * ```ts
   * const { delivered, failed } = await client.flush();
   * ```
   */
  flush(options: { timeout?: number } = {}): Promise<FlushResult> {
    return this.publisher.flush(options.timeout);
  }

  /**
   * Refuses new calls (reason `closed`), sends everything already made, and resolves when all of it is
   * settled. After `timeout` ms (default 30,000) whatever is left is given up with reason `aborted`,
   * requests in flight included. Then the connections are closed, so the process can exit. Calling it
   * again returns the same promise. Never rejects.
   *
   * ### Examples
   * ```ts
   * process.on('SIGTERM', async () => {
   *   await client.closeAndFlush({ timeout: 10_000 });
   *   process.exit(0);
   * });
   * ```
   */
  closeAndFlush(options: { timeout?: number } = {}): Promise<FlushResult> {
    this.isClosed = true;
    this.closing ??= this.close(options.timeout ?? 30_000);
    return this.closing;
  }

  /** Calls accepted and not yet acknowledged or failed. */
  get pending(): number {
    return this.publisher.pending;
  }

  /** Whether `closeAndFlush()` was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Emits like {@link Emitter.emit}; a failure with neither an `error` nor a `dropped` listener is
   * also reported as a process warning (at most once a minute), so that it is never silent.
   */
  override emit<K extends keyof TrackingClientEvents>(event: K, ...args: TrackingClientEvents[K]): void {
    if (event === 'error' && this.listenerCount('error') === 0 && this.listenerCount('dropped') === 0) {
      this.undelivered.report(args[0] as DeliveryError);
    }
    super.emit(event, ...args);
  }

  private async close(timeout: number): Promise<FlushResult> {
    const first = await this.publisher.flush(timeout);
    let result = first;
    if (first.pending > 0) {
      const rest = this.publisher.flush();
      this.publisher.abort();
      const aborted = await rest;
      result = { delivered: first.delivered + aborted.delivered, failed: first.failed + aborted.failed, pending: 0 };
    }
    await (first.pending > 0 ? this.ownHttpClient?.destroy() : this.ownHttpClient?.close())?.catch(() => {});
    return result;
  }

  private dispatch(type: MessageType, call: unknown): Promise<DeliveryResult> {
    const built = buildMessage(type, call);
    if (this.isClosed) return this.refuse(built.message, new ClientClosedError(built.messageId));
    if (!built.ok) return this.refuse(built.message, new InvalidCallError(built.field, built.problem, built.messageId));
    let json: string;
    try {
      json = JSON.stringify(built.message);
    } catch (error) {
      // Circular structures, BigInts, a throwing toJSON: the caller's data, reported as an invalid call.
      const reason = error instanceof Error ? error.message : String(error);
      return this.refuse(built.message, new InvalidCallError('', `cannot be serialized as JSON: ${reason}`, built.messageId, { cause: error }));
    }
    const bytes = Buffer.byteLength(json);
    if (bytes > this.settings.maxEventBytes) {
      return this.refuse(built.message, new EventTooLargeError(bytes, this.settings.maxEventBytes, built.messageId));
    }
    let settle!: (result: DeliveryResult) => void;
    const promise = new Promise<DeliveryResult>((resolve) => (settle = resolve));
    const refused = this.publisher.enqueue({ seq: this.publisher.nextSeq(), messageId: built.messageId, json, bytes, settle });
    return refused ? this.refuse(built.message, refused) : promise;
  }

  /** Fails a call at once: the result, an `error` and a `dropped` event. */
  private refuse(message: Message, error: DeliveryError): Promise<DeliveryResult> {
    const messageId = error.messageIds[0]!;
    this.emit('error', error);
    if (this.listenerCount('dropped')) this.emit('dropped', { messageId, reason: error.code, error, message });
    return Promise.resolve({ ok: false, messageId, reason: error.code, error });
  }
}
