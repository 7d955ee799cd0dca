import { ForbiddenError, ingestLimits, InvalidInputError, type MessageType } from '@volcanion-tracking/core';
import type { z } from 'zod';
import { identify, presentedToken } from '../handler/auth';
import { allowOrigin } from '../handler/cors';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import { readJsonBody } from '../handler/read-body';
import type { RouteContext, Router } from '../handler/router';
import { ok, problems } from '../openapi/responses';
import type { RouteSpec } from '../openapi/route-spec';
import { batchSchema, ingestResultSchema, messageSchemas } from '../schemas/ingest-schemas';
import { valueOf } from './route-helpers';

/** Segment's routes and the one-letter ones analytics-next uses (`/v1/t` is track, `/v1/b` batch). */
const singleRoutes: Record<MessageType, string> = { track: 't', identify: 'i', page: 'p', screen: 's', group: 'g', alias: 'a' };

const batchRoutes = ['/v1/batch', '/v1/import', '/v1/b'];
const ingestRoutes = new Set([...Object.entries(singleRoutes).flatMap(([type, letter]) => [`/v1/${type}`, `/v1/${letter}`]), ...batchRoutes]);

/** True for the ingestion routes, which charge their rate limit by the events they carry. */
export function isIngestRoute(route: string): boolean {
  return ingestRoutes.has(route);
}

const summaries: Record<MessageType, string> = {
  track: 'Record an action the person took',
  identify: 'Say who the person is',
  page: 'Record a page view',
  screen: 'Record an app screen view',
  group: 'Put the person in a group',
  alias: 'Merge two ids of one person',
};

// Bodies that real clients send: browsers use text/plain (sendBeacon), rudder-sdk-node a form field.
const contentTypes = ['application/json', 'text/plain', 'application/x-www-form-urlencoded'];

/** What every ingestion route shares in its spec. */
function ingestSpec(operationId: string, summary: string, schema: z.ZodType, description: string): RouteSpec {
  return {
    operationId,
    summary,
    description: `${description} Answers 200 only once the accepted events are committed; a messageId the system has already is not stored again. Bodies may be gzip or deflate encoded and at most 500 KB.`,
    tag: 'Tracking API',
    auth: 'write-key',
    body: { schema, contentTypes },
    responses: { 200: ok(ingestResultSchema, 'Stored'), ...problems(400, 401, 403, 413, 415, 503) },
  };
}

/** Segment's HTTP Tracking API: one route per message type, `/v1/batch` (`/v1/import`, `/v1/b`). */
export function registerIngestRoutes(router: Router, options: ResolvedOptions): void {
  for (const [type, letter] of Object.entries(singleRoutes) as [MessageType, string][]) {
    const about = `Segment's \`${type}\` call.`;
    router.on('POST', `/v1/${type}`, ingestSpec(type, summaries[type], messageSchemas[type], about), (ctx) => ingest(ctx, options, type));
    router.on('POST', `/v1/${letter}`, ingestSpec(`${type}Short`, summaries[type], messageSchemas[type], `${about} The path analytics-next uses.`), (ctx) =>
      ingest(ctx, options, type),
    );
  }
  const batch = 'Many messages of any type; items that break the rules are named in `rejected` while their valid neighbours are stored, and when every item is refused the answer is 400.';
  router.on('POST', '/v1/batch', ingestSpec('batch', 'Send many messages at once', batchSchema, batch), (ctx) => ingest(ctx, options));
  router.on('POST', '/v1/import', ingestSpec('import', 'Send many messages at once (Segment\'s import)', batchSchema, batch), (ctx) => ingest(ctx, options));
  router.on('POST', '/v1/b', ingestSpec('batchShort', 'Send many messages at once', batchSchema, `${batch} The path analytics-next uses.`), (ctx) => ingest(ctx, options));
}

/**
 * Authenticates with the key (HTTP Basic username, Bearer, or `writeKey` in the body), charges the
 * write key's rate limit one token per event (so a batch of 100 costs what 100 single calls do;
 * at least one per request), stores the events and answers 200 only after they are committed. A
 * request over the limit is refused whole before anything is stored: never partly accepted.
 */
async function ingest({ request, rateLimit }: RouteContext<unknown, unknown>, { platform, admin, maxIngestBodyBytes }: ResolvedOptions, type?: MessageType) {
  const body = await readJsonBody(request, { maxBytes: maxIngestBodyBytes, flavour: 'ingest' });
  if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
    throw InvalidInputError.field('', 'The body must be a JSON object');
  }
  const fields = body.value as Record<string, unknown>;
  const bodyKey = typeof fields.writeKey === 'string' ? fields.writeKey : null;
  const caller = await identify(platform, admin, request, presentedToken(request) ?? bodyKey);
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
  await rateLimit.chargeIngest(caller.principal, Math.min(messages.length, ingestLimits.maxBatchSize));
  const outcome = valueOf(
    await platform.ingest(caller.principal, {
      messages,
      type,
      defaults: type ? undefined : { context: fields.context, integrations: fields.integrations, sentAt: fields.sentAt },
      bodyBytes: body.bytes,
      clientIp: request.clientIp ?? undefined,
    }),
  );
  const result: z.output<typeof ingestResultSchema> = outcome.rejected.length > 0 ? { success: true, rejected: outcome.rejected } : { success: true };
  return json(200, result, cors);
}
