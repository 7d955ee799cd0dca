import { ForbiddenError, InvalidInputError, type MessageType } from '@volcanion-tracking/core';
import { identify, presentedToken } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import { readJsonBody } from '../handler/read-body';
import type { RouteContext, Router } from '../handler/router';
import { valueOf } from './route-helpers';

const singleRoutes: MessageType[] = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

/** Segment's HTTP Tracking API: one route per message type, and `/v1/batch` (alias `/v1/import`). */
export function registerIngestRoutes(router: Router, options: ResolvedOptions): void {
  for (const type of singleRoutes) router.on('POST', `/v1/${type}`, (ctx) => ingest(ctx, options, type));
  router.on('POST', '/v1/batch', (ctx) => ingest(ctx, options));
  router.on('POST', '/v1/import', (ctx) => ingest(ctx, options));
}

/**
 * Authenticates with the write key (HTTP Basic username, Bearer, or `writeKey` in the body), stores
 * the events and answers 200 only after they are committed.
 */
async function ingest({ request }: RouteContext, { platform, admin, maxIngestBodyBytes }: ResolvedOptions, type?: MessageType) {
  const body = await readJsonBody(request, maxIngestBodyBytes, 'lenient');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw InvalidInputError.field('', 'The body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const bodyKey = typeof fields.writeKey === 'string' ? fields.writeKey : null;
  const caller = await identify(platform, admin, presentedToken(request) ?? bodyKey);
  if (caller.kind !== 'key') throw new ForbiddenError('Ingestion needs a write key; the admin token cannot send events');
  let messages: unknown[];
  if (type) {
    messages = [fields];
  } else {
    if (!Array.isArray(fields.batch)) throw InvalidInputError.field('batch', 'must be an array of messages');
    messages = fields.batch;
  }
  const outcome = valueOf(
    await platform.ingest(caller.principal, {
      messages,
      type,
      defaults: type ? undefined : { context: fields.context, integrations: fields.integrations, sentAt: fields.sentAt },
    }),
  );
  return json(200, outcome.rejected.length > 0 ? { success: true, rejected: outcome.rejected } : { success: true });
}
