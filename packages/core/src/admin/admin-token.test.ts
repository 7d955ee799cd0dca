import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setUpAdminToken } from './admin-token';
import type { SettingsRepository } from './settings-repository';

/** Settings over a Map, as one database shared by every start in a test. */
function mapSettings(values = new Map<string, string>()): SettingsRepository & { values: Map<string, string> } {
  return {
    values,
    async get(name) {
      return values.get(name) ?? null;
    },
    async putIfAbsent(name, value) {
      if (values.has(name)) return false;
      values.set(name, value);
      return true;
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('setUpAdminToken', () => {
  it('uses a configured token, which verifies, and stores nothing', async () => {
    const settings = mapSettings();
    const token = await setUpAdminToken(settings, 'configured-secret');
    expect(token.source).toBe('configured');
    expect(token.generated).toBeNull();
    expect(token.verify('configured-secret')).toBe(true);
    expect(token.verify('configured-secreT')).toBe(false);
    expect(settings.values.size).toBe(0);
  });

  it('prefers a configured token over a stored one', async () => {
    const settings = mapSettings();
    const first = await setUpAdminToken(settings);
    const configured = await setUpAdminToken(settings, 'configured-secret');
    expect(configured.source).toBe('configured');
    expect(configured.verify('configured-secret')).toBe(true);
    expect(configured.verify(first.generated!)).toBe(false);
  });

  it('generates a token on the first start, returning it once', async () => {
    const settings = mapSettings();
    const first = await setUpAdminToken(settings);
    expect(first.source).toBe('generated');
    expect(first.generated).toMatch(/^vt_admin_[A-Za-z0-9_-]{43}$/);
    expect(first.verify(first.generated!)).toBe(true);

    const second = await setUpAdminToken(settings);
    expect(second.source).toBe('stored');
    expect(second.generated).toBeNull();
    expect(second.verify(first.generated!)).toBe(true);
  });

  it('stores only the SHA-256 hex of the generated token', async () => {
    const settings = mapSettings();
    const { generated } = await setUpAdminToken(settings);
    const stored = [...settings.values.values()];
    expect(stored).toEqual([sha256(generated!)]);
    expect(JSON.stringify([...settings.values])).not.toContain(generated!);
  });

  it('fails a wrong, empty or hash-as-token presentation', async () => {
    const settings = mapSettings();
    const { generated, verify } = await setUpAdminToken(settings);
    expect(verify(`${generated!}x`)).toBe(false);
    expect(verify(generated!.slice(0, -1))).toBe(false);
    expect(verify('')).toBe(false);
    expect(verify(sha256(generated!))).toBe(false);
  });

  it('generates different tokens on different databases', async () => {
    const a = await setUpAdminToken(mapSettings());
    const b = await setUpAdminToken(mapSettings());
    expect(a.generated).not.toBe(b.generated);
    expect(a.verify(b.generated!)).toBe(false);
  });

  it('reports no generated token when another process stored its hash first', async () => {
    const values = new Map<string, string>();
    const racing = mapSettings(values);
    // Another process stores its hash between this one's read and its write.
    const settings: SettingsRepository = {
      get: racing.get,
      async putIfAbsent(name, value) {
        values.set(name, sha256('other-process-token'));
        return racing.putIfAbsent(name, value);
      },
    };
    const token = await setUpAdminToken(settings);
    expect(token).toMatchObject({ generated: null, source: 'stored' });
    expect(token.verify('other-process-token')).toBe(true);
  });
});
