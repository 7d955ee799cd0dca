import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSecret, issueApiKey, parseApiKey, revokeApiKey, secretMatches } from './api-key';

const t0 = new Date('2024-01-01T00:00:00.000Z');
const t1 = new Date('2024-02-01T00:00:00.000Z');

/** The secret part of a key text; fails the test when the text is not a key. */
function secretOf(plaintext: string): string {
  const parsed = parseApiKey(plaintext);
  if (!parsed) throw new Error(`not a key: ${plaintext}`);
  return parsed.secret;
}

describe('issueApiKey', () => {
  it('issues a write key as wk_<16 hex>_<43 base64url> and raises KeyIssued', () => {
    const { value, events } = issueApiKey('sys-1', 'write', t0);
    expect(value.plaintext).toMatch(/^wk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(value.plaintext.startsWith(`wk_${value.key.id}_`)).toBe(true);
    expect(value.key).toMatchObject({ systemId: 'sys-1', kind: 'write', replacesKeyId: null, createdAt: t0, revokedAt: null });
    expect(events).toEqual([
      { type: 'KeyIssued', systemId: 'sys-1', keyId: value.key.id, kind: 'write', replacesKeyId: null, occurredAt: t0 },
    ]);
  });

  it('issues a secret key with the sk_ prefix', () => {
    const { value } = issueApiKey('sys-1', 'secret', t0);
    expect(value.plaintext).toMatch(/^sk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(value.key.kind).toBe('secret');
  });

  it('stores only the SHA-256 hex of the secret, never the plaintext', () => {
    const { value } = issueApiKey('sys-1', 'write', t0);
    const secret = secretOf(value.plaintext);
    expect(value.key.secretHash).toBe(createHash('sha256').update(secret, 'utf8').digest('hex'));
    const stored = JSON.stringify(value.key);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(value.plaintext);
  });

  it('issues a different id and secret every time', () => {
    const a = issueApiKey('sys-1', 'write', t0).value;
    const b = issueApiKey('sys-1', 'write', t0).value;
    expect(a.key.id).not.toBe(b.key.id);
    expect(secretOf(a.plaintext)).not.toBe(secretOf(b.plaintext));
    expect(a.key.secretHash).not.toBe(b.key.secretHash);
  });

  it('records the key a rotation replaces, on the key and on its event', () => {
    const old = issueApiKey('sys-1', 'secret', t0).value.key;
    const rotated = issueApiKey('sys-1', 'secret', t1, old.id);
    expect(rotated.value.key.replacesKeyId).toBe(old.id);
    expect(rotated.events[0]).toMatchObject({ type: 'KeyIssued', replacesKeyId: old.id });
  });
});

describe('parseApiKey', () => {
  it('round-trips an issued key into its kind, id and secret', () => {
    for (const kind of ['write', 'secret'] as const) {
      const { key, plaintext } = issueApiKey('sys-1', kind, t0).value;
      const parsed = parseApiKey(plaintext);
      expect(parsed).toEqual({ kind, id: key.id, secret: plaintext.slice(20) });
      expect(parsed && secretMatches(key, parsed.secret)).toBe(true);
    }
  });

  const valid = `wk_0123456789abcdef_${'A'.repeat(43)}`;

  it('accepts a well-formed text it did not issue', () => {
    expect(parseApiKey(valid)).toEqual({ kind: 'write', id: '0123456789abcdef', secret: 'A'.repeat(43) });
  });

  it.each([
    ['an empty text', ''],
    ['an unknown prefix', valid.replace(/^wk/, 'pk')],
    ['an uppercase hex id', valid.replace('0123456789abcdef', '0123456789ABCDEF')],
    ['a short id', valid.replace('0123456789abcdef', '0123456789abcde')],
    ['a short secret', valid.slice(0, -1)],
    ['a long secret', `${valid}A`],
    ['a secret with a character outside base64url', `${valid.slice(0, -1)}+`],
    ['surrounding whitespace', ` ${valid} `],
    ['a Bearer prefix', `Bearer ${valid}`],
  ])('rejects %s', (_label, text) => {
    expect(parseApiKey(text)).toBeNull();
  });
});

describe('secretMatches', () => {
  const { key, plaintext } = issueApiKey('sys-1', 'write', t0).value;
  const secret = secretOf(plaintext);

  it('accepts the right secret', () => {
    expect(secretMatches(key, secret)).toBe(true);
  });

  it('refuses a wrong secret of the same length', () => {
    const wrong = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    expect(wrong).toHaveLength(secret.length);
    expect(secretMatches(key, wrong)).toBe(false);
  });

  it('refuses a secret of a different length, including empty and the full key text', () => {
    expect(secretMatches(key, secret.slice(0, -1))).toBe(false);
    expect(secretMatches(key, `${secret}A`)).toBe(false);
    expect(secretMatches(key, '')).toBe(false);
    expect(secretMatches(key, plaintext)).toBe(false);
  });

  it('refuses the stored hash presented as the secret', () => {
    expect(secretMatches(key, key.secretHash)).toBe(false);
    expect(hashSecret(secret)).toBe(key.secretHash);
  });
});

describe('revokeApiKey', () => {
  it('revokes once, raising KeyRevoked, and is idempotent after that', () => {
    const key = issueApiKey('sys-1', 'write', t0).value.key;
    const first = revokeApiKey(key, t1);
    expect(first.value).toEqual({ ...key, revokedAt: t1 });
    expect(first.events).toEqual([{ type: 'KeyRevoked', systemId: 'sys-1', keyId: key.id, occurredAt: t1 }]);

    const again = revokeApiKey(first.value, new Date('2024-03-01T00:00:00.000Z'));
    expect(again.value).toBe(first.value);
    expect(again.value.revokedAt).toBe(t1);
    expect(again.events).toEqual([]);
  });
});
