import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { snippet, STUB_METHODS } from './snippet';

/** Runs the snippet against a fake window and document; returns what it did. */
function run(code: string, window: Record<string, unknown> = {}) {
  const appended: { async?: number; src?: string }[] = [];
  const document = { createElement: () => ({}), head: { appendChild: (el: object) => appended.push(el) } };
  runInNewContext(code, Object.assign(window, { window, document }));
  return { window, appended };
}

describe('snippet', () => {
  it('records calls as [method, args, time] on a stub and loads the script once', () => {
    const before = Date.now();
    const { window, appended } = run(snippet({ src: '/volcanion.min.js', writeKey: 'wk_1', options: { host: 'https://c.example' }, page: true }));
    const stub = window.volcanion as unknown[][] & Record<string, (...args: unknown[]) => void>;
    stub.track!('Clicked', { x: 1 });
    expect(appended).toEqual([{ async: 1, src: '/volcanion.min.js' }]);
    expect(stub.map(([method, args]) => [method, args])).toEqual([
      ['load', ['wk_1', { host: 'https://c.example' }]],
      ['page', []],
      ['track', ['Clicked', { x: 1 }]],
    ]);
    for (const call of stub) expect(call[2]).toBeGreaterThanOrEqual(before);
    for (const method of STUB_METHODS.split(' ')) expect(typeof stub[method]).toBe('function');
  });

  it('does nothing the second time, or once the SDK is there', () => {
    const { window, appended } = run(snippet({ src: '/a.js' }));
    run(snippet({ src: '/a.js' }), window);
    expect(appended).toHaveLength(1);
    const client = { load() {} };
    const { appended: none } = run(snippet({ src: '/a.js' }), { volcanion: client });
    expect(none).toEqual([]);
  });

  it('cannot be broken out of its <script> by its arguments', () => {
    const code = snippet({ src: '/x.js?</script><script>alert(1)</script>', writeKey: '</script>' });
    expect(code).not.toContain('</script>');
    const { appended } = run(code);
    expect(appended[0]!.src).toBe('/x.js?</script><script>alert(1)</script>');
  });
});
