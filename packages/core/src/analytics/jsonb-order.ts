/**
 * How PostgreSQL orders and prints what the read models return, for the answers computed in memory:
 * the memory backend must cut a `limit` through tied counts exactly where PostgreSQL does.
 */

/** Compares text by its UTF-8 bytes, as `collate "C"` does (JavaScript compares UTF-16 units). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * A JSON value's text as PostgreSQL prints jsonb: object keys shorter first, then by bytes;
 * `", "` and `": "` between items; numbers without an exponent. Also a canonical key for grouping:
 * objects equal as jsonb print the same.
 */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || compareBytes(a, b));
  return `{${keys.map((key) => `${JSON.stringify(key)}: ${jsonbText(record[key])}`).join(', ')}}`;
}

// numeric prints every digit: 1e-7 is 0.0000001, 1e21 is 1000000000000000000000.
function plainNumber(n: number): string {
  const text = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exponent] = match;
  const digits = lead! + rest;
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
