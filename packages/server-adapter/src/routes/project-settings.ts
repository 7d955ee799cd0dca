import { NotFoundError } from '@volcanion-tracking/core';
import type { ResolvedOptions } from '../handler/handler-options';
import { json } from '../handler/json';
import type { Router } from '../handler/router';

/**
 * `GET /v1/projects/:writeKey/settings`: the settings document analytics-next loads from its CDN.
 * Loading analytics-next with `cdnURL` set to this server makes it send here: the `Segment.io`
 * integration's `apiHost` and `protocol` point at the host and path prefix the request came to.
 */
export function registerProjectSettingsRoute(router: Router, { platform }: ResolvedOptions): void {
  router.on('GET', '/v1/projects/:writeKey/settings', async ({ request, url, params }) => {
    const principal = await platform.authenticateKey(params.writeKey!);
    if (!principal.ok) throw new NotFoundError('project', params.writeKey!);
    return json(
      200,
      {
        integrations: {
          'Segment.io': {
            apiKey: params.writeKey,
            apiHost: `${url.host}${request.basePath}/v1`,
            protocol: url.protocol.replace(':', ''),
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
      },
      { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=60' },
    );
  });
}
