import type { Partner } from '@volcanion-tracking/core';
import { z } from 'zod';
import { requireAdmin } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok, problems } from '../openapi/responses';
import { idParams } from '../schemas/common-schemas';
import { createPartnerInput, partnerPageSchema, partnerSchema, updatePartnerInput } from '../schemas/partner-schemas';
import { cursorParam, integerParam } from '../schemas/query-params';
import { addedSystemSchema, addSystemInput, systemListSchema } from '../schemas/system-schemas';
import { managementBody, valueOf } from './route-helpers';
import { systemView } from './systems';

const tag = 'Partners';
const location = { location: 'Where the new resource can be read' };

/** Partner management: create, list, read, update, deactivate, and add systems. Admin token only. */
export function registerPartnerRoutes(router: Router, { platform, admin, maxManagementBodyBytes }: ResolvedOptions): void {
  router
    .on(
      'POST',
      '/api/partners',
      {
        operationId: 'createPartner',
        summary: 'Create a partner',
        tag,
        auth: 'admin',
        body: { schema: createPartnerInput },
        responses: { 201: ok(partnerSchema, 'The partner', location), ...problems(400, 401, 403, 409, 413, 415, 503) },
      },
      async ({ request }) => {
        await requireAdmin(platform, admin, request);
        const body = await managementBody(request, maxManagementBodyBytes);
        const partner = valueOf(await platform.createPartner(body));
        return json(201, partnerView(partner), { location: `${request.basePath}/api/partners/${partner.id}` });
      },
    )
    .on(
      'GET',
      '/api/partners',
      {
        operationId: 'listPartners',
        summary: 'List partners',
        tag,
        auth: 'admin',
        query: partnerListQuery,
        responses: { 200: ok(partnerPageSchema, 'A page of partners, oldest first'), ...problems(400, 401, 403, 503) },
      },
      async ({ request, query }) => {
        await requireAdmin(platform, admin, request);
        const page = valueOf(await platform.listPartners(query()));
        return json(200, { data: page.data.map(partnerView), nextCursor: page.nextCursor });
      },
    )
    .on(
      'GET',
      '/api/partners/:id',
      { operationId: 'getPartner', summary: 'Read a partner', tag, auth: 'admin', params: idParams, responses: { 200: ok(partnerSchema, 'The partner'), ...problems(401, 403, 404, 503) } },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        return json(200, partnerView(valueOf(await platform.getPartner(params.id))));
      },
    )
    .on(
      'PATCH',
      '/api/partners/:id',
      {
        operationId: 'updatePartner',
        summary: 'Change a partner',
        description: 'Any subset of the fields; a deactivated partner takes no changes (409).',
        tag,
        auth: 'admin',
        params: idParams,
        body: { schema: updatePartnerInput },
        responses: { 200: ok(partnerSchema, 'The partner as changed'), ...problems(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        valueOf(await platform.getPartner(params.id));
        const body = await managementBody(request, maxManagementBodyBytes);
        return json(200, partnerView(valueOf(await platform.updatePartner(params.id, body))));
      },
    )
    .on(
      'POST',
      '/api/partners/:id/deactivate',
      {
        operationId: 'deactivatePartner',
        summary: 'Deactivate a partner',
        description: 'Every key of its systems stops working; its data stays. Deactivating twice changes nothing.',
        tag,
        auth: 'admin',
        params: idParams,
        responses: { 200: ok(partnerSchema, 'The partner, deactivated'), ...problems(401, 403, 404, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        valueOf(await platform.getPartner(params.id));
        return json(200, partnerView(valueOf(await platform.deactivatePartner(params.id))));
      },
    )
    .on(
      'POST',
      '/api/partners/:id/systems',
      {
        operationId: 'addSystem',
        summary: 'Add a system to a partner',
        description: 'Answers with its first write and secret keys: the only time they are shown. 409 on a duplicate name, an inactive partner, or a partner at its maximum of active systems.',
        tag,
        auth: 'admin',
        params: idParams,
        body: { schema: addSystemInput },
        responses: { 201: ok(addedSystemSchema, 'The system and its first keys', location), ...problems(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        valueOf(await platform.getPartner(params.id));
        const body = await managementBody(request, maxManagementBodyBytes);
        const added = valueOf(await platform.addSystem(params.id, body));
        return json(
          201,
          {
            ...systemView(added.system),
            writeKey: added.writeKey.key,
            writeKeyId: added.writeKey.id,
            secretKey: added.secretKey.key,
            secretKeyId: added.secretKey.id,
          } satisfies z.output<typeof addedSystemSchema>,
          { location: `${request.basePath}/api/systems/${added.system.id}` },
        );
      },
    )
    .on(
      'GET',
      '/api/partners/:id/systems',
      {
        operationId: 'listPartnerSystems',
        summary: "List a partner's systems",
        tag,
        auth: 'admin',
        params: idParams,
        responses: { 200: ok(systemListSchema, 'Every system of the partner'), ...problems(401, 403, 404, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        return json(200, { data: valueOf(await platform.listSystems(params.id)).map(systemView) });
      },
    );
}

const partnerListQuery = z.object({
  limit: integerParam(1, 500, 'Partners per page, 1 to 500; default 50'),
  cursor: cursorParam,
});

/** A partner as the API shows it. */
export function partnerView(p: Partner): z.output<typeof partnerSchema> {
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
