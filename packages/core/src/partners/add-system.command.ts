import { issueApiKey } from '../keys/api-key';
import type { HandlerContext } from '../shared/context';
import { inTransaction } from '../shared/context';
import { NotFoundError, type TrackingError } from '../shared/errors';
import { isUuid } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { addSystem as add, type PartnerSystem } from './partner-system';

/** A new system with the plaintext of its first write and secret keys, shown this once. */
export interface AddedSystem {
  system: PartnerSystem;
  writeKey: { id: string; key: string };
  secretKey: { id: string; key: string };
}

/**
 * Adds a system to a partner and issues its first write key and secret key. The partner row is
 * locked so that two concurrent calls cannot both pass the systems-per-partner limit.
 */
export function addSystem(ctx: HandlerContext, partnerId: string, input: unknown): Promise<Result<AddedSystem, TrackingError>> {
  return inTransaction<Result<AddedSystem, TrackingError>>(ctx, async (tx) => {
    const partner = isUuid(partnerId) ? await tx.partners.findById(partnerId, { forUpdate: true }) : null;
    if (!partner) return { result: err(new NotFoundError('partner', partnerId)), events: [] };
    const now = ctx.now();
    const added = add(partner, await tx.systems.listByPartner(partnerId), input, ctx.policy, { id: ctx.newId(), now });
    if (!added.ok) return { result: added, events: [] };
    const system = added.value.value;
    await tx.systems.insert(system);
    const write = issueApiKey(system.id, 'write', now);
    const secret = issueApiKey(system.id, 'secret', now);
    await tx.keys.insert(write.value.key);
    await tx.keys.insert(secret.value.key);
    return {
      result: ok({
        system,
        writeKey: { id: write.value.key.id, key: write.value.plaintext },
        secretKey: { id: secret.value.key.id, key: secret.value.plaintext },
      }),
      events: [...added.value.events, ...write.events, ...secret.events],
    };
  });
}
