import { z } from 'zod';

const names = new WeakMap<z.ZodType, string>();

/**
 * Names a schema: the OpenAPI document lists it once under `#/components/schemas/<id>` and refers
 * to it there. Returns the same schema object, so a schema the core parses with can be named
 * without being copied.
 */
export function named<S extends z.ZodType>(schema: S, id: string): S {
  names.set(schema, id);
  return schema;
}

/**
 * The metadata `z.toJSONSchema` reads: descriptions from zod's global registry (`.describe()`,
 * `.meta()`) and the ids given by {@link named}. zod only calls `get` on it.
 */
export const schemaMetadata = {
  get(schema: z.core.$ZodType) {
    const meta = z.globalRegistry.get(schema);
    const id = names.get(schema as z.ZodType);
    return id === undefined ? meta : { ...meta, id };
  },
} as unknown as z.core.$ZodRegistry<z.core.GlobalMeta>;
