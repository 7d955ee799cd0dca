import { addSystemInput, updateSystemSettingsInput } from '@volcanion-tracking/core';
import { z } from 'zod';
import { named } from '../openapi/component-name';
import { instant, listOf } from './common-schemas';

named(addSystemInput, 'AddSystemInput');
named(updateSystemSettingsInput, 'SystemSettingsInput');

/** A token bucket: refilled at `perSecond`, holding at most `burst`. */
const rateLimitPolicySchema = named(z.object({ perSecond: z.number(), burst: z.number().int() }), 'RateLimitPolicy');

/** How a system treats events, and which origins may send them. */
export const systemSettingsSchema = named(
  z.object({
    invalidEvents: z.enum(['flag', 'reject']).describe('An event breaking its structure is stored flagged, or refused'),
    unplannedEvents: z.enum(['allow', 'flag', 'reject']).describe('A track event with no structure is stored, stored flagged, or refused'),
    allowedOrigins: z.array(z.string()).nullable().describe('Browser origins allowed to send; `null` allows any'),
    rateLimits: z
      .object({
        ingest: rateLimitPolicySchema.nullable().describe("Each write key's limit in events; `null`: the server's default"),
        api: rateLimitPolicySchema.nullable().describe("Each secret key's limit in requests; `null`: the server's default"),
      })
      .describe("The system's own rate limits (see docs/rate-limits.md)"),
  }),
  'SystemSettings',
);

/** A system as the API shows it; never with keys. */
export const systemSchema = named(
  z
    .object({
      id: z.string(),
      partnerId: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      active: z.boolean(),
      settings: systemSettingsSchema,
      createdAt: instant,
      updatedAt: instant,
    })
    .describe("A partner's site, app or backend: owns keys, event structures and events"),
  'System',
);

/** A system just added, with its first keys: the only time they are shown. */
export const addedSystemSchema = named(
  systemSchema.extend({
    writeKey: z.string().describe('Write key (`wk_…`): ingests only. Shown only now'),
    writeKeyId: z.string(),
    secretKey: z.string().describe('Secret key (`sk_…`): reads this system. Shown only now'),
    secretKeyId: z.string(),
  }),
  'AddedSystem',
);

/** A partner's systems. */
export const systemListSchema = named(listOf(systemSchema), 'SystemList');

export { addSystemInput, updateSystemSettingsInput };
