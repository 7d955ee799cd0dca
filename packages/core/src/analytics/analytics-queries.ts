import type { HandlerContext } from '../shared/context';
import { InvalidInputError, NotFoundError } from '../shared/errors';
import { isUuid } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { isStorableText, unstorableFilter } from '../shared/storable-json';
import type { Interval, ProjectionStatus, TimeseriesPoint, UserProfile } from './analytics-store';
import { answerKey, decodeAnswer, encodeAnswer } from './answer-cache';
import { offsetMs, utc } from './compute-analytics';

/** An analytics answer and how current the read models behind it are. */
export interface Answer<T> {
  data: T;
  /** Up to which point the answer is projected: compare `projectedThrough` with now, or check `behindEvents`. */
  projection: ProjectionStatus;
}

/** Raw query parameters of the time-range routes. */
export interface RangeInput {
  from?: Date;
  to?: Date;
}

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
const MAX_RANGE = 400 * DAY;

/** Events and unique people per hour or day of a time zone. */
export async function timeseries(
  ctx: HandlerContext,
  systemId: string,
  input: RangeInput & { interval?: string; tz?: string; event?: string },
): Promise<Result<Answer<TimeseriesPoint[]> & { from: Date; to: Date }, InvalidInputError | NotFoundError>> {
  const system = await knownSystem(ctx, systemId);
  if (!system.ok) return system;
  const interval = input.interval ?? 'day';
  if (interval !== 'hour' && interval !== 'day') return err(InvalidInputError.field('interval', 'must be hour or day'));
  const unstorable = unstorableFilter({ event: input.event });
  if (unstorable) return err(unstorable);
  const range = readRange(ctx, input);
  if (!range.ok) return range;
  const { from, to } = range.value;
  const tz = canonicalZone(input.tz ?? 'UTC');
  if (!tz) return err(InvalidInputError.field('tz', 'must be an IANA time zone such as Europe/Berlin'));
  const zone = checkZone(tz, from, to);
  if (zone) return err(InvalidInputError.field('tz', zone));
  const query = { systemId, from, to, interval: interval as Interval, tz, event: input.event };
  return ok({ ...(await cachedAnswer(ctx, 'timeseries', query, () => ctx.storage.analytics.timeseries(query))), from, to });
}

/** The most frequent track events in a range. */
export async function topEvents(
  ctx: HandlerContext,
  systemId: string,
  input: RangeInput & { limit?: number },
): Promise<Result<Answer<{ event: string; count: number }[]> & { from: Date; to: Date }, InvalidInputError | NotFoundError>> {
  const system = await knownSystem(ctx, systemId);
  if (!system.ok) return system;
  const limit = input.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return err(InvalidInputError.field('limit', 'must be an integer from 1 to 100'));
  const range = readRange(ctx, input);
  if (!range.ok) return range;
  const query = { systemId, ...range.value, limit };
  return ok({ ...(await cachedAnswer(ctx, 'top-events', query, () => ctx.storage.analytics.topEvents(query))), ...range.value });
}

async function knownSystem(ctx: HandlerContext, systemId: string): Promise<Result<true, NotFoundError>> {
  const system = isUuid(systemId) ? await ctx.storage.systems.findById(systemId) : null;
  return system ? ok(true) : err(new NotFoundError('system', systemId));
}

// The read models are hourly: a range is widened to whole hours (the answer says which it used).
function readRange(ctx: HandlerContext, input: RangeInput): Result<{ from: Date; to: Date }, InvalidInputError> {
  const to = input.to ?? ctx.now();
  const from = input.from ?? new Date(to.getTime() - 7 * DAY);
  if (from >= to) return err(InvalidInputError.field('from', 'must be before to'));
  if (to.getTime() - from.getTime() > MAX_RANGE) return err(InvalidInputError.field('from', 'the range may span at most 400 days'));
  return ok({ from: new Date(Math.floor(from.getTime() / HOUR) * HOUR), to: new Date(Math.ceil(to.getTime() / HOUR) * HOUR) });
}

/**
 * The zone's one name (`europe/berlin` and `Europe/Berlin` are one zone: one formatter, one cache
 * entry), or `null` for no zone at all.
 */
function canonicalZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Why a zone cannot cut hourly buckets into days over a range, or `null` when it can. */
function checkZone(tz: string, from: Date, to: Date): string | null {
  for (let year = from.getUTCFullYear(); year <= new Date(to.getTime() - 1).getUTCFullYear(); year++) {
    const key = `${tz}|${year}`;
    let problem = zoneProblems.get(key);
    if (problem === undefined) {
      if (zoneProblems.size >= 4096) zoneProblems.clear();
      zoneProblems.set(key, (problem = zoneProblemIn(tz, year)));
    }
    if (problem) return `${problem} in ${year}`;
  }
  return null;
}

// Per zone and year: what stops the hourly read models from cutting its days, or null.
const zoneProblems = new Map<string, string | null>();

/**
 * Hourly read models cannot split an hour, so a zone must be whole hours from UTC (not :30 or :45,
 * nor local mean time). And unique people per day come from the 24 gap classes, which cover days of
 * up to 25 hours: clocks may not go back by more than an hour. Offsets are sampled twice a day, as
 * they change at most a few times a year.
 */
