import type { HandlerContext } from '../shared/context';
import { inTransaction } from '../shared/context';
import { NotFoundError, type TrackingError } from '../shared/errors';
import { isUuid } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { deactivateSystem as deactivate, updateSystemSettings as update, type PartnerSystem } from './partner-system';

/** Deactivates a system: its keys stop working, its events stay. */
export function deactivateSystem(ctx: HandlerContext, systemId: string): Promise<Result<PartnerSystem, NotFoundError>> {
  return inTransaction<Result<PartnerSystem, NotFoundError>>(ctx, async (tx) => {
    const system = isUuid(systemId) ? await tx.systems.findById(systemId) : null;
    if (!system) return { result: err(new NotFoundError('system', systemId)), events: [] };
    const changed = deactivate(system, ctx.now());
    if (changed.events.length > 0) await tx.systems.update(changed.value);
    return { result: ok(changed.value), events: changed.events };
  });
}

/** Changes a system's validation policy, allowed origins or rate limits. */
export function updateSystemSettings(
  ctx: HandlerContext,
  systemId: string,
  input: unknown,
): Promise<Result<PartnerSystem, TrackingError>> {
  return inTransaction<Result<PartnerSystem, TrackingError>>(ctx, async (tx) => {
    const system = isUuid(systemId) ? await tx.systems.findById(systemId) : null;
    if (!system) return { result: err(new NotFoundError('system', systemId)), events: [] };
    const changed = update(system, input, ctx.now());
    if (!changed.ok) return { result: changed, events: [] };
    await tx.systems.update(changed.value.value);
    return { result: ok(changed.value.value), events: changed.value.events };
  });
}
