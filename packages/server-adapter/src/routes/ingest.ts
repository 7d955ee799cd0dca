import { ForbiddenError, ingestLimits, InvalidInputError, type MessageType } from '@volcanion-tracking/core';
import { identify, presentedToken } from '../handler/auth';
import { allowOrigin } from '../handler/cors';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import { readJsonBody } from '../handler/read-body';
import type { RouteContext, Router } from '../handler/router';
import { valueOf } from './route-helpers';

/** Segment's routes and the one-letter ones analytics-next uses (`/v1/t` is track, `/v1/b` batch). */
const singleRoutes: Record<MessageType, string> = { track: 't', identify: 'i', page: 'p', screen: 's', group: 'g', alias: 'a' };

const batchRoutes = ['/v1/batch', '/v1/import', '/v1/b'];
const ingestRoutes = new Set([...Object.entries(singleRoutes).flatMap(([type, letter]) => [`/v1/${type}`, `/v1/${letter}`]), ...batchRoutes]);

/** True for the ingestion routes, which charge their rate limit by the events they carry. */
export function isIngestRoute(route: string): boolean {
  return ingestRoutes.has(route);
}

/** Segment's HTTP Tracking API: one route per message type, `/v1/batch` (`/v1/import`, `/v1/b`). */
export function registerIngestRoutes(router: Router, options: ResolvedOptions): void {
  for (const [type, letter] of Object.entries(singleRoutes) as [MessageType, string][]) {
    router.on('POST', `/v1/${type}`, (ctx) => ingest(ctx, options, type));
    router.on('POST', `/v1/${letter}`, (ctx) => ingest(ctx, options, type));
  }
  for (const path of batchRoutes) router.on('POST', path, (ctx) => ingest(ctx, options));
}

/**
 * Authenticates with the key (HTTP Basic username, Bearer, or `writeKey` in the body), charges the
 * write key's rate limit one token per event (so a batch of 100 costs what 100 single calls do;
 * at least one per request), stores the events and answers 200 only after they are committed. A
 * request over the limit is refused whole before anything is stored: never partly accepted.
 */
async function ingest({ request, rateLimit }: RouteContext, { platform, admin, maxIngestBodyBytes }: ResolvedOptions, type?: MessageType) {
  const body = await readJsonBody(request, { maxBytes: maxIngestBodyBytes, flavour: 'ingest' });
  if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
    throw InvalidInputError.field('', 'The body must be a JSON object');
  }
  const fields = body.value as Record<string, unknown>;
  const bodyKey = typeof fields.writeKey === 'string' ? fields.writeKey : null;
  const caller = await identify(platform, admin, presentedToken(request) ?? bodyKey);
  if (caller.kind !== 'key') throw new ForbiddenError('Ingestion needs a write key; the admin token cannot send events');
  const cors = allowOrigin(request, caller.principal.system);
  let messages: unknown[];
  if (type) {
    messages = [fields];
  } else {
    if (!Array.isArray(fields.batch)) throw InvalidInputError.field('batch', 'must be an array of messages');
    messages = fields.batch;
  }
  // A batch over the size limit is refused right after; it costs no more than the largest allowed.
  await rateLimit.chargeKey(caller.principal, Math.min(messages.length, ingestLimits.maxBatchSize));
  const outcome = valueOf(
    await platform.ingest(caller.principal, {
      messages,
      type,
      defaults: type ? undefined : { context: fields.context, integrations: fields.integrations, sentAt: fields.sentAt },
      bodyBytes: body.bytes,
      clientIp: request.clientIp ?? undefined,
    }),
  );
  return json(200, outcome.rejected.length > 0 ? { success: true, rejected: outcome.rejected } : { success: true }, cors);
}
