import { requireAdmin } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import type { Router } from '../handler/router';
import type { ServerMetrics } from '../observability/metrics';

/** `GET /metrics`: Prometheus' text format; behind the admin token when so configured. */
export function registerMetricsRoute(router: Router, options: ResolvedOptions, metrics: ServerMetrics, requireAdminToken: boolean): void {
  router.on('GET', '/metrics', async ({ request }) => {
    if (requireAdminToken) await requireAdmin(options.platform, options.admin, request);
    const { contentType, body } = await metrics.render();
    return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
  });
}
