import type { PartnerSystem } from '@volcanion-tracking/core';
import { requireAdmin, requireSystemReader } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';

import type { Router } from '../handler/router';
import { managementBody, valueOf } from './route-helpers';

/** Reading a system (admin or its secret key), changing its settings and deactivating it (admin). */
export function registerSystemRoutes(router: Router, { platform, admin, maxManagementBodyBytes }: ResolvedOptions): void {
  router
    .on('GET', '/api/systems/:id', async ({ request, params }) => {
      await requireSystemReader(platform, admin, request, params.id!);
      return json(200, systemView(valueOf(await platform.getSystem(params.id!))));
    })
    .on('PATCH', '/api/systems/:id/settings', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      valueOf(await platform.getSystem(params.id!));
      const body = await managementBody(request, maxManagementBodyBytes);
      return json(200, systemView(valueOf(await platform.updateSystemSettings(params.id!, body))));
    })
    .on('POST', '/api/systems/:id/deactivate', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      return json(200, systemView(valueOf(await platform.deactivateSystem(params.id!))));
    });
}

/** A system as the API shows it; never with keys. */
export function systemView(s: PartnerSystem) {
  return {
    id: s.id,
    partnerId: s.partnerId,
    name: s.name,
    description: s.description,
    active: s.active,
    settings: s.settings,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
