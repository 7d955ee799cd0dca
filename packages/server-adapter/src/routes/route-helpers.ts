import { dateOrNull, InvalidInputError, messageTypes, type MessageType, type Result, type TrackingError } from '@volcanion-tracking/core';
import { readJsonBody } from '../handler/read-body';
import type { ApiRequest } from '../handler/api-message';

/** The success value, or the expected failure thrown for the handler to render as a problem. */
export function valueOf<T>(result: Result<T, TrackingError>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

/** An optional integer query parameter; anything else is a 400 naming it. */
export function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw InvalidInputError.field(name, 'must be an integer');
  return Number(raw);
}

/** An optional `true`/`false` query parameter. */
export function boolParam(url: URL, name: string): boolean | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw !== 'true' && raw !== 'false') throw InvalidInputError.field(name, 'must be true or false');
  return raw === 'true';
}

/** An optional string query parameter. */
export function stringParam(url: URL, name: string): string | undefined {
  const raw = url.searchParams.get(name);
  return raw === null || raw === '' ? undefined : raw;
}

/** A management route's JSON body: `application/json` only, at most `maxBytes`. */
export async function managementBody(request: ApiRequest, maxBytes: number): Promise<unknown> {
  return (await readJsonBody(request, { maxBytes, flavour: 'strict' })).value;
}

/** An optional ISO-8601 instant query parameter. */
export function dateParam(url: URL, name: string): Date | undefined {
  const raw = stringParam(url, name);
  if (raw === undefined) return undefined;
  const date = dateOrNull(raw);
  if (!date) throw InvalidInputError.field(name, 'must be an ISO-8601 date-time');
  return date;
}

/** An optional message type query parameter. */
export function typeParam(url: URL): MessageType | undefined {
  const raw = stringParam(url, 'type');
  if (raw === undefined) return undefined;
  if (!messageTypes.includes(raw as MessageType)) throw InvalidInputError.field('type', `must be one of ${messageTypes.join(', ')}`);
  return raw as MessageType;
}
