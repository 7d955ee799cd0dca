import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import type { OpenApiDocument, OpenApiOperation } from '../../src/openapi/build-document';

type JsonSchema = Record<string, unknown>;

/** A response as received, checked against the document. */
export interface CheckedResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON for JSON media types, the text otherwise, `null` when empty. */
  body: any;
}

/** A schema compiler for the document's schemas: `#/components/schemas/X` refs become `#/$defs/X`. */
export function schemaCompiler(document: OpenApiDocument): (schema: JsonSchema) => ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, formats: { 'date-time': true, email: true } });
  const defs = rewriteRefs(document.components.schemas) as JsonSchema;
  const cache = new Map<string, ValidateFunction>();
  return (schema) => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile({ ...(rewriteRefs(schema) as JsonSchema), $defs: defs });
      cache.set(key, validate);
    }
    return validate;
  };
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : rewriteRefs(v)]),
  );
}

const baseType = (type: string | null) => (type ?? '').split(';')[0]!.trim().toLowerCase();
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

/**
 * Sends requests to a running server and checks each response against the OpenAPI document: the
 * status must be documented for the operation, the media type must be the documented one, and
 * the body must validate against its schema (JSON Schema 2020-12, with ajv). Records which
 * operations answered with success, so a test can require every operation to be exercised.
 */
export class OpenApiChecker {
  readonly #compile: (schema: JsonSchema) => ValidateFunction;
  /** `METHOD /template` → statuses seen. */
  readonly seen = new Map<string, Set<number>>();

  constructor(
    readonly document: OpenApiDocument,
    readonly baseUrl: string,
  ) {
    this.#compile = schemaCompiler(document);
  }

  /** Every documented operation as `METHOD /template`. */
  operations(): string[] {
    return Object.entries(this.document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
  }

  operation(method: string, template: string): OpenApiOperation {
    const op = this.document.paths[template]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${template} is not in the document`);
    return op;
  }

  /**
   * Calls `method template` with path parameters filled in, expects `status`, and validates the
   * response against the document.
   */
  async call(
    method: string,
    template: string,
    status: number,
    init: { params?: Record<string, string>; query?: string; headers?: Record<string, string>; json?: unknown; body?: string } = {},
  ): Promise<CheckedResponse> {
    const op = this.operation(method, template);
    const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = init.params?.[name];
      if (value === undefined) throw new Error(`${template}: no value for {${name}}`);
      return encodeURIComponent(value);
    });
    const headers = new Headers(init.headers);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const res = await fetch(`${this.baseUrl}${path}${init.query ? `?${init.query}` : ''}`, { method, headers, body });
    const text = await res.text();
    const label = `${method} ${template} → ${res.status} ${text.slice(0, 500)}`;
    expect(res.status, label).toBe(status);
    const key = `${method} ${template}`;
    if (!this.seen.has(key)) this.seen.set(key, new Set());
    this.seen.get(key)!.add(res.status);

    const documented = op.responses[String(res.status)];
    expect(documented, `${label}: status ${res.status} is not documented for ${method} ${template}`).toBeDefined();
    for (const header of Object.keys(documented!.headers ?? {})) expect(res.headers.has(header), `${label}: documented header ${header} is missing`).toBe(true);
    const type = baseType(res.headers.get('content-type'));
    const content = documented!.content ?? {};
    if (Object.keys(content).length === 0) {
      expect(text, `${label}: documented without a body`).toBe('');
      return { status: res.status, headers: res.headers, body: null };
    }
    const media = Object.entries(content).find(([documentedType]) => baseType(documentedType) === type);
    expect(media, `${label}: content-type ${type} is not documented (${Object.keys(content).join(', ')})`).toBeDefined();
    const parsed = isJson(type) ? JSON.parse(text) : text;
    const validate = this.#compile(media![1].schema);
    const valid = validate(parsed);
    expect(valid, `${label}: the body does not match the documented schema: ${JSON.stringify(validate.errors, null, 1)}`).toBe(true);
    return { status: res.status, headers: res.headers, body: parsed };
  }
}
