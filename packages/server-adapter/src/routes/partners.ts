import type { Partner } from '@volcanion-tracking/core';
import { requireAdmin } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';

import type { Router } from '../handler/router';
import { managementBody, intParam, stringParam, valueOf } from './route-helpers';
import { systemView } from './systems';

/** Partner management: create, list, read, update, deactivate, and add systems. Admin token only. */
export function registerPartnerRoutes(router: Router, { platform, admin, maxManagementBodyBytes }: ResolvedOptions): void {
  router
    .on('POST', '/api/partners', async ({ request }) => {
      await requireAdmin(platform, admin, request);
      const body = await managementBody(request, maxManagementBodyBytes);
      const partner = valueOf(await platform.createPartner(body));
      return json(201, partnerView(partner), { location: `${request.basePath}/api/partners/${partner.id}` });
    })
    .on('GET', '/api/partners', async ({ request, url }) => {
      await requireAdmin(platform, admin, request);
      const page = valueOf(await platform.listPartners({ limit: intParam(url, 'limit'), cursor: stringParam(url, 'cursor') }));
      return json(200, { data: page.data.map(partnerView), nextCursor: page.nextCursor });
    })
    .on('GET', '/api/partners/:id', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      return json(200, partnerView(valueOf(await platform.getPartner(params.id!))));
    })
    .on('PATCH', '/api/partners/:id', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      valueOf(await platform.getPartner(params.id!));
      const body = await managementBody(request, maxManagementBodyBytes);
      return json(200, partnerView(valueOf(await platform.updatePartner(params.id!, body))));
    })
    .on('POST', '/api/partners/:id/deactivate', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      valueOf(await platform.getPartner(params.id!));
      return json(200, partnerView(valueOf(await platform.deactivatePartner(params.id!))));
    })
    .on('POST', '/api/partners/:id/systems', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      valueOf(await platform.getPartner(params.id!));
      const body = await managementBody(request, maxManagementBodyBytes);
      const added = valueOf(await platform.addSystem(params.id!, body));
      return json(
        201,
        {
          ...systemView(added.system),
          writeKey: added.writeKey.key,
          writeKeyId: added.writeKey.id,
          secretKey: added.secretKey.key,
          secretKeyId: added.secretKey.id,
        },
        { location: `${request.basePath}/api/systems/${added.system.id}` },
      );
    })
    .on('GET', '/api/partners/:id/systems', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      return json(200, { data: valueOf(await platform.listSystems(params.id!)).map(systemView) });
    });
}

/** A partner as the API shows it. */
export function partnerView(p: Partner) {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    contactPerson: p.contactPerson,
    active: p.active,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
