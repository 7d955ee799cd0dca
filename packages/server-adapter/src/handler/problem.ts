import type { FieldIssue, TrackingError, TrackingErrorCode } from '@volcanion-tracking/core';
import type { ApiResponse } from './api-message';

/** The one place that maps the core's error codes to HTTP statuses. */
export const statusOfCode: Record<TrackingErrorCode | HttpOnlyCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  limit_reached: 409,
  inactive: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  storage_unavailable: 503,
  overloaded: 503,
};

/** Codes only the HTTP layer raises. */
export type HttpOnlyCode = 'method_not_allowed' | 'unsupported_media_type' | 'rate_limited' | 'internal_error';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An RFC 9457 problem document; `code`, `errors` and any `members` are our extension members. */
export interface Problem {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
  code: TrackingErrorCode | HttpOnlyCode;
  errors?: { field: string; pointer: string; message: string }[];
}

/** An `application/problem+json` response. */
export function problemResponse(
  code: TrackingErrorCode | HttpOnlyCode,
  detail: string,
  options: { issues?: readonly FieldIssue[]; headers?: Record<string, string>; members?: Record<string, unknown> } = {},
): ApiResponse {
  const status = statusOfCode[code];
  const body: Problem = { type: 'about:blank', title: titles[status] ?? 'Error', status, detail, code, ...options.members };
  if (options.issues?.length) {
    body.errors = options.issues.map((i) => ({
      field: i.field,
      pointer: i.field ? `/${i.field.split('.').join('/')}` : '',
      message: i.message,
    }));
  }
  return { status, headers: { 'content-type': 'application/problem+json', ...options.headers }, body: JSON.stringify(body) };
}

/** The problem response for an error the core returned or threw. */
export function errorResponse(error: TrackingError): ApiResponse {
  const headers: Record<string, string> =
    error.code === 'unauthorized' ? { 'www-authenticate': 'Bearer, Basic realm="volcanion-tracking"' } : {};
  if (error.code === 'storage_unavailable' || error.code === 'overloaded') headers['retry-after'] = '1';
  return problemResponse(error.code, error.message, { issues: error.issues, headers });
}

/** Thrown inside the HTTP layer to answer with a problem; caught by the handler. */
export class HttpProblem extends Error {
  constructor(
    readonly code: TrackingErrorCode | HttpOnlyCode,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }

  toResponse(): ApiResponse {
    return problemResponse(this.code, this.message, { issues: this.issues });
  }
}
