import { ConflictError } from '../../shared/errors';

/**
 * Runs a write and turns PostgreSQL's unique violation (23505) on a known constraint into a
 * `ConflictError` naming the field; other errors pass through untouched.
 */
export async function conflictOnDuplicate<T>(
  write: () => Promise<T>,
  conflicts: Record<string, { field: string; message: string }>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const pgError = error as { code?: string; constraint?: string };
    const known = pgError.code === '23505' && pgError.constraint ? conflicts[pgError.constraint] : undefined;
    if (known) throw new ConflictError(known.message, known.field);
    throw error;
  }
}
