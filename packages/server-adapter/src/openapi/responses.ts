import type { z } from 'zod';
import { problemSchema } from '../schemas/problem-schema';
import type { ResponseSpec } from './route-spec';

/** A JSON answer with this schema. */
export function ok(schema: z.ZodType, description: string, headers?: Record<string, string>): ResponseSpec {
  return { description, schema, ...(headers ? { headers } : {}) };
}

const problemDescriptions: Record<number, string> = {
  400: 'The input breaks a rule; `errors` names each field.',
  401: 'No credentials, or unknown, revoked or deactivated ones.',
  403: 'The credentials are valid but may not do this.',
  404: 'No such resource, or the caller may not know it exists.',
  409: 'Conflicts with the current state: a duplicate name, an inactive resource or a limit reached.',
  413: 'The body is larger than the limit.',
  415: 'The Content-Type or Content-Encoding is not accepted.',
  500: 'A fault of ours; it has been logged.',
  503: 'The database is unavailable or the server is overloaded; retry after `Retry-After` seconds.',
};

/** The RFC 9457 problem answers for these statuses, each with its usual meaning. */
export function problems(...statuses: number[]): Record<number, ResponseSpec> {
  return Object.fromEntries(statuses.map((status) => [status, problem(problemDescriptions[status] ?? 'An error.')]));
}

/** One RFC 9457 `application/problem+json` answer. */
export function problem(description: string): ResponseSpec {
  return { description, schema: problemSchema, contentType: 'application/problem+json' };
}
