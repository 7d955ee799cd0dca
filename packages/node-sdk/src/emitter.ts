/** Event names mapped to their listeners' argument tuples. */
export type EventMap<T> = { [K in keyof T]: unknown[] };

type Listener<Args extends unknown[]> = (...args: Args) => void;

/**
 * A small typed event emitter. Unlike Node's `EventEmitter`, emitting `error` with no listener does
 * not throw, and a listener that throws cannot break delivery: its error is reported as a process
 * warning and the other listeners still run.
 *
 * ### Examples
 * ```ts
 * client.on('dropped', ({ messageId, reason }) => log.warn({ messageId, reason }, 'event lost'));
 * ```
 */
export class Emitter<Events extends EventMap<Events>> {
  private listeners: { [K in keyof Events]?: Listener<Events[K]>[] } = {};

  /** Calls `listener` on every `event`. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    // Copy on write, so that emitting while a listener (un)subscribes iterates a stable list.
    this.listeners[event] = [...(this.listeners[event] ?? []), listener];
    return this;
  }

  /** Calls `listener` on the next `event` only. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const wrapper: Listener<Events[K]> = (...args) => {
      this.off(event, wrapper);
      listener(...args);
    };
    return this.on(event, wrapper);
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const list = this.listeners[event];
    if (list) this.listeners[event] = list.filter((l) => l !== listener);
    return this;
  }

  /** How many listeners `event` has; the client skips building payloads nobody listens to. */
  listenerCount<K extends keyof Events>(event: K): number {
    return this.listeners[event]?.length ?? 0;
  }

  /** Calls every listener of `event`. Used by the client; calling it yourself reaches only your own listeners. */
  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const list = this.listeners[event];
    if (!list) return;
    for (const listener of list) {
      try {
        listener(...args);
      } catch (error) {
        process.emitWarning(`a "${String(event)}" listener threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, {
          code: 'VOLCANION_TRACKING_LISTENER',
        });
      }
    }
  }
}
