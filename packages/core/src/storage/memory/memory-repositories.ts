import type { Repositories } from '../storage';
import { ConflictError } from '../../shared/errors';
import type { MemoryState } from './memory-state';

const structureKey = (systemId: string, eventName: string) => `${systemId}\u0000${eventName}`;

/** Repositories over in-process maps, keeping the same uniqueness rules as the SQL schema. */
export function memoryRepositories(state: MemoryState): Repositories {
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    partners: {
      async insert(partner) {
        assertUniquePartnerName(state, partner.id, partner.name);
        state.partners.set(partner.id, clone(partner));
      },
      async update(partner) {
        assertUniquePartnerName(state, partner.id, partner.name);
        state.partners.set(partner.id, clone(partner));
      },
      async findById(id) {
        const partner = state.partners.get(id);
        return partner ? clone(partner) : null;
      },
      async list({ limit, afterId }) {
        return [...state.partners.values()]
          .filter((p) => afterId === undefined || p.id > afterId)
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .slice(0, limit)
          .map(clone);
      },
    },
    systems: {
      async insert(system) {
        assertUniqueSystemName(state, system.id, system.partnerId, system.name);
        state.systems.set(system.id, clone(system));
      },
      async update(system) {
        assertUniqueSystemName(state, system.id, system.partnerId, system.name);
        state.systems.set(system.id, clone(system));
      },
      async findById(id) {
        const system = state.systems.get(id);
        return system ? clone(system) : null;
      },
      async listByPartner(partnerId) {
        return [...state.systems.values()]
          .filter((s) => s.partnerId === partnerId)
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map(clone);
      },
    },
    keys: {
      async insert(key) {
        state.keys.set(key.id, clone(key));
      },
      async update(key) {
        state.keys.set(key.id, clone(key));
      },
      async findById(id) {
        const key = state.keys.get(id);
        return key ? clone(key) : null;
      },
      async listBySystem(systemId) {
        return [...state.keys.values()].filter((k) => k.systemId === systemId).map(clone);
      },
      async findCredential(id) {
        const key = state.keys.get(id);
        const system = key && state.systems.get(key.systemId);
        const partner = system && state.partners.get(system.partnerId);
        if (!key || !system || !partner) return null;
        return { key: clone(key), system: clone(system), partnerActive: partner.active };
      },
    },
    eventStructures: {
      async insert(structure) {
        const versions = state.structures.get(structureKey(structure.systemId, structure.eventName)) ?? [];
        if (versions.some((v) => v.version === structure.version)) {
          throw new ConflictError('this version was defined concurrently; retry', 'version');
        }
        state.structures.set(structureKey(structure.systemId, structure.eventName), [...versions, clone(structure)]);
      },
      async findCurrent(systemId, eventName) {
        const versions = state.structures.get(structureKey(systemId, eventName));
        return versions?.length ? clone(versions[versions.length - 1]!) : null;
      },
      async listCurrent(systemId) {
        return [...state.structures.values()]
          .filter((versions) => versions[0]?.systemId === systemId)
          .map((versions) => clone(versions[versions.length - 1]!))
          .sort((a, b) => (a.eventName < b.eventName ? -1 : 1));
      },
    },
    domainEvents: {
      async append(events) {
        state.domainEvents.push(...events.map(clone));
      },
      async recent(limit) {
        return state.domainEvents.slice(-limit).reverse().map(clone);
      },
    },
    settings: {
      async get(name) {
        return state.settings.get(name) ?? null;
      },
      async putIfAbsent(name, value) {
        if (state.settings.has(name)) return false;
        state.settings.set(name, value);
        return true;
      },
    },
  };
}

function assertUniquePartnerName(state: MemoryState, id: string, name: string): void {
  const lower = name.toLowerCase();
  for (const p of state.partners.values()) {
    if (p.id !== id && p.name.toLowerCase() === lower) throw new ConflictError('a partner with this name exists already', 'name');
  }
}

function assertUniqueSystemName(state: MemoryState, id: string, partnerId: string, name: string): void {
  const lower = name.toLowerCase();
  for (const s of state.systems.values()) {
    if (s.id !== id && s.partnerId === partnerId && s.name.toLowerCase() === lower) {
      throw new ConflictError('this partner has a system with this name already', 'name');
    }
  }
}