function zoneProblemIn(tz: string, year: number): string | null {
  let previous: number | null = null;
  for (let at = utc(year, 0, 1); at < utc(year + 1, 0, 1); at += 12 * HOUR) {
    const offset = offsetMs(new Date(at), tz);
    if (offset % HOUR !== 0) return 'must be a zone whole hours from UTC (read models are hourly), which it is not';
    if (previous !== null && previous - offset > HOUR) return 'must not turn clocks back by more than an hour (a day may last at most 25 hours), which it does';
    previous = offset;
  }
  return null;
}

/** Counts of one event per value of one property. */
export async function breakdown(
  ctx: HandlerContext,
  systemId: string,
  input: RangeInput & { event?: string; property?: string; limit?: number },
): Promise<Result<Answer<{ value: unknown; count: number }[]> & { from: Date; to: Date }, InvalidInputError | NotFoundError>> {
  const system = await knownSystem(ctx, systemId);
  if (!system.ok) return system;
  if (!input.event) return err(InvalidInputError.field('event', 'is required'));
  if (!input.property) return err(InvalidInputError.field('property', 'is required'));
  const unstorable = unstorableFilter({ event: input.event, property: input.property });
  if (unstorable) return err(unstorable);
  const limit = input.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return err(InvalidInputError.field('limit', 'must be an integer from 1 to 1000'));
  const range = readRange(ctx, input);
  if (!range.ok) return range;
  const query = { systemId, event: input.event, property: input.property, limit, ...range.value };
  return ok({ ...(await cachedAnswer(ctx, 'breakdown', query, () => ctx.storage.analytics.breakdown(query))), ...range.value });
}

/** People reaching each step of a funnel, in order, within a window. */
export async function funnel(
  ctx: HandlerContext,
  systemId: string,
  input: RangeInput & { steps?: string; within?: string },
): Promise<Result<Answer<{ step: string; users: number }[]> & { from: Date; to: Date }, InvalidInputError | NotFoundError>> {
  const system = await knownSystem(ctx, systemId);
  if (!system.ok) return system;
  const steps = (input.steps ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (steps.length < 2 || steps.length > 10) return err(InvalidInputError.field('steps', 'must name 2 to 10 events, separated by commas'));
  const unstorable = unstorableFilter({ steps });
  if (unstorable) return err(unstorable);
  const withinMs = input.within === undefined ? DAY : parseIsoDuration(input.within);
  if (withinMs === null || withinMs <= 0 || withinMs > MAX_RANGE) return err(InvalidInputError.field('within', 'must be an ISO-8601 duration such as P1D or PT30M, at most 400 days'));
  const range = readRange(ctx, input);
  if (!range.ok) return range;
  const query = { systemId, steps, withinMs, ...range.value };
  return ok({ ...(await cachedAnswer(ctx, 'funnel', query, () => ctx.storage.analytics.funnel(query))), ...range.value });
}

/** A person's profile and recent timeline, with every id merged by identify and alias. */
export async function userProfile(
  ctx: HandlerContext,
  systemId: string,
  userId: string,
  input: { limit?: number },
): Promise<Result<Answer<UserProfile>, InvalidInputError | NotFoundError>> {
  const system = await knownSystem(ctx, systemId);
  if (!system.ok) return system;
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) return err(InvalidInputError.field('limit', 'must be an integer from 1 to 500'));
  if (!isStorableText(userId)) return err(new NotFoundError('user', userId));
  const answer = await cachedAnswer(ctx, 'user', { systemId, userId, limit }, () => ctx.storage.analytics.userProfile(systemId, userId, limit));
  if (!answer.data) return err(new NotFoundError('user', userId));
  return ok({ data: answer.data, projection: answer.projection });
}

/** Milliseconds of an ISO-8601 duration of days, hours, minutes and seconds (`P1DT12H`), or `null`. */
export function parseIsoDuration(text: string): number | null {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, w, d, h, m, s] = match;
  return ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 * 3600 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)) * 1000;
}

/**
 * An answer from the cache when this checkpoint's answer is there, else computed and stored. The
 * key holds the checkpoint, so once the projection moves on, older answers are never served. The
 * answer holds at least the events its status counts; a rebuild starting while it is computed
 * empties the read models under it, so it is computed again over the rebuilt ones.
 */
async function cachedAnswer<T>(
  ctx: HandlerContext,
  query: string,
  params: { systemId: string } & Record<string, unknown>,
  compute: () => Promise<T>,
): Promise<Answer<T>> {
  let projection = await ctx.storage.analytics.status();
  for (let attempt = 1; ; attempt++) {
    const key = answerKey(params.systemId, projection, query, params);
    const hit = await ctx.cache.get(key);
    ctx.telemetry.emit({ type: 'cache', cache: 'answers', hit: hit !== null });
    if (hit !== null) return { data: decodeAnswer<T>(hit), projection };
    const data = await compute();
    const after = await ctx.storage.analytics.status();
    if (after.rebuilds === projection.rebuilds) {
      await ctx.cache.set(key, encodeAnswer(data), ctx.answerTtlSeconds);
      return { data, projection };
    }
    // Rebuild after rebuild: the answer may be from any point of them, so it claims none.
    if (attempt === MAX_ANSWER_ATTEMPTS) {
      return { data, projection: { ...after, projectedEvents: 0, behindEvents: after.projectedEvents + after.behindEvents, projectedThrough: null } };
    }
    projection = after;
  }
}

const MAX_ANSWER_ATTEMPTS = 3;
