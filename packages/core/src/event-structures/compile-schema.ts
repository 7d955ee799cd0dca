import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';

/** One way an event's properties break its structure, located by JSON Pointer. */
export interface SchemaViolation {
  /** JSON Pointer into the event, e.g. `/properties/price`. */
  path: string;
  message: string;
}


/** A compiled validator for an event's `properties`, or a message saying why the schema is not valid. */
export function compileSchema(
  schema: Record<string, unknown>,
): { ok: true; validate: (properties: unknown) => SchemaViolation[] } | { ok: false; error: string } {
  let fn: ValidateFunction;
  try {
    // An Ajv per schema: users' schemas may reuse an `$id`, which one shared instance refuses.
    // Compiling is rare (once per structure version); validating with the result is cheap.
    fn = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  } catch (error) {
    return { ok: false, error: `is not a valid JSON Schema: ${(error as Error).message}` };
  }
  return {
    ok: true,
    validate(properties) {
      if (fn(properties)) return [];
      return (fn.errors ?? []).map((e) => ({
        path: `/properties${e.instancePath}`,
        message: e.message ?? 'is invalid',
      }));
    },
  };
}
