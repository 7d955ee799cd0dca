import type { EventStructure } from '@volcanion-tracking/core';
import { requireAdmin, requireSystemReader } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';

import type { Router } from '../handler/router';
import { managementBody, valueOf } from './route-helpers';

/** Defining event structures (admin) and reading them (admin or the system's secret key). */
export function registerStructureRoutes(router: Router, { platform, admin, maxManagementBodyBytes }: ResolvedOptions): void {
  router
    .on('PUT', '/api/systems/:id/event-structures/:eventName', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      valueOf(await platform.getSystem(params.id!));
      const body = await managementBody(request, maxManagementBodyBytes);
      const defined = valueOf(await platform.defineEventStructure(params.id!, params.eventName!, body));
      return json(defined.created ? 201 : 200, { ...structureView(defined.structure), changed: defined.changed });
    })
    .on('GET', '/api/systems/:id/event-structures', async ({ request, params }) => {
      await requireSystemReader(platform, admin, request, params.id!);
      return json(200, { data: valueOf(await platform.listEventStructures(params.id!)).map(structureView) });
    })
    .on('GET', '/api/systems/:id/event-structures/:eventName', async ({ request, params }) => {
      await requireSystemReader(platform, admin, request, params.id!);
      valueOf(await platform.getSystem(params.id!));
      return json(200, structureView(valueOf(await platform.getEventStructure(params.id!, params.eventName!))));
    });
}

function structureView(s: EventStructure) {
  return {
    eventName: s.eventName,
    version: s.version,
    schema: s.schema,
    required: s.required,
    createdAt: s.createdAt.toISOString(),
  };
}
