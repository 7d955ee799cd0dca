import type { LoadOptions } from './settings';

/** Options of {@link snippet}. */
export interface SnippetOptions {
  /** Where the page loads `volcanion.min.js` from, ideally your own origin. */
  src: string;
  /** When given, the snippet also calls `volcanion.load(writeKey, options)`. */
  writeKey?: string;
  /** Options of that `load()` call. */
  options?: LoadOptions;
  /** Also record a `page()` call. Default false. */
  page?: boolean;
}

/** Methods the stub records; `user()` returns a value, so it needs the loaded script. */
export const STUB_METHODS = 'load track identify page group alias reset flush consent use on';

/** JSON that can sit inside an inline `<script>`. */
const inline = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The inline `<script>` body that makes `window.volcanion` usable before the script has loaded: a
 * stub array whose methods record `[method, arguments, time]`, and an async `<script>` that loads the
 * SDK, which replays the recorded calls in order, with their own time. Running it twice, or after the
 * SDK loaded, does nothing. ES5, so it runs anywhere.
 *
 * ### Examples
 * ```ts
 * const html = `<script>${snippet({ src: '/volcanion.min.js', writeKey: 'wk_…', page: true })}</script>`;
 * ```
 */
export function snippet({ src, writeKey, options, page }: SnippetOptions): string {
  return (
    `!function(w,n,q,s){q=w[n]=w[n]||[];if(q.load)return;"${STUB_METHODS}".split(" ").forEach(function(m){q[m]=function(){q.push([m,[].slice.call(arguments),+new Date])}});` +
    `s=document.createElement("script");s.async=1;s.src=${inline(src)};document.head.appendChild(s)}(window,"volcanion");` +
    (writeKey === undefined ? '' : `\nvolcanion.load(${inline(writeKey)}${options ? `,${inline(options)}` : ''});`) +
    (page ? '\nvolcanion.page();' : '')
  );
}
