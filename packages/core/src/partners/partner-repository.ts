import type { Partner } from './partner';
import type { PartnerSystem } from './partner-system';

/** Write-model access to partners. */
export interface PartnerRepository {
  /** Stores a new partner; a case-insensitive duplicate name throws a `ConflictError`. */
  insert(partner: Partner): Promise<void>;
  /** Replaces a stored partner's fields. */
  update(partner: Partner): Promise<void>;
  /** The partner, or `null`. With `forUpdate`, the row stays locked until the transaction ends. */
  findById(id: string, options?: { forUpdate?: boolean }): Promise<Partner | null>;
  /** Partners in id (creation) order, starting after `afterId`. */
  list(options: { limit: number; afterId?: string }): Promise<Partner[]>;
}

/** Write-model access to partner systems. */
export interface SystemRepository {
  /** Stores a new system; a duplicate name within its partner throws a `ConflictError`. */
  insert(system: PartnerSystem): Promise<void>;
  /** Replaces a stored system's fields. */
  update(system: PartnerSystem): Promise<void>;
  /** The system, or `null`. */
  findById(id: string): Promise<PartnerSystem | null>;
  /** Every system of a partner, oldest first. */
  listByPartner(partnerId: string): Promise<PartnerSystem[]>;
}
