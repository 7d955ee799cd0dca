import { z } from 'zod';
import type { ApiRequest } from '../handler/api-message';
import { json } from '../handler/json';
import type { Router } from '../handler/router';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi/build-document';
import { docsCsp, docsPage } from '../openapi/docs-page';
import { packageVersion } from '../version';

/** Which of the two documentation routes to serve. */
export interface DocumentationRoutes {
  openapi: boolean;
  docs: boolean;
}

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of every route of `router`, generated once from
 * their specs, with the server URL of the request. `GET /docs`: an HTML page rendering it. Both
 * public: the document says what the API is, never anything about its tenants.
 */
export function registerOpenApiRoutes(router: Router, { openapi, docs }: DocumentationRoutes): void {
  let document: OpenApiDocument | undefined;
  // Built on first use, once every route (these two included) is registered.
  const documentFor = (request: ApiRequest, url: URL): OpenApiDocument => ({
    ...(document ??= buildOpenApiDocument(router.routes, packageVersion)),
    servers: [{ url: `${url.origin}${request.basePath}` }],
  });
  const tag = 'Operations';
  if (openapi) {
    router.on(
      'GET',
      '/openapi.json',
      {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        description: 'OpenAPI 3.1, generated from the same zod schemas that validate requests.',
        tag,
        auth: 'public',
        responses: { 200: { description: 'The OpenAPI document', schema: z.looseObject({ openapi: z.literal('3.1.0') }) } },
      },
      async ({ request, url }) => json(200, documentFor(request, url), { 'cache-control': 'no-cache', 'access-control-allow-origin': '*' }),
    );
  }
  if (docs) {
    router.on(
      'GET',
      '/docs',
      {
        operationId: 'getApiDocs',
        summary: 'This reference as a web page',
        description: 'Self-contained HTML: no external assets, under a strict Content-Security-Policy.',
        tag,
        auth: 'public',
        responses: { 200: { description: 'The page', schema: z.string(), contentType: 'text/html' } },
      },
      async ({ request, url }) => ({
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': docsCsp,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-cache',
        },
        body: docsPage(documentFor(request, url)),
      }),
    );
  }
}
