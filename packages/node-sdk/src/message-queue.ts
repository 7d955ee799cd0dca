/**
 * A FIFO queue with O(1) `shift`: `Array.prototype.shift` moves every element, which turns draining a
 * 10,000-message backlog into 50 million moves.
 */
export class MessageQueue<T> {
  private items: T[] = [];
  private head = 0;

  /** Items queued. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds at the tail. */
  push(item: T): void {
    this.items.push(item);
  }

  /** The head, not removed. */
  peek(): T | undefined {
    return this.items[this.head];
  }

  /** The tail, not removed. */
  last(): T | undefined {
    return this.length > 0 ? this.items[this.items.length - 1] : undefined;
  }

  /** Removes and returns the head. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    // Drop the reference so a sent message can be collected while the array is reused.
    (this.items as (T | undefined)[])[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns every item. */
  takeAll(): T[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }
}
