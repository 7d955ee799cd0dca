import type { z } from 'zod';
import { InvalidInputError, type FieldIssue } from './errors';
import { err, ok, type Result } from './result';

/** Parses untrusted input with a zod schema; every failure names its field. */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>, InvalidInputError> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return err(new InvalidInputError(issues));
}
