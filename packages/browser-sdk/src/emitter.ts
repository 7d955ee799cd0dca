import { safe } from './safe';

/** Why events were dropped before the server stored them. */
export type DropReason =
  /** `localStorage` was full: the oldest queued events went to make room. */
  | 'quota'
  /** More than `maxQueue` events were waiting: the oldest went. */
  | 'overflow'
  /** One event was over the server's 32 KB limit. */
  | 'size'
  /** The server refused the batch for good (a 4xx such as an unknown write key or a disallowed origin). */
  | 'rejected';

/** What the client reports to `on()` listeners. */
export interface ClientEvents {
  /** `count` events will never be sent, and why. */
  drop: [count: number, reason: DropReason];
}

/** A tiny typed event emitter; a listener that throws never reaches the caller. */
export function createEmitter() {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const listeners: [type: string, listener: (...args: any[]) => void][] = [];
  return {
    on<K extends keyof ClientEvents>(type: K, listener: (...args: ClientEvents[K]) => void): void {
      listeners.push([type, listener]);
    },
    emit<K extends keyof ClientEvents>(type: K, ...args: ClientEvents[K]): void {
      // Listeners belong to the host page; their faults stay theirs.
      for (const [t, listener] of listeners) if (t === type) safe(listener)(...args);
    },
  };
}
