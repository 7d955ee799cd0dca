import { z } from 'zod';
import type { RegisteredRoute } from '../handler/router';
import { isExemptRoute } from '../rate-limits/rate-limit-options';
import { problem } from './responses';
import { schemaMetadata } from './component-name';
import type { AuthKind, ParamsSchema, ResponseSpec, RouteSpec } from './route-spec';

/** A JSON Schema (2020-12) as the document holds it. */
export type JsonSchema = Record<string, unknown>;

/** An OpenAPI 3.1 document; only the parts this package writes are typed. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  servers?: { url: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, Record<string, unknown>> };
}

/** One operation of the document. */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: 'path' | 'query'; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { required: true; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: JsonSchema }> }>;
}

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const securitySchemes = {
  writeKey: {
    type: 'http',
    scheme: 'basic',
    description:
      'A write key (`wk_…`) as the HTTP Basic username with an empty password, as Segment\'s clients send it (`curl -u "wk_…:"`). `Authorization: Bearer wk_…` and a `writeKey` field in the body work too. A secret key may ingest as well.',
  },
  secretKey: { type: 'http', scheme: 'bearer', description: "A system's secret key (`sk_…`): reads that system's data and nothing else." },
  adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (`VOLCANION_ADMIN_TOKEN`, or generated and printed on first start): every management route.' },
};

const schemeOf: Record<Exclude<AuthKind, 'public'>, keyof typeof securitySchemes> = {
  'write-key': 'writeKey',
  'secret-key': 'secretKey',
  admin: 'adminToken',
};

const tagDescriptions: Record<string, string> = {
  'Tracking API': "Segment's HTTP Tracking API: what Segment's, RudderStack's and our own SDKs send.",
  Partners: 'Tenants: organisations whose sites and apps send events. Admin token only.',
  Systems: "A partner's sites, apps and backends.",
  Keys: "A system's write and secret keys. Admin token only.",
  'Event structures': "JSON Schemas that a system's events are checked against.",
  Events: "A system's stored events.",
  Analytics: 'Answers from the read models, with how current they are.',
  Operations: 'Probes, metrics and this documentation.',
};

/**
 * The OpenAPI 3.1 document of a router's routes, generated from their specs: parameters, bodies
 * and responses are the specs' zod schemas as JSON Schema (2020-12), named ones under
 * `components.schemas`. Throws when two different schemas share a name.
 */
export function buildOpenApiDocument(routes: readonly RegisteredRoute[], version: string): OpenApiDocument {
  const components: Record<string, JsonSchema> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output') => toJsonSchema(schema, io, components);
  const paths: OpenApiDocument['paths'] = {};
  const tags: string[] = [];
  for (const { method, path, spec } of routes) {
    const template = path.replace(/:([^/]+)/g, '{$1}');
    (paths[template] ??= {})[method.toLowerCase()] = operation(spec, convert, !isExemptRoute(path));
    if (!tags.includes(spec.tag)) tags.push(spec.tag);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: DIALECT,
    info: {
      title: 'Volcanion Tracking API',
      version,
      description:
        'Event tracking compatible with Segment\'s HTTP Tracking API, with partners, systems and keys to manage it, and analytics. Errors are RFC 9457 `application/problem+json` documents whose `code` says what went wrong.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: tags.map((name) => (tagDescriptions[name] ? { name, description: tagDescriptions[name] } : { name })),
    paths,
    components: { schemas: sortKeys(components), securitySchemes },
  };
}

function operation(spec: RouteSpec, convert: (schema: z.ZodType, io: 'input' | 'output') => JsonSchema, rateLimited: boolean): OpenApiOperation {
  const op: OpenApiOperation = {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: security(spec.auth),
    responses: {},
  };
  const parameters = [...parametersOf(spec.params, 'path', convert), ...parametersOf(spec.query, 'query', convert)];
  if (parameters.length > 0) op.parameters = parameters;
  if (spec.body) {
    const schema = convert(spec.body.schema, 'input');
    op.requestBody = {
      required: true,
      ...(spec.body.description ? { description: spec.body.description } : {}),
      content: Object.fromEntries((spec.body.contentTypes ?? ['application/json']).map((type) => [type, { schema }])),
    };
  }
  const responses: Record<number, ResponseSpec> = { ...spec.responses };
  if (rateLimited) responses[429] ??= rateLimitedResponse;
  responses[500] ??= problem('A fault of ours; it has been logged.');
  for (const [status, response] of Object.entries(responses)) op.responses[status] = responseOf(response, convert);
  return op;
}

// Every route but probes, scrapes and documentation may answer 429 (see docs/rate-limits.md).
const rateLimitedResponse: ResponseSpec = {
  ...problem('Over the rate limit of the key (or, without valid credentials, of the client address); retry after `Retry-After` seconds.'),
  headers: {
    'Retry-After': 'Seconds to wait before retrying.',
    'RateLimit-Limit': 'The bucket size (burst).',
    'RateLimit-Remaining': 'Tokens left in the bucket.',
    'RateLimit-Reset': 'Seconds until the bucket is full again.',
  },
};

function security(auth: RouteSpec['auth']): Record<string, string[]>[] {
  const kinds: readonly AuthKind[] = typeof auth === 'string' ? [auth] : auth;
  return kinds.filter((k): k is Exclude<AuthKind, 'public'> => k !== 'public').map((k) => ({ [schemeOf[k]]: [] }));
}

function parametersOf(schema: ParamsSchema | undefined, where: 'path' | 'query', convert: (schema: z.ZodType, io: 'input') => JsonSchema) {
  if (!schema) return [];
  const object = convert(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function responseOf(response: ResponseSpec, convert: (schema: z.ZodType, io: 'output') => JsonSchema): OpenApiOperation['responses'][string] {
  return {
    description: response.description,
    ...(response.headers
      ? { headers: Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
      : {}),
    ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: convert(response.schema, 'output') } } } : {}),
  };
}

// zod writes named schemas into `$defs`; the document keeps them once, under components.schemas.
function toJsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, metadata: schemaMetadata, unrepresentable: 'any', cycles: 'throw' }) as JsonSchema;
  const { $schema: _dialect, $defs, ...root } = json;
  for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    const component = rewriteRefs(def) as JsonSchema;
    const known = components[name];
    if (known && JSON.stringify(known) !== JSON.stringify(component)) throw new Error(`Two different schemas are named ${name} (one may differ between request and response)`);
    components[name] = component;
  }
  return rewriteRefs(root) as JsonSchema;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : rewriteRefs(v)]),
  );
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
