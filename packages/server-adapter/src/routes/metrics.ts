import { z } from 'zod';
import { requireAdmin } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import type { Router } from '../handler/router';
import { problems } from '../openapi/responses';
import type { ServerMetrics } from '../observability/metrics';

/** `GET /metrics`: Prometheus' text format; behind the admin token when so configured. */
export function registerMetricsRoute(router: Router, options: ResolvedOptions, metrics: ServerMetrics, requireAdminToken: boolean): void {
  router.on(
    'GET',
    '/metrics',
    {
      operationId: 'metrics',
      summary: "Metrics in Prometheus' text format",
      description: 'Requests by route and status, ingestion, the database pool, the projection and the process.',
      tag: 'Operations',
      auth: requireAdminToken ? 'admin' : 'public',
      responses: {
        200: { description: 'The metrics', schema: z.string(), contentType: 'text/plain; version=0.0.4' },
        ...(requireAdminToken ? problems(401, 403) : {}),
      },
    },
    async ({ request }) => {
      if (requireAdminToken) await requireAdmin(options.platform, options.admin, request);
      const { contentType, body } = await metrics.render();
      return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
    },
  );
}
