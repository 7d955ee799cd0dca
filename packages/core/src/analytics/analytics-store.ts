/** Bucket size of a time series. */
export type Interval = 'hour' | 'day';

/** A time series of one system's events. */
export interface TimeseriesQuery {
  systemId: string;
  /** Inclusive; whole hours. */
  from: Date;
  /** Exclusive; whole hours. */
  to: Date;
  interval: Interval;
  /** IANA time zone buckets are cut in, e.g. `Europe/Berlin`. */
  tz: string;
  /** Only events of this name; all events when absent. */
  event?: string;
}

/** One bucket: events and distinct people (anonymous and identified ids merged by identify/alias). */
export interface TimeseriesPoint {
  bucket: Date;
  count: number;
  uniqueUsers: number;
}

/** The most frequent track events in a range. */
export interface TopEventsQuery {
  systemId: string;
  from: Date;
  to: Date;
  limit: number;
}

/** Counts of one event per value of one of its properties. */
export interface BreakdownQuery {
  systemId: string;
  event: string;
  property: string;
  from: Date;
  to: Date;
  limit: number;
}

/** People who did `steps[0]`, then each next step, each strictly after the previous one and within `withinMs` of the first. */
export interface FunnelQuery {
  systemId: string;
  steps: string[];
  withinMs: number;
  from: Date;
  to: Date;
}

/** One person as the read models know them, across every id merged by identify and alias. */
export interface UserProfile {
  userId: string;
  /** Every id of this person: `u:<userId>` and `a:<anonymousId>` forms. */
  identities: string[];
  firstSeen: Date;
  lastSeen: Date;
  /** Traits from identify calls, later ones overriding earlier ones. */
  traits: Record<string, unknown>;
  groups: string[];
  /** The newest events first. */
  timeline: { type: string; event: string; timestamp: Date; properties: Record<string, unknown> }[];
}

/** How far the read models are behind the write model. */
export interface ProjectionStatus {
  /** Events applied to the read models so far. */
  projectedEvents: number;
  /**
   * Committed events not yet applied: counted up to 10,000; beyond that (a rebuild, a long stop of
   * the projector) an estimate from the log's sequence numbers. It counts more when clients retry
   * batches (a duplicate uses up a number without storing an event; resending everything once about
   * doubles it) and fewer by the events of transactions that committed out of number order; it is
   * never below 10,001.
   */
  behindEvents: number;
  /** When the newest applied event was received, or `null` before the first. */
  projectedThrough: Date | null;
  /**
   * When the first event not yet applied (in commit order) was received, or `null` when none waits:
   * how long the read models have been behind.
   */
  waitingSince: Date | null;
  /**
   * How many times the read models were rebuilt from the write model. A rebuild counts
   * `projectedEvents` from zero again: the two together name one state of the read models.
   */
  rebuilds: number;
}

/**
 * How many seconds the read models are behind: how long the first event not yet applied has
 * waited, 0 when caught up. Not the age of the newest applied event: after a quiet hour that would
 * say 3,600 for an event that arrived a moment ago, and 0 while nothing was ever applied.
 */
export function lagSeconds(status: ProjectionStatus, now: Date = new Date()): number {
  if (status.behindEvents === 0 || !status.waitingSince) return 0;
  return Math.max(0, (now.getTime() - status.waitingSince.getTime()) / 1000);
}

/** Queries answered from the read models. */
export interface AnalyticsStore {
  timeseries(query: TimeseriesQuery): Promise<TimeseriesPoint[]>;
  topEvents(query: TopEventsQuery): Promise<{ event: string; count: number }[]>;
  breakdown(query: BreakdownQuery): Promise<{ value: unknown; count: number }[]>;
  funnel(query: FunnelQuery): Promise<{ step: string; users: number }[]>;
  /** The person a userId belongs to, or `null` when no event of theirs is projected. */
  userProfile(systemId: string, userId: string, timelineLimit: number): Promise<UserProfile | null>;
  status(): Promise<ProjectionStatus>;
}

/** Keeps the read models in step with the write model. */
export interface ProjectionStore {
  /**
   * Applies up to `limit` committed events after the checkpoint to the read models and moves the
   * checkpoint, in one transaction. @returns how many events were applied.
   */
  projectBatch(limit: number): Promise<number>;
  /** Empties every read model and the checkpoint, so projecting rebuilds them from the write model. */
  reset(): Promise<void>;
  /**
   * Runs `fn` holding the projector lease, so at most one process projects at a time.
   * @returns `null` without running `fn` when another process holds it.
   */
  exclusively<T>(fn: () => Promise<T>): Promise<T | null>;
}
