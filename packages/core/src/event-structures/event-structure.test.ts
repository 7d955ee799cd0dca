import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../shared/errors';
import { compileSchema } from './compile-schema';
import { defineEventStructure, type EventStructure } from './event-structure';

const t0 = new Date('2024-01-01T00:00:00.000Z');
const t1 = new Date('2024-02-01T00:00:00.000Z');

const orderSchema = {
  type: 'object',
  properties: { orderId: { type: 'string' }, price: { type: 'number', minimum: 0 } },
  required: ['orderId', 'price'],
};

/** Defines `schema` as the first version and returns it. */
function firstVersion(schema: Record<string, unknown> = orderSchema, required = false): EventStructure {
  const result = defineEventStructure('sys-1', 'Order Completed', null, { schema, required }, t0);
  if (!result.ok) throw result.error;
  return result.value.value;
}

function fieldsOf(result: { ok: true } | { ok: false; error: unknown }): string[] {
  if (result.ok) throw new Error('expected the definition to be rejected');
  expect(result.error).toBeInstanceOf(InvalidInputError);
  return (result.error as InvalidInputError).issues.map((i) => i.field);
}

describe('defineEventStructure', () => {
  it('creates version 1 on the first definition and raises EventStructureDefined', () => {
    const result = defineEventStructure('sys-1', 'Order Completed', null, { schema: orderSchema }, t0);
    expect(result).toEqual({
      ok: true,
      value: {
        value: { systemId: 'sys-1', eventName: 'Order Completed', version: 1, schema: orderSchema, required: false, createdAt: t0 },
        events: [{ type: 'EventStructureDefined', systemId: 'sys-1', eventName: 'Order Completed', version: 1, occurredAt: t0 }],
        created: true,
        changed: true,
      },
    });
  });

  it('creates version 2 when the schema changes', () => {
    const current = firstVersion();
    const schema = { ...orderSchema, required: ['orderId'] };
    const result = defineEventStructure('sys-1', 'Order Completed', current, { schema }, t1);
    expect(result.ok && result.value).toMatchObject({
      value: { version: 2, schema, createdAt: t1 },
      events: [{ type: 'EventStructureDefined', version: 2, occurredAt: t1 }],
      created: false,
      changed: true,
    });
  });

  it('creates a new version when only the required flag changes', () => {
    const result = defineEventStructure('sys-1', 'Order Completed', firstVersion(), { schema: orderSchema, required: true }, t1);
    expect(result.ok && result.value.value).toMatchObject({ version: 2, required: true });
  });

  it('is a no-op for the same schema with its keys in another order', () => {
    const current = firstVersion();
    const reordered = {
      required: ['orderId', 'price'],
      properties: { price: { minimum: 0, type: 'number' }, orderId: { type: 'string' } },
      type: 'object',
    };
    const result = defineEventStructure('sys-1', 'Order Completed', current, { schema: reordered }, t1);
    expect(result.ok && result.value).toEqual({ value: current, events: [], created: false, changed: false });
  });

  it('keeps the current required flag when the input omits it', () => {
    const current = firstVersion(orderSchema, true);
    const same = defineEventStructure('sys-1', 'Order Completed', current, { schema: orderSchema }, t1);
    expect(same.ok && same.value.changed).toBe(false);

    const changed = defineEventStructure('sys-1', 'Order Completed', current, { schema: { type: 'object' } }, t1);
    expect(changed.ok && changed.value.value).toMatchObject({ version: 2, required: true });
  });

  it('rejects an invalid JSON Schema, naming `schema`', () => {
    const result = defineEventStructure('sys-1', 'Order Completed', null, { schema: { type: 'nope' } }, t0);
    expect(fieldsOf(result)).toEqual(['schema']);
  });

  it.each([
    ['a schema that is not an object', { schema: 'object' }, 'schema'],
    ['a missing schema', {}, 'schema'],
    ['a required flag that is not a boolean', { schema: orderSchema, required: 'yes' }, 'required'],
  ])('rejects %s, naming the field', (_label, input, field) => {
    expect(fieldsOf(defineEventStructure('sys-1', 'Order Completed', null, input, t0))).toEqual([field]);
  });

  it('rejects an empty or over-long event name, naming `eventName`', () => {
    expect(fieldsOf(defineEventStructure('sys-1', '', null, { schema: orderSchema }, t0))).toEqual(['eventName']);
    expect(fieldsOf(defineEventStructure('sys-1', 'x'.repeat(201), null, { schema: orderSchema }, t0))).toEqual(['eventName']);
  });

  it('accepts a schema with an $id defined again, as a new version', () => {
    const schema = { $id: 'https://schemas.example/order.json', type: 'object' };
    const current = firstVersion(schema);
    const result = defineEventStructure('sys-1', 'Order Completed', current, { schema: { ...schema, required: ['orderId'] } }, t1);
    expect(result.ok && result.value.value.version).toBe(2);
  });
});

describe('compileSchema', () => {
  it('compiles the same $id twice', () => {
    const schema = { $id: 'https://schemas.example/order.json', type: 'object' };
    expect(compileSchema(schema).ok).toBe(true);
    expect(compileSchema(schema).ok).toBe(true);
  });

  it('reports why a schema is invalid', () => {
    const compiled = compileSchema({ type: 'nope' });
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.error).toMatch(/^is not a valid JSON Schema: /);
  });

  it('returns no violations for valid properties', () => {
    const compiled = compileSchema(orderSchema);
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.validate({ orderId: 'o-1', price: 9.5 })).toEqual([]);
  });

  it('locates every violation by a JSON Pointer under /properties', () => {
    const compiled = compileSchema(orderSchema);
    if (!compiled.ok) throw new Error(compiled.error);
    const violations = compiled.validate({ orderId: 42, price: -1 });
    expect(violations.map((v) => v.path).sort()).toEqual(['/properties/orderId', '/properties/price']);
    for (const v of violations) expect(v.message).not.toBe('');
  });

  it('points a missing required property at /properties', () => {
    const compiled = compileSchema(orderSchema);
    if (!compiled.ok) throw new Error(compiled.error);
    const violations = compiled.validate({ orderId: 'o-1' });
    expect(violations).toHaveLength(1);
    expect(violations[0]?.path).toBe('/properties');
    expect(violations[0]?.message).toContain('price');
  });

  it('points into nested objects and arrays', () => {
    const compiled = compileSchema({
      type: 'object',
      properties: { items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } } },
    });
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.validate({ items: [{ sku: 'a' }, { sku: 7 }] }).map((v) => v.path)).toEqual(['/properties/items/1/sku']);
  });
});
