import type { HandlerContext } from '../shared/context';
import { readPageRequest, toPage, type Page } from '../shared/cursor';
import { NotFoundError, type InvalidInputError } from '../shared/errors';
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
  const page = readPageRequest(options, { defaultLimit: 50, maxLimit: 500, isValidKey: isUuid });
  if (!page.ok) return page;
  const rows = await ctx.storage.partners.list({ limit: page.value.limit + 1, afterId: page.value.after });
  return ok(toPage(rows, page.value.limit, (p) => p.id));
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
