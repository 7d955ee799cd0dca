import type { QueuedMessage } from './queued-message';

/** Bytes of the envelope around the messages: `{"batch":[`, `],"sentAt":"<24-char ISO date>"}`. */
const ENVELOPE_BYTES = '{"batch":[],"sentAt":""}'.length + 24;

/** What {@link Batch.tryAdd} answers: a value, never an exception (as analytics-next's `tryAdd`). */
export type TryAddResult = { added: true } | { added: false; reason: 'full' | 'too_large' };

// Shared answers: tryAdd runs once per message, so it allocates nothing.
const ADDED: TryAddResult = { added: true };
const FULL: TryAddResult = { added: false, reason: 'full' };
const TOO_LARGE: TryAddResult = { added: false, reason: 'too_large' };

/**
 * The messages of one request, kept under a byte and a count limit. Its body is rebuilt per attempt
 * because `sentAt` must be the time of *that* attempt: the server corrects clock skew with it.
 *
 * ### Examples
 * ```ts
 * const batch = new Batch(480 * 1024, 2500);
 * const result = batch.tryAdd(message);
 * if (!result.added && result.reason === 'full') sendAndStartAnother();
 * ```
 */
export class Batch {
  /** The messages, in call order. */
  readonly messages: QueuedMessage[] = [];
  private bytes = ENVELOPE_BYTES;
  private joined: string | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly maxMessages: number,
  ) {}

  /** Adds a message if it fits; says why not otherwise. */
  tryAdd(message: QueuedMessage): TryAddResult {
    const size = message.bytes + 1; // its comma
    if (ENVELOPE_BYTES + size > this.maxBytes) return TOO_LARGE;
    if (this.messages.length >= this.maxMessages || this.bytes + size > this.maxBytes) return FULL;
    this.messages.push(message);
    this.bytes += size;
    this.joined = undefined;
    return ADDED;
  }

  /** Messages in the batch. */
  get length(): number {
    return this.messages.length;
  }

  /** Upper bound of the body's UTF-8 size. */
  get byteLength(): number {
    return this.bytes;
  }

  /** The request body, as JSON, stamped with `sentAt`. */
  body(sentAt: string): string {
    // Joined once and reused across retries; only the envelope changes.
    this.joined ??= this.messages.map((m) => m.json).join(',');
    return `{"batch":[${this.joined}],"sentAt":"${sentAt}"}`;
  }
}
