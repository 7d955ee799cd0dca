import type { ClientEvents } from './emitter';
import type { CallOptions } from './message';
import type { Plugin } from './plugins';
import type { Consent, LoadOptions } from './settings';

/** Traits of a user or group: free-form JSON. */
export type Traits = Record<string, unknown>;

/** Who the visitor is, as `user()` reports it. */
export interface User {
  anonymousId: string;
  userId: string | null;
  traits: Traits;
}

/** A call the snippet recorded before the SDK loaded: method, arguments and the time of the call. */
export type StubCall = [method: string, args: unknown[], time?: number];

/** The client. Every method returns normally, whatever happens: nothing it does can throw into the page. */
export interface Volcanion {
  /** Starts the client with a system's write key. Calls made before it are kept and replayed, in order. */
  load(writeKey: string, options?: LoadOptions): void;
  /** Records something the user did. */
  track(event: string, properties?: Record<string, unknown>, options?: CallOptions): void;
  /**
   * Says who the user is. Traits are merged into the stored ones; a different `userId` than the stored
   * one starts a new identity (new `anonymousId`, no traits).
   */
  identify(userId?: string | null, traits?: Traits, options?: CallOptions): void;
  identify(traits: Traits, options?: CallOptions): void;
  /** Records a page view; `url`, `path`, `referrer`, `title` and `search` are added to the properties. */
  page(name?: string, properties?: Record<string, unknown>, options?: CallOptions): void;
  page(properties: Record<string, unknown>, options?: CallOptions): void;
  /** Associates the user with an account. */
  group(groupId: string, traits?: Traits, options?: CallOptions): void;
  /** Links `userId` to a previous id (default: the current user id, else the anonymous id). */
  alias(userId: string, previousId?: string, options?: CallOptions): void;
  /** Forgets the user: no user id, no traits, a new anonymous id. Queued events are kept. */
  reset(): void;
  /** The current identity. */
  user(): User;
  /**
   * Sets consent and returns it (without an argument, only returns it). `granted` stores identity and
   * sends; `pending` holds events in memory; `denied` discards queued events and stored identity.
   */
  consent(state?: Consent): Consent | undefined;
  /** Adds a plugin that edits or drops events before they are queued. */
  use(plugin: Plugin): void;
  /** Listens to `sent` and `drop` reports. */
  on<K extends keyof ClientEvents>(type: K, listener: (...args: ClientEvents[K]) => void): void;
  /** Sends queued events now, ignoring any retry delay. */
  flush(): void;
}
