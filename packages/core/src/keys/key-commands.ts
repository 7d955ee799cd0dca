import { z } from 'zod';
import type { Repositories } from '../storage/storage';
import type { HandlerContext } from '../shared/context';
import { inTransaction } from '../shared/context';
import { InactiveError, NotFoundError, type TrackingError } from '../shared/errors';
import { isUuid } from '../shared/ids';
import { validateInput } from '../shared/validate-input';
import { err, ok, type Result } from '../shared/result';
import { isKeyId, issueApiKey, revokeApiKey, type ApiKey, type KeyKind } from './api-key';

/** A key's public id and its plaintext, which is shown only in this response. */
export interface PlaintextKey {
  id: string;
  key: string;
  kind: KeyKind;
  replacesKeyId: string | null;
}

/** Input of {@link issueKey}: which kind of key to issue. */
export const issueKeyInput = z.object({ kind: z.enum(['write', 'secret'], 'must be "write" or "secret"') });
export type IssueKeyInput = z.input<typeof issueKeyInput>;

/** Issues another key of a kind for an active system; existing keys keep working. */
export function issueKey(ctx: HandlerContext, systemId: string, input: unknown): Promise<Result<PlaintextKey, TrackingError>> {
  const parsed = validateInput(issueKeyInput, input);
  if (!parsed.ok) return Promise.resolve(parsed);
  const { kind } = parsed.value;
  return inTransaction<Result<PlaintextKey, TrackingError>>(ctx, async (tx) => {
    const system = await activeSystem(tx, systemId);
    if (!system.ok) return { result: system, events: [] };
    const issued = issueApiKey(systemId, kind, ctx.now());
    await tx.keys.insert(issued.value.key);
    return { result: ok(plaintextOf(issued.value.key, issued.value.plaintext)), events: issued.events };
  });
}

/**
 * Rotates a key: issues a new key of the same kind that replaces it. Both work until the old one
 * is revoked, so clients can move over without downtime.
 */
export function rotateKey(ctx: HandlerContext, systemId: string, keyId: string): Promise<Result<PlaintextKey, TrackingError>> {
  return inTransaction<Result<PlaintextKey, TrackingError>>(ctx, async (tx) => {
    const system = await activeSystem(tx, systemId);
    if (!system.ok) return { result: system, events: [] };
    const old = isKeyId(keyId) ? await tx.keys.findById(keyId) : null;
    if (!old || old.systemId !== systemId) return { result: err(new NotFoundError('key', keyId)), events: [] };
    if (old.revokedAt) return { result: err(new InactiveError('key', keyId)), events: [] };
    const issued = issueApiKey(systemId, old.kind, ctx.now(), old.id);
    await tx.keys.insert(issued.value.key);
    return { result: ok(plaintextOf(issued.value.key, issued.value.plaintext)), events: issued.events };
  });
}

/** Revokes a key; requests with it fail from then on. Revoking twice is harmless. */
export function revokeKey(ctx: HandlerContext, systemId: string, keyId: string): Promise<Result<ApiKey, NotFoundError>> {
  return inTransaction<Result<ApiKey, NotFoundError>>(ctx, async (tx) => {
    const key = isKeyId(keyId) ? await tx.keys.findById(keyId) : null;
    if (!key || key.systemId !== systemId) return { result: err(new NotFoundError('key', keyId)), events: [] };
    const revoked = revokeApiKey(key, ctx.now());
    if (revoked.events.length > 0) await tx.keys.update(revoked.value);
    return { result: ok(revoked.value), events: revoked.events };
  });
}

async function activeSystem(tx: Repositories, systemId: string): Promise<Result<true, NotFoundError | InactiveError>> {
  const system = isUuid(systemId) ? await tx.systems.findById(systemId) : null;
  if (!system) return err(new NotFoundError('system', systemId));
  if (!system.active) return err(new InactiveError('system', systemId));
  return ok(true);
}

function plaintextOf(key: ApiKey, plaintext: string): PlaintextKey {
  return { id: key.id, key: plaintext, kind: key.kind, replacesKeyId: key.replacesKeyId };
}
