import type { PartnerSystem } from '../partners/partner-system';
import type { HandlerContext } from '../shared/context';
import { UnauthorizedError } from '../shared/errors';
import { err, ok, type Result } from '../shared/result';
import { parseApiKey, secretMatches, type KeyKind } from './api-key';
import type { CredentialCache } from './credential-cache';

/** Who a valid API key speaks for. */
export interface KeyPrincipal {
  kind: KeyKind;
  keyId: string;
  system: PartnerSystem;
}

/**
 * Resolves a presented key to its system. Unknown, malformed, revoked keys and keys of deactivated
 * systems or partners all fail alike, so a caller learns nothing about which it was.
 */
export async function authenticateKey(
  ctx: HandlerContext,
  cache: CredentialCache,
  presented: string,
): Promise<Result<KeyPrincipal, UnauthorizedError>> {
  const parsed = parseApiKey(presented);
  if (!parsed) return err(new UnauthorizedError('Unknown API key'));
  let credential = cache.get(parsed.id);
  ctx.telemetry.emit({ type: 'cache', cache: 'credentials', hit: credential !== undefined });
  if (!credential) {
    credential = (await ctx.storage.keys.findCredential(parsed.id)) ?? undefined;
    if (credential) cache.set(parsed.id, credential);
  }
  if (!credential || !secretMatches(credential.key, parsed.secret) || credential.key.kind !== parsed.kind) {
    return err(new UnauthorizedError('Unknown API key'));
  }
  if (credential.key.revokedAt || !credential.system.active || !credential.partnerActive) {
    return err(new UnauthorizedError('API key is revoked or its system is deactivated'));
  }
  return ok({ kind: credential.key.kind, keyId: credential.key.id, system: credential.system });
}
