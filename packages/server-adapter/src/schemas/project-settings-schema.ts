import { z } from 'zod';
import { named } from '../openapi/component-name';

const empty = z.record(z.string(), z.unknown());

/** The settings document analytics-next loads from its CDN, pointing it at this server. */
export const projectSettingsSchema = named(
  z.object({
    integrations: z.object({
      'Segment.io': z.object({
        apiKey: z.string().describe('The write key'),
        apiHost: z.string().describe('Host and path prefix events are sent to (`host/v1`)'),
        protocol: z.enum(['http', 'https']),
        unbundledIntegrations: z.array(z.string()),
        addBundledMetadata: z.boolean(),
        maybeBundledConfigIds: empty,
      }),
    }),
    plan: z.object({ track: empty, identify: empty, group: empty }),
    edgeFunction: empty,
    analyticsNextEnabled: z.boolean(),
    middlewareSettings: empty,
    enabledMiddleware: empty,
    metrics: z.object({ sampleRate: z.number() }),
    legacyVideoPluginsEnabled: z.boolean(),
    remotePlugins: z.array(z.unknown()),
  }),
  'ProjectSettings',
);
