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

/** How far the read models are behind the write model. */
export interface ProjectionStatus {
  /** Events applied to the read models so far. */
  projectedEvents: number;
  /** Committed events not yet applied. */
  behindEvents: number;
  /** When the newest applied event was received, or `null` before the first. */
  projectedThrough: Date | null;
}

/** Queries answered from the read models. */
export interface AnalyticsStore {
  timeseries(query: TimeseriesQuery): Promise<TimeseriesPoint[]>;
  topEvents(query: TopEventsQuery): Promise<{ event: string; count: number }[]>;
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
