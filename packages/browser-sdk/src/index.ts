/**
 * @module
 * A tiny browser client for Volcanion Tracking, and any Segment-compatible API: identity in
 * first-party cookies, batching, retries, a queue that survives reloads and going offline without
 * duplicates across tabs, consent and plugins. Nothing it does throws into the page.
 *
 * ### Examples
 * ```ts
 * import { volcanion } from '@volcanion-tracking/browser-sdk';
 * volcanion.load('wk_…', { host: 'https://collect.example', page: true });
 * volcanion.track('Order Completed', { total: 42 });
 * ```
 *
 * For a `<script>` tag, load `@volcanion-tracking/browser-sdk/volcanion.min.js` with the snippet in
 * `docs/browser-sdk.md`.
 */
export { createVolcanion } from './client';
export type { StubCall, Traits, User, Volcanion } from './volcanion-api';
export type { ClientEvents, DropReason } from './emitter';
export type { CallOptions } from './message';
export type { Plugin, TrackedEvent } from './plugins';
export type { Consent, LoadOptions } from './settings';
export { snippet, type SnippetOptions } from './snippet';
export type { Message, TrackMessage, IdentifyMessage, PageMessage, GroupMessage, AliasMessage } from '@volcanion-tracking/core/protocol';
export { volcanion } from './volcanion';
