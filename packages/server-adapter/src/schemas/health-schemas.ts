import { z } from 'zod';
import { named } from '../openapi/component-name';

/** `GET /health/live`. */
export const livenessSchema = named(z.object({ status: z.literal('alive') }), 'Liveness');

/** `GET /health/ready`: every check by name (`shutdown`, `database`, `migrations`, configured ones). */
export const readinessSchema = named(
  z.object({
    status: z.enum(['ready', 'degraded', 'unavailable']).describe('`degraded`: ready, but an optional check (Redis) failed'),
    checks: z.record(
      z.string(),
      z.object({
        status: z.enum(['up', 'down']),
        durationMs: z.number().optional(),
        error: z.string().optional().describe('A summary: `unreachable` or a timeout'),
        pending: z.array(z.string()).optional().describe('Migrations not applied yet'),
      }),
    ),
  }),
  'Readiness',
);
