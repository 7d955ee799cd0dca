import type { HandlerContext } from '../shared/context';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor';
import { InvalidInputError, NotFoundError } from '../shared/errors';
import { isUuid } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import type { Partner } from './partner';
import type { PartnerSystem } from './partner-system';

/** The partner with this id. */
export async function getPartner(ctx: HandlerContext, partnerId: string): Promise<Result<Partner, NotFoundError>> {
  const partner = isUuid(partnerId) ? await ctx.storage.partners.findById(partnerId) : null;
  return partner ? ok(partner) : err(new NotFoundError('partner', partnerId));
}

/** Partners in creation order, a page at a time. */
export async function listPartners(
  ctx: HandlerContext,
  options: { limit?: number; cursor?: string },
): Promise<Result<Page<Partner>, InvalidInputError>> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    return err(InvalidInputError.field('limit', 'must be an integer from 1 to 500'));
  }
  const afterId = options.cursor === undefined ? undefined : decodeCursor(options.cursor, isUuid);
  if (afterId === null) return err(InvalidInputError.field('cursor', 'is not a cursor this server issued'));
  const rows = await ctx.storage.partners.list({ limit: limit + 1, afterId });
  const data = rows.slice(0, limit);
  return ok({ data, nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1]!.id) : null });
}

/** Every system of a partner. */
export async function listSystems(ctx: HandlerContext, partnerId: string): Promise<Result<PartnerSystem[], NotFoundError>> {
  const partner = await getPartner(ctx, partnerId);
  if (!partner.ok) return partner;
  return ok(await ctx.storage.systems.listByPartner(partnerId));
}

/** The system with this id. */
export async function getSystem(ctx: HandlerContext, systemId: string): Promise<Result<PartnerSystem, NotFoundError>> {
  const system = isUuid(systemId) ? await ctx.storage.systems.findById(systemId) : null;
  return system ? ok(system) : err(new NotFoundError('system', systemId));
}
