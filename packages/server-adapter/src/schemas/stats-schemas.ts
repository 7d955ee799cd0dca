import { z } from 'zod';
import { named } from '../openapi/component-name';
import { instant, systemParams } from './common-schemas';
import { instantParam, integerParam } from './query-params';

/** How current an answer is. */
export const projectionSchema = named(
  z.object({
    projectedEvents: z.number().int().describe('Events applied to the read models'),
    behindEvents: z.number().int().describe('Committed events not in the answer yet: counted up to 10,000, estimated beyond'),
    projectedThrough: instant.nullable().describe('When the newest applied event was received'),
    waitingSince: instant.nullable().describe('When the first event not applied yet was received; null when caught up'),
    lagSeconds: z.number().describe('How long the first event not applied yet has waited, in seconds; 0 when caught up'),
  }),
  'ProjectionStatus',
);

/** An answer over a time range: the data, the range used (widened to whole hours) and how current it is. */
function rangeAnswer<T extends z.ZodType>(data: T) {
  return z.object({ data, from: instant, to: instant, projection: projectionSchema });
}

export const timeseriesSchema = named(
  rangeAnswer(z.array(z.object({ bucket: instant.describe('Start of the hour or day'), count: z.number().int(), uniqueUsers: z.number().int() }))),
  'Timeseries',
);
export const topEventsSchema = named(rangeAnswer(z.array(z.object({ event: z.string(), count: z.number().int() }))), 'TopEvents');
export const breakdownSchema = named(rangeAnswer(z.array(z.object({ value: z.unknown().describe("The property's value"), count: z.number().int() }))), 'Breakdown');
export const funnelSchema = named(rangeAnswer(z.array(z.object({ step: z.string(), users: z.number().int() }))), 'Funnel');

/** A person's profile, with every id merged by identify and alias. */
export const userProfileSchema = named(
  z.object({
    userId: z.string(),
    identities: z.array(z.string()).describe('Every id of this person: `u:<userId>` and `a:<anonymousId>`'),
    firstSeen: instant,
    lastSeen: instant,
    traits: z.record(z.string(), z.unknown()).describe('From identify calls, later ones overriding earlier ones'),
    groups: z.array(z.string()),
    timeline: z.array(z.object({ type: z.string(), event: z.string(), timestamp: instant, properties: z.record(z.string(), z.unknown()) })).describe('Newest first'),
    projection: projectionSchema,
  }),
  'UserProfile',
);

const from = instantParam('Start of the range (ISO-8601); default 7 days before `to`');
const to = instantParam('End of the range (ISO-8601); default now');

export const timeseriesQuery = z.object({
  from,
  to,
  interval: z.enum(['hour', 'day'], 'must be hour or day').optional().describe('Bucket size; default `day`'),
  tz: z.string().optional().describe('IANA time zone that cuts days; default UTC. It must be whole hours from UTC over the whole range and never turn clocks back by more than an hour. Hour buckets are UTC hours.'),
  event: z.string().optional().describe('Only this track event; default all'),
});
export const topEventsQuery = z.object({ from, to, limit: integerParam(1, 100, 'How many events, 1 to 100; default 10') });
export const breakdownQuery = z.object({
  event: z.string().optional().describe('The track event (required)'),
  property: z.string().optional().describe('The property to count by (required)'),
  from,
  to,
  limit: integerParam(1, 1000, 'How many values, 1 to 1000; default 20'),
});
export const funnelQuery = z.object({
  steps: z.string().optional().describe('2 to 10 track event names, comma-separated, in order (required)'),
  within: z.string().optional().describe('ISO-8601 duration a person has to complete the funnel, such as `P1D` (default) or `PT30M`'),
  from,
  to,
});
export const userQuery = z.object({ limit: integerParam(1, 500, 'Timeline events, 1 to 500; default 50') });
export const userParams = systemParams.extend({ userId: z.string().describe('The userId as sent') });
