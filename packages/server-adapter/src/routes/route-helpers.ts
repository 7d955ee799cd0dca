import type { Result, TrackingError } from '@volcanion-tracking/core';
import { readJsonBody } from '../handler/read-body';
import type { ApiRequest } from '../handler/api-message';

/** The success value, or the expected failure thrown for the handler to render as a problem. */
export function valueOf<T>(result: Result<T, TrackingError>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

/** A management route's JSON body: `application/json` only, at most `maxBytes`. */
export async function managementBody(request: ApiRequest, maxBytes: number): Promise<unknown> {
  return (await readJsonBody(request, { maxBytes, flavour: 'strict' })).value;
}
