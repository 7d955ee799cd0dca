/** How concurrent ingestion requests are coalesced into transactions. */
export interface GroupCommitOptions {
  /** Most events in one transaction. Default 5,000. */
  maxRows?: number;
  /** Most request bytes in one transaction. Default 8 MB. */
  maxBytes?: number;
  /**
   * How long a lone request may wait for others to share its transaction, in ms. Default 0: a free
   * writer commits at once, and requests arriving while writers are busy batch up naturally.
   */
  maxWaitMs?: number;
  /** Most events waiting for a writer; beyond it requests fail with `OverloadedError` (503). Default 100,000. */
  maxQueuedRows?: number;
  /** Transactions in flight at once. Default 4 (PostgreSQL) or 1 (PGlite, memory). */
  concurrency?: number;
}
