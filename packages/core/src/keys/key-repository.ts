import type { PartnerSystem } from '../partners/partner-system';
import type { ApiKey } from './api-key';

/** A key with what deciding on a request needs: its system and whether the partner is active. */
export interface KeyCredential {
  key: ApiKey;
  system: PartnerSystem;
  partnerActive: boolean;
}

/** Write-model access to API keys. */
export interface KeyRepository {
  /** Stores a new key (its hash only). */
  insert(key: ApiKey): Promise<void>;
  /** Replaces a stored key's fields (to revoke it). */
  update(key: ApiKey): Promise<void>;
  /** The key, or `null`. */
  findById(id: string): Promise<ApiKey | null>;
  /** Every key of a system, oldest first, revoked ones included. */
  listBySystem(systemId: string): Promise<ApiKey[]>;
  /** The key with its system and partner state, in one lookup: the hot path of every request. */
  findCredential(id: string): Promise<KeyCredential | null>;
}
