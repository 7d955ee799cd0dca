import type { DomainEvent } from '../shared/domain-event';
import type { KeyCredential } from './key-repository';

/**
 * Recently used credentials, so that ingesting does not cost a database lookup per request. An
 * entry lives at most `ttlMs`: a key revoked by another process stops working here within that
 * time, and at once when revoked through this process (see {@link CredentialCache.apply}). The
 * presented secret is still compared with the cached hash on every request.
 */
export class CredentialCache {
  readonly #entries = new Map<string, { credential: KeyCredential; expiresAt: number }>();

  constructor(
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  get(keyId: string, now = Date.now()): KeyCredential | undefined {
    const entry = this.#entries.get(keyId);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.credential;
    this.#entries.delete(keyId);
    return undefined;
  }

  set(keyId: string, credential: KeyCredential, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(keyId, { credential, expiresAt: now + this.ttlMs });
  }

  /** Forgets what a committed change makes stale. */
  apply(event: DomainEvent): void {
    switch (event.type) {
      case 'KeyRevoked':
        this.#entries.delete(event.keyId);
        break;
      case 'SystemUpdated':
      case 'SystemDeactivated':
        for (const [id, entry] of this.#entries) if (entry.credential.system.id === event.systemId) this.#entries.delete(id);
        break;
      case 'PartnerDeactivated':
        for (const [id, entry] of this.#entries) if (entry.credential.system.partnerId === event.partnerId) this.#entries.delete(id);
        break;
      default:
        break;
    }
  }
}
