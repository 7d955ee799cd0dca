import type { FlushResult } from './delivery-result';

/** A `flush()` under way: how many of the calls made before it are still unsettled. */
interface FlushWaiter {
  upTo: number;
  remaining: number;
  delivered: number;
  failed: number;
  resolve: (result: FlushResult) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Keeps the promises of `flush()` calls: each waits for the calls made before it (sequence numbers up
 * to its own) and counts how they ended. Settling a call costs nothing while no flush waits.
 */
export class FlushTracker {
  private readonly waiters: FlushWaiter[] = [];

  /**
   * A promise for the `remaining` unsettled calls numbered up to `upTo`; after `timeout` ms it resolves
   * anyway, `pending` counting the rest.
   */
  wait(upTo: number, remaining: number, timeout?: number): Promise<FlushResult> {
    if (remaining === 0) return Promise.resolve({ delivered: 0, failed: 0, pending: 0 });
    return new Promise((resolve) => {
      const waiter: FlushWaiter = { upTo, remaining, delivered: 0, failed: 0, resolve, timer: undefined };
      if (timeout !== undefined) waiter.timer = setTimeout(() => this.finish(waiter), timeout);
      this.waiters.push(waiter);
    });
  }

  /** Counts call `seq` as settled, delivered or not. */
  settled(seq: number, delivered: boolean): void {
    if (this.waiters.length === 0) return;
    for (const waiter of [...this.waiters]) {
      if (seq > waiter.upTo) continue;
      if (delivered) waiter.delivered++;
      else waiter.failed++;
      if (--waiter.remaining === 0) this.finish(waiter);
    }
  }

  private finish(waiter: FlushWaiter): void {
    clearTimeout(waiter.timer);
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
    waiter.resolve({ delivered: waiter.delivered, failed: waiter.failed, pending: waiter.remaining });
  }
}
