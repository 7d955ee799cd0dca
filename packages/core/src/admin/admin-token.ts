import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hashSecret } from '../keys/api-key';
import type { SettingsRepository } from './settings-repository';

const SETTING = 'admin_token_sha256';

/** How management requests are authorised. */
export interface AdminToken {
  /** The token generated on this first start, to print once; `null` when none was generated here. */
  generated: string | null;
  /** Where the token in force came from. */
  source: 'configured' | 'stored' | 'generated';
  /** Compares a presented token with the one in force, in constant time. */
  verify(presented: string): boolean;
}

/**
 * Sets up the admin token: a configured one wins; otherwise the stored hash is used; otherwise a
 * new token is generated, stored hashed and returned once. When two processes start at once on
 * one database, only the one that stored its hash reports a generated token.
 */
export async function setUpAdminToken(settings: SettingsRepository, configured?: string): Promise<AdminToken> {
  if (configured) return { generated: null, source: 'configured', verify: verifier(hashSecret(configured)) };
  const stored = await settings.get(SETTING);
  if (stored) return { generated: null, source: 'stored', verify: verifier(stored) };
  const token = `vt_admin_${randomBytes(32).toString('base64url')}`;
  if (await settings.putIfAbsent(SETTING, hashSecret(token))) {
    return { generated: token, source: 'generated', verify: verifier(hashSecret(token)) };
  }
  return { generated: null, source: 'stored', verify: verifier((await settings.get(SETTING))!) };
}

function verifier(expectedHash: string): (presented: string) => boolean {
  const expected = Buffer.from(expectedHash, 'hex');
  return (presented) => {
    const actual = Buffer.from(hashSecret(presented), 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
}
