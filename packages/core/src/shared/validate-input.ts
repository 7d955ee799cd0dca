import type { z } from 'zod';
import { InvalidInputError, type FieldIssue } from './errors';
import { err, ok, type Result } from './result';
import { findUnstorable } from './storable-json';

/** Parses untrusted input with a zod schema; every failure names its field. */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>, InvalidInputError> {
  const unstorable = findUnstorable(input);
  if (unstorable) return err(new InvalidInputError([unstorable]));
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues: FieldIssue[] = parsed.error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    // zod reports unknown keys at their parent's path; the field to name is each key itself.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'is not a known field' }));
    }
    return [{ field: at.join('.'), message: issue.message }];
  });
  return err(new InvalidInputError(issues));
}
