import type { PartnerSystem } from '../partners/partner-system';
import type { Storage } from '../storage/storage';
import { compileSchema, type SchemaViolation } from './compile-schema';

/** What validating one event's properties against its system's structures found. */
export type StructureVerdict =
  | { outcome: 'valid' }
  | { outcome: 'flag'; violations: SchemaViolation[] }
  | { outcome: 'reject'; violations: SchemaViolation[] };

interface SystemValidators {
  loadedAt: number;
  byEvent: Map<string, { required: boolean; validate: (properties: unknown) => SchemaViolation[] }>;
}

/**
 * Compiled validators per system, reloaded at most once per `ttlMs` and at once after a structure
 * changes in this process. Compiling once per structure version keeps validation off the hot path.
 */
export class StructureValidators {
  readonly #cache = new Map<string, SystemValidators>();
  // Keyed by system, event name and version: a reload compiles only versions it has not seen.
  readonly #compiled = new Map<string, ReturnType<typeof compileSchema>>();

  constructor(
    private readonly storage: Storage,
    private readonly ttlMs = 1000,
  ) {}

  /** Forgets a system's validators, after one of its structures changed. */
  invalidate(systemId: string): void {
    this.#cache.delete(systemId);
  }

  /** Decides on a track event by the system's structures and its settings. */
  async verdict(system: PartnerSystem, eventName: string, properties: unknown): Promise<StructureVerdict> {
    const validators = await this.#load(system.id);
    const structure = validators.byEvent.get(eventName);
    const { invalidEvents, unplannedEvents } = system.settings;
    if (!structure) {
      if (unplannedEvents === 'allow') return { outcome: 'valid' };
      const violations = [{ path: '/event', message: `no event structure is defined for ${JSON.stringify(eventName)}` }];
      return { outcome: unplannedEvents, violations };
    }
    const violations = structure.validate(properties);
    if (violations.length === 0) return { outcome: 'valid' };
    return { outcome: structure.required || invalidEvents === 'reject' ? 'reject' : 'flag', violations };
  }

  async #load(systemId: string): Promise<SystemValidators> {
    const cached = this.#cache.get(systemId);
    if (cached && Date.now() - cached.loadedAt < this.ttlMs) return cached;
    const byEvent: SystemValidators['byEvent'] = new Map();
    for (const structure of await this.storage.eventStructures.listCurrent(systemId)) {
      const id = `${systemId}\u0000${structure.eventName}\u0000${structure.version}`;
      let compiled = this.#compiled.get(id);
      if (!compiled) this.#compiled.set(id, (compiled = compileSchema(structure.schema)));
      // Every stored schema compiled when it was defined, so `ok` is false only if Ajv itself changed.
      if (compiled.ok) byEvent.set(structure.eventName, { required: structure.required, validate: compiled.validate });
    }
    const loaded = { loadedAt: Date.now(), byEvent };
    this.#cache.set(systemId, loaded);
    return loaded;
  }
}
