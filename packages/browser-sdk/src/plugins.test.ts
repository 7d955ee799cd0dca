import { describe, expect, it } from 'vitest';
import { runPlugins, type Plugin, type TrackedEvent } from './plugins';

const event = (): TrackedEvent => ({ type: 'track', event: 'Clicked', messageId: 'm', timestamp: 't', context: {}, properties: { email: 'a@b.c' } });

describe('runPlugins', () => {
  it('runs enrichers in order, in place or by returning a new event', () => {
    const plugins: Plugin[] = [
      { name: 'tag', enrich: (e) => void (e.context.tag = 1) },
      { name: 'strip', enrich: (e) => ({ ...e, properties: {} }) as TrackedEvent },
    ];
    expect(runPlugins(plugins, event())).toMatchObject({ context: { tag: 1 }, properties: {} });
  });

  it('drops what a plugin drops, after the enrichers before it', () => {
    const seen: string[] = [];
    const plugins: Plugin[] = [
      { name: 'rename', enrich: (e) => ({ ...e, event: 'Renamed' }) as TrackedEvent },
      { name: 'filter', drop: (e) => (seen.push((e as { event: string }).event), true) },
      { name: 'never', enrich: () => { throw new Error('not reached'); } },
    ];
    expect(runPlugins(plugins, event())).toBeNull();
    expect(seen).toEqual(['Renamed']);
  });

  it('skips a plugin that throws, keeping the event', () => {
    const plugins: Plugin[] = [
      { name: 'broken', enrich: () => { throw new Error('bug'); } },
      { name: 'broken-drop', drop: () => { throw new Error('bug'); } },
      { name: 'ok', enrich: (e) => void (e.context.ok = true) },
    ];
    expect(runPlugins(plugins, event())).toMatchObject({ event: 'Clicked', context: { ok: true } });
  });
});
