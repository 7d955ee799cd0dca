import type { Volcanion } from '../../src/volcanion-api';

// Inside page.evaluate() callbacks, the SDK the test page loaded.
declare global {
  var volcanion: Volcanion;
}
export {};
