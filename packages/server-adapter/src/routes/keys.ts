import type { ApiKey } from '@volcanion-tracking/core';
import { requireAdmin } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { empty, json } from '../handler/json';

import type { Router } from '../handler/router';
import { managementBody, valueOf } from './route-helpers';

/** Issuing, rotating, listing and revoking a system's API keys. Admin token only. */
export function registerKeyRoutes(router: Router, { platform, admin, maxManagementBodyBytes }: ResolvedOptions): void {
  router
    .on('GET', '/api/systems/:id/keys', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      return json(200, { data: valueOf(await platform.listKeys(params.id!)).map(keyView) });
    })
    .on('POST', '/api/systems/:id/keys', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      valueOf(await platform.getSystem(params.id!));
      const body = await managementBody(request, maxManagementBodyBytes);
      return json(201, valueOf(await platform.issueKey(params.id!, body)));
    })
    .on('POST', '/api/systems/:id/keys/:keyId/rotate', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      return json(201, valueOf(await platform.rotateKey(params.id!, params.keyId!)));
    })
    .on('DELETE', '/api/systems/:id/keys/:keyId', async ({ request, params }) => {
      await requireAdmin(platform, admin, request);
      valueOf(await platform.revokeKey(params.id!, params.keyId!));
      return empty(204);
    });
}

/** A key as the API lists it: never its secret or hash. */
function keyView(k: ApiKey) {
  return {
    id: k.id,
    kind: k.kind,
    replacesKeyId: k.replacesKeyId,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
