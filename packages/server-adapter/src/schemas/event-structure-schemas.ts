import { defineEventStructureInput } from '@volcanion-tracking/core';
import { z } from 'zod';
import { named } from '../openapi/component-name';
import { instant, listOf } from './common-schemas';

named(defineEventStructureInput, 'DefineEventStructureInput');

/** `{id}/{eventName}` of an event structure's path. */
export const structureParams = z.object({
  id: z.string().describe("The system's id (UUIDv7)"),
  eventName: z.string().describe('The track event name, 1 to 200 characters'),
});

/** A version of an event structure. */
export const eventStructureSchema = named(
  z.object({
    eventName: z.string(),
    version: z.number().int().describe('1 for the first definition, one more for each change'),
    schema: z.record(z.string(), z.unknown()).describe("JSON Schema (2020-12) of the event's `properties`"),
    required: z.boolean().describe('Enforced strictly: an event breaking it is refused even when `invalidEvents` is `flag`'),
    createdAt: instant,
  }),
  'EventStructure',
);

/** The answer of defining a structure: the current version and whether this request changed it. */
export const definedStructureSchema = named(
  eventStructureSchema.extend({ changed: z.boolean().describe('False when the same schema and flag were defined already') }),
  'DefinedEventStructure',
);

/** The newest version of each of a system's structures. */
export const eventStructureListSchema = named(listOf(eventStructureSchema), 'EventStructureList');

export { defineEventStructureInput };
