import { messageTypes, type MessageType } from '@volcanion-tracking/core';
import { z } from 'zod';
import { named } from '../openapi/component-name';
import { instant, pageOf } from './common-schemas';

/** The six Segment message types. */
export const messageTypeSchema = z.enum(messageTypes as [MessageType, ...MessageType[]]);

const json = z.record(z.string(), z.unknown());

/** A stored event as the API shows it: Segment's field names. */
export const storedEventSchema = named(
  z.object({
    messageId: z.string(),
    type: messageTypeSchema,
    event: z.string().nullable().describe("The track event's name, or the page or screen name"),
    userId: z.string().nullable(),
    anonymousId: z.string().nullable(),
    groupId: z.string().nullable(),
    previousId: z.string().nullable(),
    properties: json,
    traits: json,
    context: json,
    integrations: json,
    timestamp: instant.describe("When it happened, corrected for the client's clock skew"),
    originalTimestamp: instant.nullable().describe('The timestamp the client sent'),
    sentAt: instant.nullable(),
    receivedAt: instant,
    valid: z.boolean().describe('False when the event broke its structure, or had none and the system flags that'),
    validationErrors: z.array(z.object({ path: z.string().describe('JSON Pointer into the event'), message: z.string() })),
  }),
  'StoredEvent',
);

/** A page of events, newest first. */
export const eventPageSchema = named(pageOf(storedEventSchema), 'EventPage');
