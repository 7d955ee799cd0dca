import type { ApiKey } from '@volcanion-tracking/core';
import { z } from 'zod';
import { requireAdmin } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { empty, json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok, problems } from '../openapi/responses';
import { systemParams } from '../schemas/common-schemas';
import { apiKeyListSchema, apiKeySchema, issueKeyInput, plaintextKeySchema } from '../schemas/key-schemas';
import { managementBody, valueOf } from './route-helpers';

const tag = 'Keys';
const keyParams = systemParams.extend({ keyId: z.string().describe("The key's id (16 hex characters)") });

/** Issuing, rotating, listing and revoking a system's API keys. Admin token only. */
export function registerKeyRoutes(router: Router, { platform, admin, maxManagementBodyBytes }: ResolvedOptions): void {
  router
    .on(
      'GET',
      '/api/systems/:id/keys',
      {
        operationId: 'listKeys',
        summary: "List a system's keys",
        description: 'Never their secrets: a key is shown only when issued.',
        tag,
        auth: 'admin',
        params: systemParams,
        responses: { 200: ok(apiKeyListSchema, 'Every key, revoked ones included'), ...problems(401, 403, 404, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        return json(200, { data: valueOf(await platform.listKeys(params.id)).map(keyView) });
      },
    )
    .on(
      'POST',
      '/api/systems/:id/keys',
      {
        operationId: 'issueKey',
        summary: 'Issue a key',
        description: 'Existing keys keep working.',
        tag,
        auth: 'admin',
        params: systemParams,
        body: { schema: issueKeyInput },
        responses: { 201: ok(plaintextKeySchema, 'The key, shown only now'), ...problems(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        valueOf(await platform.getSystem(params.id));
        const body = await managementBody(request, maxManagementBodyBytes);
        return json(201, valueOf(await platform.issueKey(params.id, body)) satisfies z.output<typeof plaintextKeySchema>);
      },
    )
    .on(
      'POST',
      '/api/systems/:id/keys/:keyId/rotate',
      {
        operationId: 'rotateKey',
        summary: 'Rotate a key',
        description: 'Issues a key of the same kind that replaces this one. Both work until the old one is revoked, so clients move over without downtime.',
        tag,
        auth: 'admin',
        params: keyParams,
        responses: { 201: ok(plaintextKeySchema, 'The new key, shown only now'), ...problems(401, 403, 404, 409, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        return json(201, valueOf(await platform.rotateKey(params.id, params.keyId)) satisfies z.output<typeof plaintextKeySchema>);
      },
    )
    .on(
      'DELETE',
      '/api/systems/:id/keys/:keyId',
      {
        operationId: 'revokeKey',
        summary: 'Revoke a key',
        description: 'Requests with it fail from now on. Revoking twice is harmless.',
        tag,
        auth: 'admin',
        params: keyParams,
        responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404, 503) },
      },
      async ({ request, params }) => {
        await requireAdmin(platform, admin, request);
        valueOf(await platform.revokeKey(params.id, params.keyId));
        return empty(204);
      },
    );
}

/** A key as the API lists it: never its secret or hash. */
function keyView(k: ApiKey): z.output<typeof apiKeySchema> {
  return {
    id: k.id,
    kind: k.kind,
    replacesKeyId: k.replacesKeyId,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
