import type { ProjectionStatus } from './analytics-store';

/**
 * Where analytics answers are kept for reuse. Keys are scoped by system and projection checkpoint
 * (see {@link answerKey}), so an entry is never staler than the projection it was computed from.
 * Implementations must not throw: a cache that is down is a miss.
 */
export interface AnswerCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

/** Changes to shared state other processes must hear about at once (key revocations, say). */
export interface InvalidationBus {
  publish(message: string): void;
  subscribe(listener: (message: string) => void): void;
}

/**
 * The cache key of an answer: system, checkpoint (rebuilds and events projected: a rebuild counts
 * events from zero again), query name and parameters.
 */
export function answerKey(systemId: string, checkpoint: Pick<ProjectionStatus, 'rebuilds' | 'projectedEvents'>, query: string, params: Record<string, unknown>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k] instanceof Date ? (params[k] as Date).toISOString() : params[k]]);
  return `answer:${systemId}:${checkpoint.rebuilds}.${checkpoint.projectedEvents}:${query}:${JSON.stringify(sorted)}`;
}

/** An in-process cache of at most `maxEntries` answers, oldest evicted first. */
export class MemoryAnswerCache implements AnswerCache {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly maxEntries = 1000) {}

  async get(key: string): Promise<string | null> {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return null;
    }
    // Re-inserted, so eviction removes the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }
}

const DATE_FIELDS = new Set(['bucket', 'firstSeen', 'lastSeen', 'timestamp', 'projectedThrough']);

/** Serializes an answer for a cache. */
export function encodeAnswer(value: unknown): string {
  return JSON.stringify(value);
}

/** Reads an answer back, turning its date fields into Dates again. */
export function decodeAnswer<T>(text: string): T {
  return JSON.parse(text, (key, value: unknown) => (DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value)) as T;
}
