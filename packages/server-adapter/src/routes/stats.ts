import { lagSeconds, type Answer, type ProjectionStatus } from '@volcanion-tracking/core';
import type { z } from 'zod';
import { requireAdmin, requireSystemReader } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok, problems } from '../openapi/responses';
import { systemParams } from '../schemas/common-schemas';
import {
  breakdownQuery,
  breakdownSchema,
  funnelQuery,
  funnelSchema,
  projectionSchema,
  timeseriesQuery,
  timeseriesSchema,
  topEventsQuery,
  topEventsSchema,
  userParams,
  userProfileSchema,
  userQuery,
} from '../schemas/stats-schemas';
import { valueOf } from './route-helpers';

const tag = 'Analytics';
const reader = ['admin', 'secret-key'] as const;
const errors = problems(400, 401, 403, 404, 503);

/** Analytics from the read models: admin token or the system's secret key. */
export function registerStatsRoutes(router: Router, { platform, admin }: ResolvedOptions): void {
  router
    .on(
      'GET',
      '/api/systems/:id/stats/timeseries',
      {
        operationId: 'timeseries',
        summary: 'Events and unique users per hour or day',
        tag,
        auth: reader,
        params: systemParams,
        query: timeseriesQuery,
        responses: { 200: ok(timeseriesSchema, 'One bucket per hour or day of the range'), ...errors },
      },
      async ({ request, params, query }) => {
        await requireSystemReader(platform, admin, request, params.id);
        const answer = valueOf(await platform.timeseries(params.id, query()));
        return json(200, rangeAnswerView({ ...answer, data: answer.data.map((p) => ({ ...p, bucket: p.bucket.toISOString() })) }) satisfies z.output<typeof timeseriesSchema>);
      },
    )
    .on(
      'GET',
      '/api/systems/:id/stats/top-events',
      {
        operationId: 'topEvents',
        summary: 'The most frequent track events',
        tag,
        auth: reader,
        params: systemParams,
        query: topEventsQuery,
        responses: { 200: ok(topEventsSchema, 'Events by count, most first'), ...errors },
      },
      async ({ request, params, query }) => {
        await requireSystemReader(platform, admin, request, params.id);
        return json(200, rangeAnswerView(valueOf(await platform.topEvents(params.id, query()))) satisfies z.output<typeof topEventsSchema>);
      },
    )
    .on(
      'GET',
      '/api/systems/:id/stats/breakdown',
      {
        operationId: 'breakdown',
        summary: 'Counts of one event per value of one property',
        tag,
        auth: reader,
        params: systemParams,
        query: breakdownQuery,
        responses: { 200: ok(breakdownSchema, 'Values by count, most first'), ...errors },
      },
      async ({ request, params, query }) => {
        await requireSystemReader(platform, admin, request, params.id);
        return json(200, rangeAnswerView(valueOf(await platform.breakdown(params.id, query()))) satisfies z.output<typeof breakdownSchema>);
      },
    )
    .on(
      'GET',
      '/api/systems/:id/funnels',
      {
        operationId: 'funnel',
        summary: 'People through each step of a funnel',
        tag,
        auth: reader,
        params: systemParams,
        query: funnelQuery,
        responses: { 200: ok(funnelSchema, 'People reaching each step, in order'), ...errors },
      },
      async ({ request, params, query }) => {
        await requireSystemReader(platform, admin, request, params.id);
        return json(200, rangeAnswerView(valueOf(await platform.funnel(params.id, query()))) satisfies z.output<typeof funnelSchema>);
      },
    )
    .on(
      'GET',
      '/api/systems/:id/users/:userId',
      {
        operationId: 'userProfile',
        summary: "A person's profile and recent timeline",
        tag,
        auth: reader,
        params: userParams,
        query: userQuery,
        responses: { 200: ok(userProfileSchema, 'The profile'), ...errors },
      },
      async ({ request, params, query }) => {
        await requireSystemReader(platform, admin, request, params.id);
        const { data, projection } = valueOf(await platform.userProfile(params.id, params.userId, query()));
        return json(200, {
          ...data,
          firstSeen: data.firstSeen.toISOString(),
          lastSeen: data.lastSeen.toISOString(),
          timeline: data.timeline.map((e) => ({ ...e, timestamp: e.timestamp.toISOString() })),
          projection: projectionView(projection),
        } satisfies z.output<typeof userProfileSchema>);
      },
    )
    .on(
      'GET',
      '/api/projection',
      {
        operationId: 'projectionStatus',
        summary: 'How far the read models are behind',
        tag,
        auth: 'admin',
        responses: { 200: ok(projectionSchema, 'The projection'), ...problems(401, 403, 503) },
      },
      async ({ request }) => {
        await requireAdmin(platform, admin, request);
        return json(200, projectionView(await platform.projectionStatus()));
      },
    );
}

/** An answer over a time range as the API shows it: the data, the range used, and how current it is. */
function rangeAnswerView<T>(answer: Answer<T> & { from: Date; to: Date }) {
  return { data: answer.data, from: answer.from.toISOString(), to: answer.to.toISOString(), projection: projectionView(answer.projection) };
}

/** How current an answer is: `behindEvents` committed events are not in it yet. */
export function projectionView(status: ProjectionStatus): z.output<typeof projectionSchema> {
  return {
    projectedEvents: status.projectedEvents,
    behindEvents: status.behindEvents,
    projectedThrough: status.projectedThrough?.toISOString() ?? null,
    waitingSince: status.waitingSince?.toISOString() ?? null,
    lagSeconds: lagSeconds(status),
  };
}
