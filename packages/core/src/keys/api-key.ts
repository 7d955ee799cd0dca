import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Changed } from '../partners/partner';

/** `write` keys may only ingest; `secret` keys may also read their own system's data. */
export type KeyKind = 'write' | 'secret';

/** An API key as stored: only the SHA-256 of its secret part is kept. */
export interface ApiKey {
  /** Public, non-secret id; the key text embeds it so lookups need no scan. */
  id: string;
  systemId: string;
  kind: KeyKind;
  /** Hex SHA-256 of the secret part. The plaintext key is never stored. */
  secretHash: string;
  /** The key this one was issued to replace, when it came from a rotation. */
  replacesKeyId: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A freshly issued key and its plaintext, which is shown once and never again. */
export interface IssuedKey {
  key: ApiKey;
  plaintext: string;
}

const PREFIX: Record<KeyKind, string> = { write: 'wk', secret: 'sk' };
const KEY_PATTERN = /^(wk|sk)_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * Issues a key: 64-bit public id plus a 256-bit secret from `crypto.randomBytes`, in the form
 * `wk_<id>_<secret>`. A high-entropy secret needs no slow hash: SHA-256 resists preimages.
 */
export function issueApiKey(
  systemId: string,
  kind: KeyKind,
  now: Date,
  replacesKeyId: string | null = null,
): Changed<IssuedKey> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key: ApiKey = { id, systemId, kind, secretHash: hashSecret(secret), replacesKeyId, createdAt: now, revokedAt: null };
  return {
    value: { key, plaintext: `${PREFIX[kind]}_${id}_${secret}` },
    events: [{ type: 'KeyIssued', systemId, keyId: id, kind, replacesKeyId, occurredAt: now }],
  };
}

/** The parts of a presented key, or `null` when the text is not shaped like one of ours. */
export function parseApiKey(text: string): { kind: KeyKind; id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(text);
  if (!match) return null;
  return { kind: match[1] === 'wk' ? 'write' : 'secret', id: match[2]!, secret: match[3]! };
}

/** True for text shaped like a key id (16 hex digits); anything else cannot name a key. */
export function isKeyId(text: string): boolean {
  return /^[0-9a-f]{16}$/.test(text);
}

/** Compares a presented secret with the stored hash in constant time. */
export function secretMatches(key: ApiKey, secret: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(key.secretHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Revokes a key at once. Revoking twice changes nothing. */
export function revokeApiKey(key: ApiKey, now: Date): Changed<ApiKey> {
  if (key.revokedAt) return { value: key, events: [] };
  return {
    value: { ...key, revokedAt: now },
    events: [{ type: 'KeyRevoked', systemId: key.systemId, keyId: key.id, occurredAt: now }],
  };
}

/** Hex SHA-256 of a secret; also used for the admin token. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
