import type { Repositories, Storage } from '../storage/storage';
import { inSpan } from './tracing';

// Parts of a storage whose every method is a database round trip worth a span.
const tracedParts = ['partners', 'systems', 'keys', 'eventStructures', 'domainEvents', 'settings', 'events', 'analytics', 'projection'] as const;

/**
 * The same storage with a span around every call (`storage.events.append`, `storage.transaction`),
 * children of the command or query that made them. Only the platform's own calls go through it;
 * the projector keeps the bare storage, as its batches are not part of any request.
 */
export function tracedStorage(storage: Storage): Storage {
  const system = storage.kind === 'memory' ? 'memory' : 'postgresql';
  const traced: Storage = Object.create(storage) as Storage;
  for (const part of tracedParts) {
    Object.defineProperty(traced, part, { value: tracedObject(storage[part], `storage.${part}`, system), enumerable: true });
  }
  Object.defineProperty(traced, 'transaction', {
    value: <T>(fn: (tx: Repositories) => Promise<T>) =>
      inSpan('storage.transaction', { 'db.system': system }, () => storage.transaction((tx) => fn(tracedRepositories(tx, system)))),
  });
  return traced;
}

function tracedRepositories(tx: Repositories, system: string): Repositories {
  const out = {} as Record<string, unknown>;
  for (const [name, repository] of Object.entries(tx)) out[name] = tracedObject(repository as object, `storage.${name}`, system);
  return out as unknown as Repositories;
}

function tracedObject<T extends object>(target: T, prefix: string, system: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const operation = `${prefix}.${property}`;
      return (...args: unknown[]) =>
        inSpan(operation, { 'db.system': system, 'db.operation.name': property }, () => Promise.resolve(value.apply(object, args)));
    },
  });
}
