import type { Message } from '@volcanion-tracking/core/protocol';

/** An event as plugins see it: a message with its `type`, ids, `context` and `timestamp` filled in. */
export type TrackedEvent = Message & { type: NonNullable<Message['type']>; messageId: string; timestamp: string; context: Record<string, unknown> };

/**
 * Edits or drops events before they are queued. Plugins run in the order they were added; one that
 * throws is skipped for that event.
 *
 * ### Examples
 * ```ts
 * volcanion.use({ name: 'app-version', enrich: (e) => void (e.context.app = { version: '2.4.0' }) });
 * volcanion.use({ name: 'no-health-checks', drop: (e) => e.type === 'page' && e.properties?.path === '/health' });
 * ```
 */
export interface Plugin {
  name: string;
  /** Returns the event to send (edited in place or a new object); returning nothing keeps the event as it is. */
  enrich?(event: TrackedEvent): TrackedEvent | void;
  /** Returns true to drop the event: it is never stored or sent. */
  drop?(event: TrackedEvent): boolean;
}

/** Runs every plugin over `event`: the event to send, or null when one dropped it. */
export function runPlugins(plugins: readonly Plugin[], event: TrackedEvent): TrackedEvent | null {
  for (const plugin of plugins) {
    try {
      event = plugin.enrich?.(event) ?? event;
      if (plugin.drop?.(event)) return null;
    } catch {
      // A faulty plugin must not cost the host page an exception, nor the event.
    }
  }
  return event;
}
