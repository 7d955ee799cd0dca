import { issueKeyInput } from '@volcanion-tracking/core';
import { z } from 'zod';
import { named } from '../openapi/component-name';
import { instant, listOf } from './common-schemas';

named(issueKeyInput, 'IssueKeyInput');

const kind = z.enum(['write', 'secret']).describe('`write` ingests; `secret` reads its system (and may ingest)');

/** A key as the API lists it: never its secret or hash. */
export const apiKeySchema = named(
  z.object({
    id: z.string().describe('16 hex characters'),
    kind,
    replacesKeyId: z.string().nullable().describe('The key this one was rotated from'),
    createdAt: instant,
    revokedAt: instant.nullable(),
  }),
  'ApiKey',
);

/** A system's keys. */
export const apiKeyListSchema = named(listOf(apiKeySchema), 'ApiKeyList');

/** A key just issued, with its plaintext: the only time it is shown. */
export const plaintextKeySchema = named(
  z.object({
    id: z.string(),
    key: z.string().describe('The key itself (`wk_…` or `sk_…`); shown only now'),
    kind,
    replacesKeyId: z.string().nullable(),
  }),
  'PlaintextKey',
);

export { issueKeyInput };
