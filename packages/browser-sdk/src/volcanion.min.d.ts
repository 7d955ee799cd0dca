/**
 * Types of the `<script>` build: `window.volcanion`. Pages that load the script and type-check their
 * own code can `import type {} from '@volcanion-tracking/browser-sdk/volcanion.min.js'`.
 */
import type { StubCall, Volcanion } from './index.js';

declare global {
  interface Window {
    /** The snippet's stub (calls recorded before the script loaded) until the script replaces it with the client. */
    volcanion: Volcanion | (StubCall[] & Partial<Volcanion>);
  }
}
export {};
