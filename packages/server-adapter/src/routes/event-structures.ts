import type { EventStructure } from '@volcanion-tracking/core';
import type { z } from 'zod';
import { requireAdmin, requireSystemReader } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok, problems } from '../openapi/responses';
import { systemParams } from '../schemas/common-schemas';
import {
  defineEventStructureInput,
  definedStructureSchema,
  eventStructureListSchema,
  eventStructureSchema,
  structureParams,
} from '../schemas/event-structure-schemas';
import { managementBody, valueOf } from './route-helpers';

const tag = 'Event structures';

/** Defining event structures (admin) and reading them (admin or the system's secret key). */
export function registerStructureRoutes(router: Router, { platform, admin, maxManagementBodyBytes }: ResolvedOptions): void {
  router
    .on(
      'PUT',
      '/api/systems/:id/event-structures/:eventName',
      {
        operationId: 'defineEventStructure',
        summary: 'Define an event structure',
        description:
          "A JSON Schema (2020-12) for the event's `properties`. A changed schema or flag adds a version; the same again changes nothing, so the request can be retried safely.",
        tag,
        auth: 'admin',
        params: structureParams,
        body: { schema: defineEventStructureInput },
        responses: {
          201: ok(definedStructureSchema, 'The first version, created'),
          200: ok(definedStructureSchema, 'A new version, or the current one unchanged (`changed: false`)'),
          ...problems(400, 401, 403, 404, 409, 413, 415, 503),
        },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        valueOf(await platform.getSystem(params.id));
        const body = await managementBody(request, maxManagementBodyBytes);
        const defined = valueOf(await platform.defineEventStructure(params.id, params.eventName, body));
        return json(defined.created ? 201 : 200, { ...structureView(defined.structure), changed: defined.changed } satisfies z.output<typeof definedStructureSchema>);
      },
    )
    .on(
      'GET',
      '/api/systems/:id/event-structures',
      {
        operationId: 'listEventStructures',
        summary: "List a system's event structures",
        tag,
        auth: ['admin', 'secret-key'],
        params: systemParams,
        responses: { 200: ok(eventStructureListSchema, 'The newest version of each'), ...problems(401, 403, 404, 503) },
      },
      async ({ request, params }) => {
        await requireSystemReader(platform, admin, request, params.id);
        return json(200, { data: valueOf(await platform.listEventStructures(params.id)).map(structureView) });
      },
    )
    .on(
      'GET',
      '/api/systems/:id/event-structures/:eventName',
      {
        operationId: 'getEventStructure',
        summary: 'Read an event structure',
        tag,
        auth: ['admin', 'secret-key'],
        params: structureParams,
        responses: { 200: ok(eventStructureSchema, 'The newest version'), ...problems(401, 403, 404, 503) },
      },
      async ({ request, params }) => {
        await requireSystemReader(platform, admin, request, params.id);
        valueOf(await platform.getSystem(params.id));
        return json(200, structureView(valueOf(await platform.getEventStructure(params.id, params.eventName))));
      },
    );
}

function structureView(s: EventStructure): z.output<typeof eventStructureSchema> {
  return {
    eventName: s.eventName,
    version: s.version,
    schema: s.schema,
    required: s.required,
    createdAt: s.createdAt.toISOString(),
  };
}
