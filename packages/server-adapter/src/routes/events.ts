import type { StoredEvent } from '@volcanion-tracking/core';
import { requireSystemReader } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { boolParam, dateParam, intParam, stringParam, typeParam, valueOf } from './route-helpers';

/** Listing a system's events, newest first: admin token or that system's secret key. */
export function registerEventRoutes(router: Router, { platform, admin }: ResolvedOptions): void {
  router.on('GET', '/api/systems/:id/events', async ({ request, url, params }) => {
    await requireSystemReader(platform, admin, request, params.id!);
    valueOf(await platform.getSystem(params.id!));
    const page = valueOf(
      await platform.listEvents(params.id!, {
        limit: intParam(url, 'limit'),
        cursor: stringParam(url, 'cursor'),
        valid: boolParam(url, 'valid'),
        event: stringParam(url, 'event'),
        userId: stringParam(url, 'userId'),
        anonymousId: stringParam(url, 'anonymousId'),
        type: typeParam(url),
        from: dateParam(url, 'from'),
        to: dateParam(url, 'to'),
      }),
    );
    return json(200, { data: page.data.map(eventView), nextCursor: page.nextCursor });
  });
}

/** An event as the API shows it: Segment's field names. */
export function eventView(e: StoredEvent) {
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
