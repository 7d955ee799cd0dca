import { createHash } from 'node:crypto';
import type { OpenApiDocument } from './build-document';
import { docsScript } from './docs-script';

const style = `
:root { color-scheme: light dark; --muted: #6b7280; --line: #d1d5db; --code: rgba(127,127,127,.12); }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; }
#app { max-width: 1040px; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: .75rem 0; border-bottom: 1px solid var(--line); }
h1 .version { font-size: .9rem; color: var(--muted); font-weight: normal; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); }
code { background: var(--code); padding: 0 .25em; border-radius: 3px; }
details.op { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; padding: .25rem .75rem; }
details.op[open] { padding-bottom: .75rem; }
summary { cursor: pointer; padding: .25rem 0; }
.method { display: inline-block; min-width: 4.2em; text-align: center; font-weight: 600; font-size: .8rem; border-radius: 4px; padding: 0 .3em; color: #fff; background: #6b7280; }
.method.get { background: #2563eb; } .method.post { background: #16a34a; } .method.put { background: #b45309; }
.method.patch { background: #7c3aed; } .method.delete { background: #dc2626; }
.path { font-weight: 600; } .summary, .muted, .constraints { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .25rem 0; }
td { border-top: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
td.name { white-space: nowrap; width: 1%; } td.in { width: 1%; color: var(--muted); }
td p { margin: .15rem 0; } .req { color: #dc2626; font-size: .8rem; }
.schema .schema { margin-left: 1rem; border-left: 2px solid var(--line); padding-left: .5rem; }
.response { margin: .5rem 0; } .status { font-weight: 600; }
.status.s2 { color: #16a34a; } .status.s4 { color: #b45309; } .status.s5 { color: #dc2626; }
.ref { font-family: ui-monospace, monospace; }
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The Content-Security-Policy of the docs page: nothing from elsewhere, and only its own inline
 * script and style, allowed by hash.
 */
export const docsCsp = [
  "default-src 'none'",
  `script-src ${hash(docsScript)}`,
  `style-src ${hash(style)}`,
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A self-contained HTML reference of the API: the OpenAPI document embedded as data and a small
 * script that renders it. No external assets, so it works offline and under a strict CSP.
 */
export function docsPage(document: OpenApiDocument): string {
  // `<` escaped, so no text in the document can close the data block.
  const data = JSON.stringify(document).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(document.info.title)}</title>
<style>${style}</style>
</head>
<body>
<main id="app"><noscript>This page renders <a href="openapi.json">openapi.json</a> with JavaScript.</noscript></main>
<script type="application/json" id="openapi">${data}</script>
<script>${docsScript}</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
