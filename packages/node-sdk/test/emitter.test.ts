import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter, TrackingClient } from '../src';
import { FakeHttpClient, problem } from './support/fake-http-client';

afterEach(() => vi.restoreAllMocks());

describe('Emitter', () => {
  it('supports on, once and off, typed by event', () => {
    const emitter = new Emitter<{ ping: [n: number] }>();
    const seen: string[] = [];
    const listener = (n: number) => seen.push(`on ${n}`);
    emitter.on('ping', listener).once('ping', (n) => seen.push(`once ${n}`));
    emitter.emit('ping', 1);
    emitter.emit('ping', 2);
    emitter.off('ping', listener);
    emitter.emit('ping', 3);
    expect(seen).toEqual(['on 1', 'once 1', 'on 2']);
    expect(emitter.listenerCount('ping')).toBe(0);
  });

  it('emitting error with no listener does not throw', () => {
    expect(() => new Emitter<{ error: [Error] }>().emit('error', new Error('x'))).not.toThrow();
  });

  it('a listener that throws is reported as a warning; the others still run', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const emitter = new Emitter<{ ping: [] }>();
    let ran = false;
    emitter.on('ping', () => {
      throw new Error('listener bug');
    });
    emitter.on('ping', () => (ran = true));
    emitter.emit('ping');
    expect(ran).toBe(true);
    expect(String(warn.mock.calls[0]![0])).toContain('listener bug');
  });
});

describe('failures nobody listens to', () => {
  it('are not silent: a process warning, at most once a minute', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const client = new TrackingClient({ writeKey: 'wk', host: 'http://127.0.0.1:1', httpClient: new FakeHttpClient(() => problem(401, 'unauthorized')), flushAt: 1 });
    await client.track({ userId: 'u', event: 'a' });
    await client.track({ userId: 'u', event: 'b' });
    await client.track({ event: 'no identity' } as never);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/1 tracking call not delivered .*401 unauthorized/);
  });

  it('a throwing listener cannot break delivery', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const http = new FakeHttpClient();
    const client = new TrackingClient({ writeKey: 'wk', host: 'http://127.0.0.1:1', httpClient: http, flushAt: 1 });
    for (const event of ['http_request', 'http_response', 'delivered', 'drained'] as const) {
      client.on(event, () => {
        throw new Error(`bad ${event} listener`);
      });
    }
    expect(await client.track({ userId: 'u', event: 'a' })).toMatchObject({ ok: true });
    expect(await client.track({ userId: 'u', event: 'b' })).toMatchObject({ ok: true });
  });
});
