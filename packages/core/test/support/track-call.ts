import type { TrackingEvent } from '../../src';

/** A valid track call of `userId` and/or `anonymousId` at `timestamp`, received then, with nothing else set. */
export function trackCall(e: Pick<TrackingEvent, 'systemId' | 'messageId' | 'event' | 'userId' | 'anonymousId' | 'timestamp'> & Partial<TrackingEvent>): TrackingEvent {
  return {
    type: 'track', groupId: null, previousId: null, properties: {}, traits: {}, context: {}, integrations: {},
    originalTimestamp: null, sentAt: null, receivedAt: e.timestamp, valid: true, validationErrors: [], ...e,
  };
}
