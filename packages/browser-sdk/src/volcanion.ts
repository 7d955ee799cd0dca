import { createVolcanion } from './client';
import type { Volcanion } from './volcanion-api';

/** A client for the page, ready for `load()`. Importing it touches no browser API. */
export const volcanion: Volcanion = /* @__PURE__ */ createVolcanion();
