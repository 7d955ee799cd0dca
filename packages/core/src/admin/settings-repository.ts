/** Server-wide settings kept in the write model (the admin token's hash, say). */
export interface SettingsRepository {
  /** The value, or `null`. */
  get(name: string): Promise<string | null>;
  /** Stores the value unless one is there already. @returns whether this call stored it. */
  putIfAbsent(name: string, value: string): Promise<boolean>;
}
