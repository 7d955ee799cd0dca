import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POSTGRES_ADMIN_URL } from '../../test/support/fresh-postgres';
import { compareBytes, jsonbText } from './jsonb-order';

// Checked against the real thing: what PostgreSQL prints and how `collate "C"` orders.
const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
beforeAll(() => client.connect());
afterAll(() => client.end());

// Text PostgreSQL can store: no U+0000, no lone surrogates.
const text = fc.string({ unit: 'grapheme', maxLength: 6 }).filter((s) => !s.includes('\u0000'));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(text, tie('value'), { maxKeys: 3 }),
  ),
})).value;

it('prints a JSON value as PostgreSQL prints it as jsonb', async () => {
  const values = fc.sample(json, { numRuns: 300, seed: 7 });
  const { rows } = await client.query<{ printed: string }>('select v::jsonb::text as printed from unnest($1::text[]) with ordinality as u(v, i) order by i', [
    values.map((v) => JSON.stringify(v)),
  ]);
  expect(values.map(jsonbText)).toEqual(rows.map((r) => r.printed));
});

it('orders text as collate "C" does', async () => {
  const texts = fc.sample(text, { numRuns: 200, seed: 11 });
  const { rows } = await client.query<{ t: string }>('select t from unnest($1::text[]) as u(t) order by t collate "C"', [texts]);
  expect([...texts].sort(compareBytes)).toEqual(rows.map((r) => r.t));
});
