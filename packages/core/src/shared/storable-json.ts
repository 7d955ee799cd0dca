import { InvalidInputError } from './errors';

/** Deepest nesting accepted in any JSON we store; deeper input is refused by name. */
export const MAX_JSON_DEPTH = 64;

/**
 * The first place in a JSON value PostgreSQL could not store, or that is nested too deep to
 * serialize safely: text cannot hold U+0000 and jsonb refuses lone UTF-16 surrogates. Checking
 * here turns what would be a database error (or a stack overflow) into a 400 naming the field.
 */
export function findUnstorable(value: unknown, maxDepth = MAX_JSON_DEPTH): { field: string; message: string } | null {
  return walk(value, '', 0, maxDepth);
}

function walk(value: unknown, path: string, depth: number, maxDepth: number): { field: string; message: string } | null {
  if (typeof value === 'string') {
    return isStorableText(value) ? null : { field: path, message: UNSTORABLE };
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= maxDepth) return { field: path, message: `is nested deeper than ${maxDepth} levels` };
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return { field: childPath, message: UNSTORABLE };
    const found = walk(child, childPath, depth + 1, maxDepth);
    if (found) return found;
  }
  return null;
}

const UNSTORABLE = 'contains a NUL character or a lone UTF-16 surrogate, which cannot be stored';

/**
 * A 400 naming the first of `fields` whose text could never have been stored, and so can match
 * nothing stored (a filter of a query); `null` when all can be. Asked of the database, such text
 * would fail the query instead.
 */
export function unstorableFilter(fields: Record<string, string | readonly string[] | undefined>): InvalidInputError | null {
  const found = findUnstorable(fields);
  return found && InvalidInputError.field(found.field, found.message);
}

/** False for text PostgreSQL refuses: U+0000 anywhere, or a lone surrogate. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}
