import { z } from 'zod';
import type { Changed } from '../partners/partner';
import { InvalidInputError } from '../shared/errors';
import { err, ok, type Result } from '../shared/result';
import { isStorableText } from '../shared/storable-json';
import { validateInput } from '../shared/validate-input';
import { compileSchema } from './compile-schema';

/** JSON Schema (2020-12) of an event's `properties`, versioned per (system, event name). */
export interface EventStructure {
  systemId: string;
  eventName: string;
  version: number;
  schema: Record<string, unknown>;
  /**
   * A required structure is enforced strictly: an event that breaks it is rejected even when the
   * system's `invalidEvents` setting is `flag`.
   */
  required: boolean;
  createdAt: Date;
}

/** Input of {@link defineEventStructure}. */
export const defineEventStructureInput = z
  .object({
    schema: z.record(z.string(), z.unknown(), 'must be a JSON Schema object'),
    required: z.boolean().optional(),
  })
  .strict();
export type DefineEventStructureInput = z.input<typeof defineEventStructureInput>;

const eventName = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine(isStorableText, 'contains a NUL character or a lone UTF-16 surrogate, which cannot be stored');

/**
 * Defines the first version of an event structure or a new version of it. Defining the same
 * schema and flag again is a no-op, so a PUT can be retried safely.
 */
export function defineEventStructure(
  systemId: string,
  name: string,
  current: EventStructure | null,
  input: unknown,
  now: Date,
): Result<Changed<EventStructure> & { created: boolean; changed: boolean }, InvalidInputError> {
  const nameOk = eventName.safeParse(name);
  if (!nameOk.success) return err(InvalidInputError.field('eventName', nameOk.error.issues[0]!.message));
  const parsed = validateInput(defineEventStructureInput, input);
  if (!parsed.ok) return parsed;
  const compiled = compileSchema(parsed.value.schema);
  if (!compiled.ok) return err(InvalidInputError.field('schema', compiled.error));
  const required = parsed.value.required ?? current?.required ?? false;
  if (current && current.required === required && stableJson(current.schema) === stableJson(parsed.value.schema)) {
    return ok({ value: current, events: [], created: false, changed: false });
  }
  const structure: EventStructure = {
    systemId,
    eventName: name,
    version: (current?.version ?? 0) + 1,
    schema: parsed.value.schema,
    required,
    createdAt: now,
  };
  return ok({
    value: structure,
    events: [{ type: 'EventStructureDefined', systemId, eventName: name, version: structure.version, occurredAt: now }],
    created: current === null,
    changed: true,
  });
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
