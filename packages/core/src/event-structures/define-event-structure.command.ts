import type { HandlerContext } from '../shared/context';
import { inTransaction } from '../shared/context';
import { InactiveError, InvalidInputError, NotFoundError, type TrackingError } from '../shared/errors';
import { isUuid } from '../shared/ids';
import { isStorableText } from '../shared/storable-json';
import { err, ok, type Result } from '../shared/result';
import { defineEventStructure as define, type EventStructure } from './event-structure';

/** The structure now in force and whether this call created it or added a version. */
export interface DefinedStructure {
  structure: EventStructure;
  created: boolean;
  changed: boolean;
}

/** Defines or versions the JSON Schema an event's properties must satisfy. */
export function defineEventStructure(
  ctx: HandlerContext,
  systemId: string,
  eventName: string,
  input: unknown,
): Promise<Result<DefinedStructure, TrackingError>> {
  return inTransaction<Result<DefinedStructure, TrackingError>>(ctx, async (tx) => {
    const system = isUuid(systemId) ? await tx.systems.findById(systemId) : null;
    if (!system) return { result: err(new NotFoundError('system', systemId)), events: [] };
    if (!system.active) return { result: err(new InactiveError('system', systemId)), events: [] };
    // The name goes to the database before the domain sees it, so text it cannot hold is refused here.
    if (!isStorableText(eventName)) {
      return { result: err(InvalidInputError.field('eventName', 'contains a NUL character or a lone UTF-16 surrogate')), events: [] };
    }
    const defined = define(systemId, eventName, await tx.eventStructures.findCurrent(systemId, eventName), input, ctx.now());
    if (!defined.ok) return { result: defined, events: [] };
    const { value: structure, created, changed, events } = defined.value;
    if (changed) await tx.eventStructures.insert(structure);
    return { result: ok({ structure, created, changed }), events };
  });
}
