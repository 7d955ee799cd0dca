import { lagSeconds, type Answer, type ProjectionStatus } from '@volcanion-tracking/core';
import { requireAdmin, requireSystemReader } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { dateParam, intParam, stringParam, valueOf } from './route-helpers';

/** Analytics from the read models: admin token or the system's secret key. */
export function registerStatsRoutes(router: Router, { platform, admin }: ResolvedOptions): void {
  router
    .on('GET', '/api/systems/:id/stats/timeseries', async ({ request, url, params }) => {
      await requireSystemReader(platform, admin, request, params.id!);
      const answer = valueOf(
        await platform.timeseries(params.id!, {
          from: dateParam(url, 'from'),
          to: dateParam(url, 'to'),
          interval: stringParam(url, 'interval'),
          tz: stringParam(url, 'tz'),
          event: stringParam(url, 'event'),
        }),
      );
      return json(200, rangeAnswerView({ ...answer, data: answer.data.map((p) => ({ ...p, bucket: p.bucket.toISOString() })) }));
    })
    .on('GET', '/api/systems/:id/stats/top-events', async ({ request, url, params }) => {
      await requireSystemReader(platform, admin, request, params.id!);
      const answer = valueOf(await platform.topEvents(params.id!, { from: dateParam(url, 'from'), to: dateParam(url, 'to'), limit: intParam(url, 'limit') }));
      return json(200, rangeAnswerView(answer));
    })
    .on('GET', '/api/systems/:id/stats/breakdown', async ({ request, url, params }) => {
      await requireSystemReader(platform, admin, request, params.id!);
      const answer = valueOf(
        await platform.breakdown(params.id!, {
          event: stringParam(url, 'event'),
          property: stringParam(url, 'property'),
          from: dateParam(url, 'from'),
          to: dateParam(url, 'to'),
          limit: intParam(url, 'limit'),
        }),
      );
      return json(200, rangeAnswerView(answer));
    })
    .on('GET', '/api/systems/:id/funnels', async ({ request, url, params }) => {
      await requireSystemReader(platform, admin, request, params.id!);
      const answer = valueOf(
        await platform.funnel(params.id!, { steps: stringParam(url, 'steps'), within: stringParam(url, 'within'), from: dateParam(url, 'from'), to: dateParam(url, 'to') }),
      );
      return json(200, rangeAnswerView(answer));
    })
    .on('GET', '/api/systems/:id/users/:userId', async ({ request, url, params }) => {
      await requireSystemReader(platform, admin, request, params.id!);
      const { data, projection } = valueOf(await platform.userProfile(params.id!, params.userId!, { limit: intParam(url, 'limit') }));
      return json(200, {
        ...data,
        firstSeen: data.firstSeen.toISOString(),
        lastSeen: data.lastSeen.toISOString(),
        timeline: data.timeline.map((e) => ({ ...e, timestamp: e.timestamp.toISOString() })),
        projection: projectionView(projection),
      });
    })
    .on('GET', '/api/projection', async ({ request }) => {
      await requireAdmin(platform, admin, request);
      return json(200, projectionView(await platform.projectionStatus()));
    });
}

/** An answer over a time range as the API shows it: the data, the range used, and how current it is. */
function rangeAnswerView<T>(answer: Answer<T> & { from: Date; to: Date }) {
  return { data: answer.data, from: answer.from.toISOString(), to: answer.to.toISOString(), projection: projectionView(answer.projection) };
}

/** How current an answer is: `behindEvents` committed events are not in it yet. */
export function projectionView(status: ProjectionStatus) {
  return {
    projectedEvents: status.projectedEvents,
    behindEvents: status.behindEvents,
    projectedThrough: status.projectedThrough?.toISOString() ?? null,
    lagSeconds: lagSeconds(status),
  };
}
