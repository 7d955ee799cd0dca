import { MAX_MESSAGE_ID_LENGTH } from '@volcanion-tracking/core';
import { z } from 'zod';
import { named } from '../openapi/component-name';

// These describe Segment's wire format. The core checks messages by hand, one by one, so that a
// batch keeps its valid messages when others are refused; parsing them with zod here first would
// refuse the whole batch instead. The route itself checks only what it reads: an object, a batch array.

const object = z.record(z.string(), z.unknown()).nullable().optional();
const identity = z.union([z.string().max(1000), z.number()]);
const instant = z.string().nullable().optional().describe('ISO-8601 date-time');

const base = z.looseObject({
  userId: identity.nullable().optional().describe('Your id of the person; `userId` or `anonymousId` is required'),
  anonymousId: identity.nullable().optional().describe('A device or session id, before the person is known'),
  messageId: z.string().max(MAX_MESSAGE_ID_LENGTH).nullable().optional().describe('Deduplicates retries: one stored event per system and messageId; assigned when missing'),
  timestamp: instant.describe('When it happened (ISO-8601); corrected for clock skew with `sentAt`'),
  originalTimestamp: instant,
  sentAt: instant.describe('When the client sent it (ISO-8601)'),
  context: object,
  integrations: object,
  writeKey: z.string().optional().describe('The write key, for clients that cannot set `Authorization`'),
});

/** `POST /v1/track`: an action the person took. */
export const trackMessageSchema = named(base.extend({ event: z.string().min(1).describe('The action, such as `Order Completed`'), properties: object }), 'TrackMessage');
/** `POST /v1/identify`: who the person is. */
export const identifyMessageSchema = named(base.extend({ traits: object }), 'IdentifyMessage');
/** `POST /v1/page`: a page view. */
export const pageMessageSchema = named(base.extend({ name: z.string().nullable().optional(), properties: object }), 'PageMessage');
/** `POST /v1/screen`: an app screen view. */
export const screenMessageSchema = named(base.extend({ name: z.string().nullable().optional(), properties: object }), 'ScreenMessage');
/** `POST /v1/group`: the person belongs to a group (an account, a company). */
export const groupMessageSchema = named(base.extend({ groupId: identity, traits: object }), 'GroupMessage');
/** `POST /v1/alias`: two ids are the same person. */
export const aliasMessageSchema = named(base.extend({ userId: identity, previousId: identity }), 'AliasMessage');

/** The message schema of each single-message route. */
export const messageSchemas = {
  track: trackMessageSchema,
  identify: identifyMessageSchema,
  page: pageMessageSchema,
  screen: screenMessageSchema,
  group: groupMessageSchema,
  alias: aliasMessageSchema,
} as const;

/** `POST /v1/batch`: messages of any type; the root's `context`, `integrations` and `sentAt` apply to those lacking them. */
export const batchSchema = named(
  z.looseObject({
    batch: z.array(
      z.discriminatedUnion('type', [
        trackMessageSchema.extend({ type: z.literal('track') }),
        identifyMessageSchema.extend({ type: z.literal('identify') }),
        pageMessageSchema.extend({ type: z.literal('page') }),
        screenMessageSchema.extend({ type: z.literal('screen') }),
        groupMessageSchema.extend({ type: z.literal('group') }),
        aliasMessageSchema.extend({ type: z.literal('alias') }),
      ]),
    ),
    context: object,
    integrations: object,
    sentAt: instant,
    writeKey: z.string().optional().describe('The write key, for clients that cannot set `Authorization`'),
  }),
  'Batch',
);

/** What ingestion answers once the accepted events are committed. */
export const ingestResultSchema = named(
  z.object({
    success: z.literal(true),
    rejected: z
      .array(
        z.object({
          index: z.number().int().describe('Position in the batch'),
          messageId: z.string().nullable(),
          errors: z.array(z.object({ pointer: z.string().describe('JSON Pointer into the message'), message: z.string() })),
        }),
      )
      .optional()
      .describe('Messages refused by name while their valid neighbours were stored; absent when none were'),
  }),
  'IngestResult',
);
