import { randomUUID } from 'node:crypto';
import type { FieldIssue } from '../shared/errors';
import { findUnstorable } from '../shared/storable-json';
import { messageTypes, type MessageType, type TrackingEvent } from './tracking-event';

/** Fields a batch's root lends to every message in it that lacks them. */
export interface BatchDefaults {
  context?: unknown;
  integrations?: unknown;
  sentAt?: unknown;
}

/** Segment caps messageId at 100 characters; so do we. */
export const MAX_MESSAGE_ID_LENGTH = 100;

type Normalized = { ok: true; event: TrackingEvent } | { ok: false; issues: FieldIssue[] };

/**
 * Turns one Segment message into a {@link TrackingEvent}, applying the spec's rules: an identity is
 * required, `event` on track, `groupId` on group, `previousId` and `userId` on alias; a missing
 * messageId is assigned; and the timestamp is corrected for clock skew:
 * `timestamp = receivedAt − (sentAt − originalTimestamp)`.
 * Issues name fields relative to the message.
 */
export function normalizeMessage(
  raw: unknown,
  options: { systemId: string; type?: MessageType; defaults?: BatchDefaults; receivedAt: Date },
): Normalized {
  if (!isObject(raw)) return { ok: false, issues: [{ field: '', message: 'must be a JSON object' }] };
  const issues: FieldIssue[] = [];
  // Checked first: it also bounds the nesting that later serialization would recurse through.
  const unstorable = findUnstorable(raw);
  if (unstorable) return { ok: false, issues: [unstorable] };
  const type = options.type ?? (raw.type as MessageType);
  if (!messageTypes.includes(type)) {
    issues.push({ field: 'type', message: `must be one of ${messageTypes.join(', ')}` });
  }
  const userId = identity(raw, 'userId', issues);
  const anonymousId = identity(raw, 'anonymousId', issues);
  if (userId === null && anonymousId === null && type !== 'alias') {
    issues.push({ field: 'userId', message: 'userId or anonymousId is required' });
  }
  const event = type === 'track' ? requiredString(raw, 'event', issues) : optionalString(raw, 'name', issues);
  const groupId = type === 'group' ? requiredId(raw, 'groupId', issues) : null;
  const previousId = type === 'alias' ? requiredId(raw, 'previousId', issues) : null;
  if (type === 'alias' && userId === null) issues.push({ field: 'userId', message: 'is required on alias' });
  const messageId = optionalString(raw, 'messageId', issues) ?? randomUUID();
  if (messageId.length > MAX_MESSAGE_ID_LENGTH) {
    issues.push({ field: 'messageId', message: `must be at most ${MAX_MESSAGE_ID_LENGTH} characters` });
  }
  const properties = optionalObject(raw, 'properties', issues);
  const traits = optionalObject(raw, 'traits', issues);
  const context = { ...objectOrEmpty(options.defaults?.context), ...optionalObject(raw, 'context', issues) };
  const integrations = { ...objectOrEmpty(options.defaults?.integrations), ...optionalObject(raw, 'integrations', issues) };
  const clientTimestamp = optionalDate(raw, 'timestamp', issues) ?? optionalDate(raw, 'originalTimestamp', issues);
  const sentAt = optionalDate(raw, 'sentAt', issues) ?? dateOrNull(options.defaults?.sentAt);
  if (issues.length > 0) return { ok: false, issues };

  const receivedAt = options.receivedAt;
  const timestamp =
    clientTimestamp && sentAt
      ? new Date(receivedAt.getTime() - (sentAt.getTime() - clientTimestamp.getTime()))
      : (clientTimestamp ?? receivedAt);
  return {
    ok: true,
    event: {
      systemId: options.systemId,
      messageId,
      type,
      event,
      userId,
      anonymousId,
      groupId,
      previousId,
      properties: properties ?? {},
      traits: traits ?? {},
      context,
      integrations,
      timestamp,
      originalTimestamp: clientTimestamp,
      sentAt,
      receivedAt,
      valid: true,
      validationErrors: [],
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Clients send ids as strings, and some send numbers; both are stored as text.
function identity(raw: Record<string, unknown>, field: string, issues: FieldIssue[]): string | null {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    issues.push({ field, message: 'must be a string' });
    return null;
  }
  if (value.length > 1000) issues.push({ field, message: 'must be at most 1000 characters' });
  return value;
}

function requiredId(raw: Record<string, unknown>, field: string, issues: FieldIssue[]): string | null {
  const value = identity(raw, field, issues);
  if (value === null && !issues.some((i) => i.field === field)) issues.push({ field, message: 'is required' });
  return value;
}

function requiredString(raw: Record<string, unknown>, field: string, issues: FieldIssue[]): string | null {
  const value = optionalString(raw, field, issues);
  if (value === null && !issues.some((i) => i.field === field)) issues.push({ field, message: 'is required' });
  return value;
}

function optionalString(raw: Record<string, unknown>, field: string, issues: FieldIssue[]): string | null {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') {
    issues.push({ field, message: 'must be a string' });
    return null;
  }
  return value;
}

function optionalObject(
  raw: Record<string, unknown>,
  field: string,
  issues: FieldIssue[],
): Record<string, unknown> | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    issues.push({ field, message: 'must be a JSON object' });
    return undefined;
  }
  return value;
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function optionalDate(raw: Record<string, unknown>, field: string, issues: FieldIssue[]): Date | null {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return null;
  const date = dateOrNull(value);
  if (!date) issues.push({ field, message: 'must be an ISO-8601 date-time' });
  return date;
}

// Segment's clients send ISO-8601; `new Date()` alone would also take "1" or "March 7".
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The date an ISO-8601 text names, or `null`. */
export function dateOrNull(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_8601.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
