import { setUpAdminToken, type AdminToken } from './admin/admin-token';
import { breakdown, funnel, timeseries, topEvents, userProfile } from './analytics/analytics-queries';
import { MemoryAnswerCache, type AnswerCache, type InvalidationBus } from './analytics/answer-cache';
import { defineEventStructure, type DefinedStructure } from './event-structures/define-event-structure.command';
import type { EventStructure } from './event-structures/event-structure';
import { StructureValidators } from './event-structures/structure-validators';
import type { GroupCommitOptions } from './ingestion/group-commit-options';
import { GroupCommitter, type GroupCommitStats } from './ingestion/group-committer';
import { ingestEvents, type IngestOutcome, type IngestRequest } from './ingestion/ingest-events.command';
import { listEvents, type ListEventsInput } from './ingestion/list-events.query';
import type { StoredEvent } from './ingestion/tracking-event';
import type { ApiKey } from './keys/api-key';
import { authenticateKey, type KeyPrincipal } from './keys/authenticate-key.query';
import { CredentialCache } from './keys/credential-cache';
import { issueKey, revokeKey, rotateKey, type PlaintextKey } from './keys/key-commands';
import { addSystem, type AddedSystem } from './partners/add-system.command';
import { deactivateSystem, updateSystemSettings } from './partners/change-system.command';
import { createPartner } from './partners/create-partner.command';
import type { Partner } from './partners/partner';
import { getPartner, getSystem, listPartners, listSystems } from './partners/partner-queries';
import type { PartnerPolicy, PartnerSystem } from './partners/partner-system';
import { deactivatePartner, updatePartner } from './partners/update-partner.command';
import type { HandlerContext } from './shared/context';
import type { Page } from './shared/cursor';
import type { DomainEvent } from './shared/domain-event';
import { NotFoundError, TrackingError } from './shared/errors';
import { uuidv7 } from './shared/ids';
import { isStorableText } from './shared/storable-json';
import { err, ok, type Result } from './shared/result';
import type { Storage } from './storage/storage';
import { Telemetry, type TelemetryListener } from './observability/telemetry';
import { tracedOperations } from './observability/traced-operations';
import { tracedStorage } from './observability/traced-storage';

/** Options of {@link createPlatform}. */
export interface PlatformOptions {
  /** Where everything is stored. The platform does not migrate it; call `storage.migrate()` first. */
  storage: Storage;
  /** How many active systems one partner may have. Default 10. */
  maxSystemsPerPartner?: number;
  /** The current time. Default `() => new Date()`. */
  now?: () => Date;
  /**
   * How long a looked-up API key is reused without asking the database, in ms. A key revoked by
   * another process stops working here within this time. Default 1000; 0 disables the cache.
   */
  credentialCacheMs?: number;
  /** How concurrent ingestion requests share transactions. */
  groupCommit?: GroupCommitOptions;
  /** Where analytics answers are reused: in this process by default; pass a Redis cache to share it. */
  cache?: AnswerCache;
  /** How long an analytics answer is reused, at most, in seconds. Default 300. */
  answerTtlSeconds?: number;
  /**
   * Tells other processes at once about revoked keys and changed systems or event structures.
   * Without one they notice within `credentialCacheMs`.
   */
  bus?: InvalidationBus;
}

/**
 * Every command and query of Volcanion Tracking over one storage backend. Expected failures come
 * back as `Result` values; only faults of the infrastructure throw.
 *
 * ### Examples
 * ```ts
 * import { createPlatform } from '@volcanion-tracking/core';
 * import { createMemoryStorage } from '@volcanion-tracking/core/memory';
 *
 * const platform = createPlatform({ storage: createMemoryStorage() });
 * const partner = await platform.createPartner({ name: 'Acme', email: 'ops@acme.test' });
 * ```
 */
