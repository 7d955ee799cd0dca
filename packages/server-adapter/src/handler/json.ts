import type { ApiResponse } from './api-message';

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An empty answer, such as 204. */
export function empty(status: number, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers, body: null };
}
