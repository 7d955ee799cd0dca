import type { PartnerSystem } from '@volcanion-tracking/core';
import type { z } from 'zod';
import { requireAdmin, requireSystemReader } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok, problems } from '../openapi/responses';
import { systemParams } from '../schemas/common-schemas';
import { systemSchema, updateSystemSettingsInput } from '../schemas/system-schemas';
import { managementBody, valueOf } from './route-helpers';

const tag = 'Systems';

/** Reading a system (admin or its secret key), changing its settings and deactivating it (admin). */
export function registerSystemRoutes(router: Router, { platform, admin, maxManagementBodyBytes }: ResolvedOptions): void {
  router
    .on(
      'GET',
      '/api/systems/:id',
      {
        operationId: 'getSystem',
        summary: 'Read a system',
        description: "Another system's key gets 404, as if the system did not exist.",
        tag,
        auth: ['admin', 'secret-key'],
        params: systemParams,
        responses: { 200: ok(systemSchema, 'The system'), ...problems(401, 403, 404, 503) },
      },
      async ({ request, params }) => {
        await requireSystemReader(platform, admin, request, params.id);
        return json(200, systemView(valueOf(await platform.getSystem(params.id))));
      },
    )
    .on(
      'PATCH',
      '/api/systems/:id/settings',
      {
        operationId: 'updateSystemSettings',
        summary: "Change a system's settings",
        description: 'Any subset of the settings; a deactivated system takes no changes (409).',
        tag,
        auth: 'admin',
        params: systemParams,
        body: { schema: updateSystemSettingsInput },
        responses: { 200: ok(systemSchema, 'The system as changed'), ...problems(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        valueOf(await platform.getSystem(params.id));
        const body = await managementBody(request, maxManagementBodyBytes);
        return json(200, systemView(valueOf(await platform.updateSystemSettings(params.id, body))));
      },
    )
    .on(
      'POST',
      '/api/systems/:id/deactivate',
      {
        operationId: 'deactivateSystem',
        summary: 'Deactivate a system',
        description: 'Its keys stop working at once; its data stays. Deactivating twice changes nothing.',
        tag,
        auth: 'admin',
        params: systemParams,
        responses: { 200: ok(systemSchema, 'The system, deactivated'), ...problems(401, 403, 404, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        return json(200, systemView(valueOf(await platform.deactivateSystem(params.id))));
      },
    );
}

/** A system as the API shows it; never with keys. */
export function systemView(s: PartnerSystem): z.output<typeof systemSchema> {
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
