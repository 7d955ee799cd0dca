import { NotFoundError } from '@volcanion-tracking/core';
import { z } from 'zod';
import { authenticateKeyOnce } from '../handler/auth';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { ok, problems } from '../openapi/responses';
import { projectSettingsSchema } from '../schemas/project-settings-schema';

/**
 * `GET /v1/projects/:writeKey/settings`: the settings document analytics-next loads from its CDN.
 * Loading analytics-next with `cdnURL` set to this server makes it send here: the `Segment.io`
 * integration's `apiHost` and `protocol` point at the host and path prefix the request came to.
 */
export function registerProjectSettingsRoute(router: Router, { platform }: ResolvedOptions): void {
  router.on(
    'GET',
    '/v1/projects/:writeKey/settings',
    {
      operationId: 'getProjectSettings',
      summary: 'Settings for analytics-next',
      description:
        "The document analytics-next loads from its CDN: load it with `cdnURL` set to this server and it sends events here. The write key in the path is the credential; an unknown one is 404.",
      tag: 'Tracking API',
      auth: 'public',
      params: z.object({ writeKey: z.string().describe('The write key') }),
      responses: { 200: ok(projectSettingsSchema, 'The settings'), ...problems(404, 503) },
    },
    async ({ request, url, params }) => {
      const principal = await authenticateKeyOnce(platform, request, params.writeKey);
      if (!principal.ok) throw new NotFoundError('project', params.writeKey);
      const settings: z.output<typeof projectSettingsSchema> = {
        integrations: {
          'Segment.io': {
            apiKey: params.writeKey,
            apiHost: `${url.host}${request.basePath}/v1`,
            protocol: url.protocol === 'https:' ? 'https' : 'http',
            unbundledIntegrations: [],
            addBundledMetadata: true,
            maybeBundledConfigIds: {},
          },
        },
        plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
        edgeFunction: {},
        analyticsNextEnabled: true,
        middlewareSettings: {},
        enabledMiddleware: {},
        metrics: { sampleRate: 0 },
        legacyVideoPluginsEnabled: false,
        remotePlugins: [],
      };
      return json(200, settings, { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=60' });
    },
  );
}
