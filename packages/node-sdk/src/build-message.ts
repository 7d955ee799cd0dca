import { randomUUID } from 'node:crypto';
import type { Message } from '@volcanion-tracking/core/protocol';
import { SDK_NAME, SDK_VERSION } from './version';

/** The message types, as in the `type` field. */
export type MessageType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

/** What {@link buildMessage} answers: the wire message, or the field that makes the call invalid. */
export type BuiltMessage =
  | { ok: true; message: Message; messageId: string }
  | { ok: false; message: Message; messageId: string; field: string; problem: string };

/** The server's (and Segment's) cap. */
const MAX_MESSAGE_ID_LENGTH = 100;

const LIBRARY = Object.freeze({ name: SDK_NAME, version: SDK_VERSION });
// Shared by every call without its own context: nothing to allocate on the common path.
const LIBRARY_CONTEXT = Object.freeze({ library: LIBRARY });

type Raw = Record<string, unknown>;

/**
 * Turns a call into its wire message, checking on this machine what the server would refuse anyway
 * (so the caller learns at once and by field): an identity, `event` on track, `groupId` on group,
 * `userId` and `previousId` on alias, objects where objects go, a readable timestamp, a messageId of
 * at most 100 characters. Never throws.
 */
export function buildMessage(type: MessageType, call: unknown): BuiltMessage {
  const raw: Raw = typeof call === 'object' && call !== null && !Array.isArray(call) ? (call as Raw) : {};
  const messageId = typeof raw.messageId === 'string' && raw.messageId !== '' ? raw.messageId : randomUUID();
  const message: Raw = { type };
  const fail = (field: string, problem: string): BuiltMessage => ({ ok: false, message: message as Message, messageId, field, problem });
  if (raw !== call) return fail('', 'the call must be an object');

  switch (type) {
    case 'track':
      if (typeof raw.event !== 'string' || raw.event === '') return fail('event', 'must be a non-empty string');
      message.event = raw.event;
      break;
    case 'page':
    case 'screen':
      if (raw.name !== undefined) {
        if (typeof raw.name !== 'string') return fail('name', 'must be a string');
        message.name = raw.name;
      }
      break;
    case 'group':
      if (!isId(raw.groupId)) return fail('groupId', 'is required (a non-empty string or a number)');
      message.groupId = raw.groupId;
      break;
    case 'alias':
      if (!isId(raw.previousId)) return fail('previousId', 'is required (a non-empty string or a number)');
      message.previousId = raw.previousId;
      break;
  }

  if (isId(raw.userId)) message.userId = raw.userId;
  else if (raw.userId !== undefined && raw.userId !== null) return fail('userId', 'must be a non-empty string or a number');
  if (isId(raw.anonymousId)) message.anonymousId = raw.anonymousId;
  else if (raw.anonymousId !== undefined && raw.anonymousId !== null) return fail('anonymousId', 'must be a non-empty string or a number');
  if (type === 'alias') {
    if (message.userId === undefined) return fail('userId', 'is required on alias');
  } else if (message.userId === undefined && message.anonymousId === undefined) {
    return fail('userId', 'userId or anonymousId is required');
  }

  if (type === 'identify' || type === 'group') {
    if (!isOptionalObject(raw.traits)) return fail('traits', 'must be an object');
    if (raw.traits !== undefined) message.traits = raw.traits;
  } else if (type !== 'alias') {
    if (!isOptionalObject(raw.properties)) return fail('properties', 'must be an object');
    if ((type === 'page' || type === 'screen') && raw.category !== undefined) {
      if (typeof raw.category !== 'string') return fail('category', 'must be a string');
      message.properties = { ...(raw.properties as Raw | undefined), category: raw.category };
    } else if (raw.properties !== undefined) {
      message.properties = raw.properties;
    }
  }

  if (!isOptionalObject(raw.context)) return fail('context', 'must be an object');
  // Your own `context.library` wins, so a wrapper SDK can name itself.
  message.context = raw.context === undefined ? LIBRARY_CONTEXT : { library: LIBRARY, ...(raw.context as Raw) };
  if (!isOptionalObject(raw.integrations)) return fail('integrations', 'must be an object');
  if (raw.integrations !== undefined) message.integrations = raw.integrations;

  const timestamp = toIsoDate(raw.timestamp);
  if (timestamp === null) return fail('timestamp', 'must be a valid Date, ISO-8601 string or epoch milliseconds');
  message.timestamp = timestamp;

  if (raw.messageId !== undefined && raw.messageId !== messageId) return fail('messageId', 'must be a non-empty string');
  if (messageId.length > MAX_MESSAGE_ID_LENGTH) return fail('messageId', `must be at most ${MAX_MESSAGE_ID_LENGTH} characters`);
  message.messageId = messageId;
  return { ok: true, message: message as Message, messageId };
}

function isId(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

function isOptionalObject(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

// The current time as ISO-8601, formatted once per millisecond: a burst of calls shares the string
// instead of formatting a Date each (a tenth of a call's CPU).
let lastNow = -1;
let lastNowIso = '';
function nowIso(): string {
  const now = Date.now();
  if (now !== lastNow) {
    lastNow = now;
    lastNowIso = new Date(now).toISOString();
  }
  return lastNowIso;
}

function toIsoDate(value: unknown): string | null {
  if (value === undefined || value === null) return nowIso();
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}
