import type { HandlerContext } from '../shared/context';
import { inTransaction } from '../shared/context';
import { NotFoundError, type TrackingError } from '../shared/errors';
import { err, ok, type Result } from '../shared/result';
import { deactivatePartner as deactivate, updatePartner as update, type Partner } from './partner';

/** Changes a partner's name, email or contact person. */
export function updatePartner(ctx: HandlerContext, partnerId: string, input: unknown): Promise<Result<Partner, TrackingError>> {
  return inTransaction<Result<Partner, TrackingError>>(ctx, async (tx) => {
    const partner = await tx.partners.findById(partnerId, { forUpdate: true });
    if (!partner) return { result: err(new NotFoundError('partner', partnerId)), events: [] };
    const changed = update(partner, input, ctx.now());
    if (!changed.ok) return { result: changed, events: [] };
    await tx.partners.update(changed.value.value);
    return { result: ok(changed.value.value), events: changed.value.events };
  });
}

/** Deactivates a partner: every key of every system of it stops working. */
export function deactivatePartner(ctx: HandlerContext, partnerId: string): Promise<Result<Partner, NotFoundError>> {
  return inTransaction<Result<Partner, NotFoundError>>(ctx, async (tx) => {
    const partner = await tx.partners.findById(partnerId, { forUpdate: true });
    if (!partner) return { result: err(new NotFoundError('partner', partnerId)), events: [] };
    const changed = deactivate(partner, ctx.now());
    if (changed.events.length > 0) await tx.partners.update(changed.value);
    return { result: ok(changed.value), events: changed.events };
  });
}