export function createPlatform(options: PlatformOptions) {
  const listeners = new Set<(event: DomainEvent) => void>();
  const telemetry = new Telemetry();
  const ctx: HandlerContext = {
    storage: tracedStorage(options.storage),
    now: options.now ?? (() => new Date()),
    newId: () => uuidv7(),
    policy: { maxSystemsPerPartner: options.maxSystemsPerPartner ?? 10 } satisfies PartnerPolicy,
    publish: (events) => events.forEach((event) => listeners.forEach((listener) => listener(event))),
    cache: options.cache ?? new MemoryAnswerCache(),
    answerTtlSeconds: options.answerTtlSeconds ?? 300,
    telemetry,
  };
  const validators = new StructureValidators(options.storage);
  const committer = new GroupCommitter(options.storage.events, {
    concurrency: options.storage.kind === 'postgres' ? 4 : 1,
    ...options.groupCommit,
    onCommit: (report) => telemetry.emit({ type: 'commit', ...report }),
  });
  let closing = false;
  const credentials = new CredentialCache(options.credentialCacheMs ?? 1000);
  const forget = (event: DomainEvent) => {
    if (event.type === 'EventStructureDefined') validators.invalidate(event.systemId);
    credentials.apply(event);
  };
  listeners.add((event) => {
    forget(event);
    if (options.bus && sharedEvents.has(event.type)) options.bus.publish(JSON.stringify(event));
  });
  options.bus?.subscribe((message) => {
    try {
      forget(JSON.parse(message) as DomainEvent);
    } catch {
      // Not one of ours; nothing to forget.
    }
  });

  return {
    storage: options.storage,
    /** Subscribes to domain events, delivered after their transaction commits. Returns an unsubscribe. */
    onDomainEvent(listener: (event: DomainEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Sets up the admin token (see {@link setUpAdminToken}). */
    setUpAdminToken: (configured?: string): Promise<AdminToken> => setUpAdminToken(ctx.storage.settings, configured),

    ...tracedOperations({
      createPartner: (input: unknown) => settle<Partner>(() => createPartner(ctx, input)),
      updatePartner: (id: string, input: unknown) => settle<Partner>(() => updatePartner(ctx, id, input)),
      deactivatePartner: (id: string) => settle<Partner>(() => deactivatePartner(ctx, id)),
      getPartner: (id: string) => settle<Partner>(() => getPartner(ctx, id)),
      listPartners: (input: { limit?: number; cursor?: string }) => settle<Page<Partner>>(() => listPartners(ctx, input)),

      addSystem: (partnerId: string, input: unknown) => settle<AddedSystem>(() => addSystem(ctx, partnerId, input)),
      getSystem: (id: string) => settle<PartnerSystem>(() => getSystem(ctx, id)),
      listSystems: (partnerId: string) => settle<PartnerSystem[]>(() => listSystems(ctx, partnerId)),
      updateSystemSettings: (id: string, input: unknown) => settle<PartnerSystem>(() => updateSystemSettings(ctx, id, input)),
      deactivateSystem: (id: string) => settle<PartnerSystem>(() => deactivateSystem(ctx, id)),

      issueKey: (systemId: string, input: unknown) => settle<PlaintextKey>(() => issueKey(ctx, systemId, input)),
      rotateKey: (systemId: string, keyId: string) => settle<PlaintextKey>(() => rotateKey(ctx, systemId, keyId)),
      revokeKey: (systemId: string, keyId: string) => settle<ApiKey>(() => revokeKey(ctx, systemId, keyId)),
      /** A system's keys without their secrets. */
      listKeys: (systemId: string) =>
        settle<ApiKey[]>(async () => {
          const system = await getSystem(ctx, systemId);
          return system.ok ? ok(await ctx.storage.keys.listBySystem(systemId)) : system;
        }),
      authenticateKey: (presented: string) => settle<KeyPrincipal>(() => authenticateKey(ctx, credentials, presented)),

      defineEventStructure: (systemId: string, eventName: string, input: unknown) =>
        settle<DefinedStructure>(() => defineEventStructure(ctx, systemId, eventName, input)),
      listEventStructures: (systemId: string) =>
        settle<EventStructure[]>(async () => {
          const system = await getSystem(ctx, systemId);
          return system.ok ? ok(await ctx.storage.eventStructures.listCurrent(systemId)) : system;
        }),
      getEventStructure: (systemId: string, eventName: string) =>
        settle<EventStructure>(async () => {
          const found = isStorableText(eventName) ? await ctx.storage.eventStructures.findCurrent(systemId, eventName) : null;
          return found ? ok(found) : err(new NotFoundError('event structure', eventName));
        }),

      /** Stores a request's events; see {@link ingestEvents}. Only a write or secret key may ingest. */
      ingest: (principal: KeyPrincipal, request: IngestRequest) =>
        settle<IngestOutcome>(() => ingestEvents(ctx, { validators, committer }, principal, request)),
      listEvents: (systemId: string, input: ListEventsInput) => settle<Page<StoredEvent>>(() => listEvents(ctx, systemId, input)),

      /** Events and unique people per hour or day, from the read models. */
      timeseries: (systemId: string, input: Parameters<typeof timeseries>[2]) => settle(() => timeseries(ctx, systemId, input)),
      /** The most frequent track events, from the read models. */
      topEvents: (systemId: string, input: Parameters<typeof topEvents>[2]) => settle(() => topEvents(ctx, systemId, input)),
      /** Counts of one event per value of one property, from the read models. */
      breakdown: (systemId: string, input: Parameters<typeof breakdown>[2]) => settle(() => breakdown(ctx, systemId, input)),
      /** People through each step of a funnel, from the read models. */
      funnel: (systemId: string, input: Parameters<typeof funnel>[2]) => settle(() => funnel(ctx, systemId, input)),
      /** A person's merged profile and timeline, from the read models. */
      userProfile: (systemId: string, userId: string, input: { limit?: number }) => settle(() => userProfile(ctx, systemId, userId, input)),
    }),
    /** Events waiting for a writer and transactions in flight. */
    ingestionStats: (): GroupCommitStats => committer.stats,
    /** How far the read models are behind the event log. */
    projectionStatus: () => ctx.storage.analytics.status(),
    /**
     * Receives counts and durations (events ingested, commits, cache hits) for metrics; never
     * payloads or keys. Returns an unsubscribe.
     */
    onTelemetry: (listener: TelemetryListener): (() => void) => telemetry.listen(listener),
    /** Whether the database answers and has every migration; throws when it cannot be reached. */
    health: () => ctx.storage.health(),
    /** True once {@link close} was called: readiness checks report the instance as going away. */
    get closing(): boolean {
      return closing;
    },

    /** Commits everything already accepted, then closes the storage. */
    async close() {
      closing = true;
      await committer.close();
      await ctx.storage.close();
    },
  };
}

// Changes that make other processes' caches stale.
const sharedEvents = new Set<DomainEvent['type']>(['KeyRevoked', 'SystemUpdated', 'SystemDeactivated', 'PartnerDeactivated', 'EventStructureDefined']);

/** The platform: every command and query, bound to one storage. */
export type Platform = ReturnType<typeof createPlatform>;

// Repositories signal conflicts, and the group committer unavailability, by throwing; callers get
// them as values like every other expected failure. Anything else is a fault and keeps propagating.
async function settle<T>(fn: () => Promise<Result<T, TrackingError>>): Promise<Result<T, TrackingError>> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TrackingError) return err(error);
    throw error;
  }
}
