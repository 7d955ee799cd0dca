import type { StoredEvent } from '@volcanion-tracking/core';
import { z } from 'zod';
import { requireSystemReader } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok, problems } from '../openapi/responses';
import { systemParams } from '../schemas/common-schemas';
import { eventPageSchema, storedEventSchema } from '../schemas/event-schemas';
import { booleanParam, cursorParam, instantParam, integerParam, messageTypeParam } from '../schemas/query-params';
import { valueOf } from './route-helpers';

const eventsQuery = z.object({
  limit: integerParam(1, 1000, 'Events per page, 1 to 1000; default 100'),
  cursor: cursorParam,
  valid: booleanParam('`false` lists only flagged events, `true` only valid ones'),
  event: z.string().optional().describe('Only events of this name'),
  userId: z.string().optional().describe('Only events of this userId'),
  anonymousId: z.string().optional().describe('Only events of this anonymousId'),
  type: messageTypeParam,
  from: instantParam('Only events at or after this instant (ISO-8601)'),
  to: instantParam('Only events before this instant (ISO-8601)'),
});

/** Listing a system's events, newest first: admin token or that system's secret key. */
export function registerEventRoutes(router: Router, { platform, admin }: ResolvedOptions): void {
  router.on(
    'GET',
    '/api/systems/:id/events',
    {
      operationId: 'listEvents',
      summary: "List a system's events",
      description: 'Newest first; the cursor stays stable while new events arrive.',
      tag: 'Events',
      auth: ['admin', 'secret-key'],
      params: systemParams,
      query: eventsQuery,
      responses: { 200: ok(eventPageSchema, 'A page of events'), ...problems(400, 401, 403, 404, 503) },
    },
    async ({ request, params, query }) => {
      await requireSystemReader(platform, admin, request, params.id);
      valueOf(await platform.getSystem(params.id));
      return json(200, toPage(valueOf(await platform.listEvents(params.id, query()))));
    },
  );
}

function toPage(page: { data: StoredEvent[]; nextCursor: string | null }): z.output<typeof eventPageSchema> {
  return { data: page.data.map(eventView), nextCursor: page.nextCursor };
}

/** An event as the API shows it: Segment's field names. */
export function eventView(e: StoredEvent): z.output<typeof storedEventSchema> {
  return {
    messageId: e.messageId,
    type: e.type,
    event: e.event,
    userId: e.userId,
    anonymousId: e.anonymousId,
    groupId: e.groupId,
    previousId: e.previousId,
    properties: e.properties,
    traits: e.traits,
    context: e.context,
    integrations: e.integrations,
    timestamp: e.timestamp.toISOString(),
    originalTimestamp: e.originalTimestamp?.toISOString() ?? null,
    sentAt: e.sentAt?.toISOString() ?? null,
    receivedAt: e.receivedAt.toISOString(),
    valid: e.valid,
    validationErrors: e.validationErrors,
  };
}
