import type { CommonFields, Identity, Properties } from './call-params';

/**
 * Any event with any properties: what a {@link TrackingClient} accepts when it is given no plan.
 */
export type AnyEvents = Record<string, Properties>;

/**
 * The event names of a tracking plan: its string keys.
 */
export type EventName<Plan extends object> = Extract<keyof Plan, string>;

/**
 * `properties` as the plan declares it for one event: required when the event has a required
 * property, optional when every property is optional, and absent when the plan maps the event to
 * `undefined` (an event without properties).
 */
export type PlannedProperties<P> = [P] extends [undefined]
  ? { properties?: undefined }
  : {} extends P
    ? { properties?: P }
    : { properties: P };

/**
 * The argument of `track()` for event `E` of `Plan`: who, what, and the properties the plan
 * declares for `E`.
 *
 * ### Examples
 * ```ts
 * type Plan = {
 *   'Order Completed': { orderId: string; total: number; coupon?: string };
 *   'Signed Out': undefined;
 * };
 * const call: TrackCall<Plan, 'Order Completed'> = {
 *   userId: 'user-1',
 *   event: 'Order Completed',
 *   properties: { orderId: 'o-1', total: 42 },
 * };
 * ```
 */
export type TrackCall<Plan extends object = AnyEvents, E extends EventName<Plan> = EventName<Plan>> = Identity &
  CommonFields & { event: E } & PlannedProperties<Plan[E]>;
