/**
 * @module
 * The `<script>` build (`volcanion.min.js`): makes `window.volcanion` and replays the calls the snippet
 * recorded before it loaded. Loaded twice, the second copy does nothing.
 */
import { createVolcanion } from './client';
import type { StubCall, Volcanion } from './volcanion-api';

const w = window as unknown as { volcanion?: StubCall[] | Volcanion };
const stub = w.volcanion;
if (!stub || Array.isArray(stub)) w.volcanion = createVolcanion(stub);
