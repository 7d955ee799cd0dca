import type { z } from 'zod';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok } from '../openapi/responses';
import { livenessSchema, readinessSchema } from '../schemas/health-schemas';

/** Readiness settings of `createHandler` (`health`). */
export interface HealthOptions {
  /** More readiness checks by name; a check fails by rejecting, and the instance is then not ready. */
  checks?: Record<string, () => Promise<unknown>>;
  /**
   * Checks of dependencies the API works without (the Redis cache, say): a failure is reported, with
   * `status: "degraded"`, but the instance stays ready. Otherwise an outage of a dependency every
   * instance shares would take all of them out of the load balancer at once.
   */
  optionalChecks?: Record<string, () => Promise<unknown>>;
  /** True while the instance drains before shutdown, so load balancers stop sending it traffic. */
  shuttingDown?: () => boolean;
  /** Longest a check may take before it counts as down, in ms. Default 2000. */
  timeoutMs?: number;
}

// Names the readiness answer always reports; an app's check under one of them would hide it.
const BUILT_IN_CHECKS = ['shutdown', 'database', 'migrations'];

/**
 * The readiness settings, or a `TypeError` naming the check that is both required and optional or
 * that shadows a built-in one: either would silently change whether the instance reports ready.
 */
export function validHealthOptions(health: HealthOptions = {}): HealthOptions {
  const seen = new Set(BUILT_IN_CHECKS);
  for (const name of [...Object.keys(health.checks ?? {}), ...Object.keys(health.optionalChecks ?? {})]) {
    if (seen.has(name)) {
      const why = BUILT_IN_CHECKS.includes(name) ? 'is a built-in readiness check' : 'is named in both health.checks and health.optionalChecks';
      throw new TypeError(`createHandler: readiness check "${name}" ${why}; give it another name`);
    }
    seen.add(name);
  }
  return health;
}

interface CheckResult {
  status: 'up' | 'down';
  durationMs?: number;
  error?: string;
  pending?: string[];
}

/**
 * `GET /health/live`: the process answers. `GET /health/ready`: the database answers, every
 * migration is applied, each required check passes and the instance is not shutting down; 503
 * otherwise. A failed optional check (Redis) answers 200 `degraded`. Both are public, as load
 * balancers call them, and say nothing about tenants.
 */
export function registerHealthRoutes(router: Router, { platform, health }: ResolvedOptions): void {
  const noStore = { 'cache-control': 'no-store' };
  const timeoutMs = health.timeoutMs ?? 2000;
  const optional = new Set(Object.keys(health.optionalChecks ?? {}));
  let readiness: Promise<{ checks: Record<string, CheckResult>; failures: { name: string; cause: unknown }[] }> | null = null;

  async function checkReadiness() {
    const checks: Record<string, CheckResult> = {};
    const failures: { name: string; cause: unknown }[] = [];
    const shuttingDown = platform.closing || (health.shuttingDown?.() ?? false);
    checks.shutdown = { status: shuttingDown ? 'down' : 'up' };
    const database = await timed(() => platform.health(), timeoutMs);
    checks.database = database.check;
    if (database.cause !== undefined) failures.push({ name: 'database', cause: database.cause });
    checks.migrations = database.value
      ? { status: database.value.pendingMigrations.length === 0 ? 'up' : 'down', pending: database.value.pendingMigrations }
      : { status: 'down', error: 'unknown: the database did not answer' };
    if (database.value && database.value.pendingMigrations.length > 0) {
      failures.push({ name: 'migrations', cause: new Error(`pending: ${database.value.pendingMigrations.join(', ')}`) });
    }
    const extra = Object.entries({ ...health.checks, ...health.optionalChecks });
    const results = await Promise.all(extra.map(([, check]) => timed(check, timeoutMs)));
    extra.forEach(([name], i) => {
      checks[name] = results[i]!.check;
      if (results[i]!.cause !== undefined) failures.push({ name, cause: results[i]!.cause });
    });
    return { checks, failures };
  }

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
        description:
          'The database answers, every migration is applied, each required check passes and the instance is not shutting down. ' +
          'A failed optional check (Redis) answers 200 with status `degraded`: the API works without it.',
        tag,
        auth: 'public',
        responses: { 200: ok(readinessSchema, 'Ready'), 503: ok(readinessSchema, 'Not ready; `checks` says why') },
      },
      async ({ log }) => {
        // One check at a time, shared by every probe that arrives meanwhile: a flood of public
        // probes costs one database round trip at a time, never the whole pool.
        const { checks, failures } = await (readiness ??= checkReadiness().finally(() => (readiness = null)));
        for (const { name, cause } of failures) log.warn({ check: name, err: cause }, 'readiness check failed');
        const down = Object.keys(checks).filter((name) => checks[name]!.status === 'down');
        const ready = down.every((name) => optional.has(name));
        const status = !ready ? 'unavailable' : down.length > 0 ? 'degraded' : 'ready';
        const body: z.output<typeof readinessSchema> = { status, checks };
        return json(ready ? 200 : 503, body, noStore);
      },
    );
}

// A check's outcome and duration. The public answer summarises the error; its cause is for the log.
async function timed<T>(check: () => Promise<T>, timeoutMs: number): Promise<{ check: CheckResult; value?: T; cause?: unknown }> {
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
      cause: error,
    };
  } finally {
    clearTimeout(timer);
  }
}
