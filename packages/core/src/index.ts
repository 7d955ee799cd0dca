/**
 * @module
 * Volcanion Tracking's framework-free core: the domain (partners, systems, API keys, event
 * structures, tracking events), the commands and queries over it, and the storage ports. Storage
 * backends live in subpaths: `@volcanion-tracking/core/memory`, `/pglite` and `/postgres`.
 */
export { createPlatform, type Platform, type PlatformOptions } from './create-platform';
export * from './shared/errors';
export { ok, err, type Result } from './shared/result';
export type { Page } from './shared/cursor';
export type { DomainEvent } from './shared/domain-event';
export { uuidv7, isUuid } from './shared/ids';
export { createPartnerInput, updatePartnerInput, type Partner, type CreatePartnerInput, type UpdatePartnerInput } from './partners/partner';
export {
  addSystemInput,
  updateSystemSettingsInput,
  defaultSystemSettings,
  type PartnerSystem,
  type SystemSettings,
  type AddSystemInput,
  type PartnerPolicy,
} from './partners/partner-system';
export type { AddedSystem } from './partners/add-system.command';
export type { PartnerRepository, SystemRepository } from './partners/partner-repository';
export { parseApiKey, type ApiKey, type KeyKind } from './keys/api-key';
export type { KeyPrincipal } from './keys/authenticate-key.query';
export { issueKeyInput, type IssueKeyInput, type PlaintextKey } from './keys/key-commands';
export type { KeyRepository, KeyCredential } from './keys/key-repository';
export { defineEventStructureInput, type EventStructure, type DefineEventStructureInput } from './event-structures/event-structure';
export type { DefinedStructure } from './event-structures/define-event-structure.command';
export type { EventStructureRepository } from './event-structures/event-structure-repository';
export type { SchemaViolation } from './event-structures/compile-schema';
export { messageTypes, type MessageType, type TrackingEvent, type StoredEvent } from './ingestion/tracking-event';
export { MAX_MESSAGE_ID_LENGTH, dateOrNull, type BatchDefaults } from './ingestion/normalize-message';
export { ingestLimits, type IngestRequest, type IngestOutcome, type RejectedMessage } from './ingestion/ingest-events.command';
export type { GroupCommitOptions } from './ingestion/group-commit-options';
export type { GroupCommitStats } from './ingestion/group-committer';
export type { ListEventsInput } from './ingestion/list-events.query';
export type { EventStore, ListEventsOptions, AppendResult } from './ingestion/event-store';
export type { AdminToken } from './admin/admin-token';
export type { SettingsRepository } from './admin/settings-repository';
export type { Storage, Repositories, DomainEventLog, StorageHealth, PoolStats } from './storage/storage';
export type { TelemetryEvent, TelemetryListener } from './observability/telemetry';
export { Projector, type ProjectorOptions } from './analytics/projector';
export type { Answer, RangeInput } from './analytics/analytics-queries';
export { lagSeconds } from './analytics/analytics-store';
export type {
  AnalyticsStore,
  ProjectionStore,
  ProjectionStatus,
  Interval,
  TimeseriesPoint,
  TimeseriesQuery,
  TopEventsQuery,
  BreakdownQuery,
  FunnelQuery,
  UserProfile,
} from './analytics/analytics-store';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './rate-limits/memory-rate-limiter';
export type { RateLimiter, RateLimitPolicy, RateLimitDecision } from './rate-limits/rate-limiter';
export { defaultSystemRateLimits, type SystemRateLimits } from './rate-limits/system-rate-limits';
export { MemoryAnswerCache, answerKey, type AnswerCache, type InvalidationBus } from './analytics/answer-cache';
