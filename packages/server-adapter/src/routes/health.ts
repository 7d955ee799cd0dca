import type { z } from 'zod';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok } from '../openapi/responses';
import { livenessSchema, readinessSchema } from '../schemas/health-schemas';

/** Readiness settings of `createHandler` (`health`). */
export interface HealthOptions {
  /** More readiness checks by name (`redis`, say); a check fails by rejecting. */
  checks?: Record<string, () => Promise<unknown>>;
  /** True while the instance drains before shutdown, so load balancers stop sending it traffic. */
  shuttingDown?: () => boolean;
  /** Longest a check may take before it counts as down, in ms. Default 2000. */
  timeoutMs?: number;
}

interface CheckResult {
  status: 'up' | 'down';
  durationMs?: number;
  error?: string;
  pending?: string[];
}

/**
 * `GET /health/live`: the process answers. `GET /health/ready`: the database answers, every
 * migration is applied, each configured check (Redis) passes and the instance is not shutting
 * down; 503 otherwise. Both are public, as load balancers call them, and say nothing about tenants.
 */
export function registerHealthRoutes(router: Router, { platform, health, logger }: ResolvedOptions): void {
  const noStore = { 'cache-control': 'no-store' };
  const tag = 'Operations';
  router
    .on(
      'GET',
      '/health/live',
      { operationId: 'healthLive', summary: 'Liveness: the process answers', tag, auth: 'public', responses: { 200: ok(livenessSchema, 'Alive') } },
      async () => json(200, { status: 'alive' }, noStore),
    )
    .on(
      'GET',
      '/health/ready',
      {
        operationId: 'healthReady',
        summary: 'Readiness: the instance can serve',
        description: 'The database answers, every migration is applied, each configured check (Redis) passes and the instance is not shutting down.',
        tag,
        auth: 'public',
        responses: { 200: ok(readinessSchema, 'Ready'), 503: ok(readinessSchema, 'Not ready; `checks` says why') },
      },
      async () => {
        const timeoutMs = health.timeoutMs ?? 2000;
        const checks: Record<string, CheckResult> = {};
        const shuttingDown = platform.closing || (health.shuttingDown?.() ?? false);
        checks.shutdown = { status: shuttingDown ? 'down' : 'up' };
        const database = await timed(() => platform.health(), timeoutMs);
        checks.database = database.check;
        checks.migrations = database.value
          ? { status: database.value.pendingMigrations.length === 0 ? 'up' : 'down', pending: database.value.pendingMigrations }
          : { status: 'down', error: 'unknown: the database did not answer' };
        const extra = Object.entries(health.checks ?? {});
        const results = await Promise.all(extra.map(([, check]) => timed(check, timeoutMs)));
        extra.forEach(([name], i) => (checks[name] = results[i]!.check));
        for (const [name, check] of Object.entries(checks)) {
          if (check.status === 'down' && name !== 'shutdown') logger.warn({ check: name, error: check.error }, 'readiness check failed');
        }
        const ready = Object.values(checks).every((c) => c.status === 'up');
        const body: z.output<typeof readinessSchema> = { status: ready ? 'ready' : 'unavailable', checks };
        return json(ready ? 200 : 503, body, noStore);
      },
    );
}

// A check's outcome and duration. The error is summarised, not passed on: the route is public.
async function timed<T>(check: () => Promise<T>, timeoutMs: number): Promise<{ check: CheckResult; value?: T }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { check: { status: 'up', durationMs: Math.round(performance.now() - started) }, value };
  } catch (error) {
    const message = (error as Error).message ?? '';
    return {
      check: { status: 'down', durationMs: Math.round(performance.now() - started), error: message.startsWith('timed out') ? message : 'unreachable' },
    };
  } finally {
    clearTimeout(timer);
  }
}
