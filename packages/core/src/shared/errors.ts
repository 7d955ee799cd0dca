/**
 * Every error the core returns or throws extends {@link TrackingError} and carries a literal `code`.
 * HTTP statuses are assigned in one table in server-adapter, never here.
 */
export type TrackingErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'limit_reached'
  | 'inactive'
  | 'storage_unavailable'
  | 'overloaded'
  | 'payload_too_large';

/** One problem with one input field, named by its dotted path (`email`, `batch.3.event`). */
export interface FieldIssue {
  /** Dotted path of the offending field; empty for the input as a whole. */
  field: string;
  /** Human-readable explanation of what is wrong with it. */
  message: string;
}

/** Base of every error in Volcanion Tracking. */
export class TrackingError extends Error {
  readonly code: TrackingErrorCode;
  /** Field-level details; present for `invalid_input`. */
  readonly issues: readonly FieldIssue[];

  constructor(code: TrackingErrorCode, message: string, options: { issues?: FieldIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** The input breaks a rule; `issues` names every offending field. */
export class InvalidInputError extends TrackingError {
  constructor(issues: FieldIssue[]) {
    super('invalid_input', issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '), {
      issues,
    });
  }

  /** Shorthand for a single offending field. */
  static field(field: string, message: string): InvalidInputError {
    return new InvalidInputError([{ field, message }]);
  }
}

/** The named resource does not exist, or the caller may not know that it exists. */
export class NotFoundError extends TrackingError {
  constructor(resource: string, id: string) {
    super('not_found', `${resource} ${JSON.stringify(id)} was not found`);
  }
}

/** The change would break a uniqueness rule (a duplicate name, say). */
export class ConflictError extends TrackingError {
  constructor(message: string, field?: string) {
    super('conflict', message, field ? { issues: [{ field, message }] } : {});
  }
}

/** The caller presented no credentials, or unknown, revoked or deactivated ones. */
export class UnauthorizedError extends TrackingError {
  constructor(message = 'Missing or invalid credentials') {
    super('unauthorized', message);
  }
}

/** The credentials are valid but do not allow this operation (a write key reading data, say). */
export class ForbiddenError extends TrackingError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A configured limit is reached (systems per partner, say). */
export class LimitReachedError extends TrackingError {
  constructor(message: string) {
    super('limit_reached', message);
  }
}

/** The target was deactivated and takes no further changes. */
export class InactiveError extends TrackingError {
  constructor(resource: string, id: string) {
    super('inactive', `${resource} ${JSON.stringify(id)} is deactivated`);
  }
}

/** The database could not commit; the caller should retry later. Nothing was acknowledged. */
export class StorageUnavailableError extends TrackingError {
  constructor(message: string, cause?: unknown) {
    super('storage_unavailable', message, { cause });
  }
}

/** Too much is queued already; the caller should retry after a short wait. Nothing was acknowledged. */
export class OverloadedError extends TrackingError {
  constructor(message: string) {
    super('overloaded', message);
  }
}

/** A message or request exceeds a size limit; `detail` names the limit. */
export class PayloadTooLargeError extends TrackingError {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}
