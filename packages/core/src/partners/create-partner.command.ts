import type { HandlerContext } from '../shared/context';
import { inTransaction } from '../shared/context';
import type { ConflictError, InvalidInputError } from '../shared/errors';
import type { Result } from '../shared/result';
import { createPartner as newPartner, type Partner } from './partner';

/** Registers a partner. Names are unique, case-insensitively. */
export function createPartner(ctx: HandlerContext, input: unknown): Promise<Result<Partner, InvalidInputError | ConflictError>> {
  return inTransaction<Result<Partner, InvalidInputError | ConflictError>>(ctx, async (tx) => {
    const created = newPartner(input, { id: ctx.newId(), now: ctx.now() });
    if (!created.ok) return { result: created, events: [] };
    await tx.partners.insert(created.value.value);
    return { result: { ok: true, value: created.value.value }, events: created.value.events };
  });
}
