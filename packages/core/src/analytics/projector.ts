import type { Storage } from '../storage/storage';

/** Options of {@link Projector}. */
export interface ProjectorOptions {
  /**
   * Most events applied per transaction (a batch also stops after 8 MB of stored properties).
   * Default 20,000 on PostgreSQL, where a person's rows are then rewritten once per 20,000 events
   * (16 % faster catch-up than 5,000); 5,000 on PGlite, whose one connection ingestion waits for
   * while a batch runs (~0.6 s a batch; the projector yields to the event loop between batches).
   */
  batchSize?: number;
  /** Pause when caught up, in ms. Default 200. */
  idleMs?: number;
  /** How often a standby process tries to take over the lease, in ms. Default 2,000. */
  standbyMs?: number;
  /** Called with errors of a batch; the projector retries after `idleMs`. */
  onError?: (error: unknown) => void;
  /**
   * Called when this process takes the lease and starts projecting (`true`), and when it finds
   * another process holding it and waits on standby (`false`, once per wait), so logs say which
   * process projects.
   */
  onLease?: (holding: boolean) => void;
}

/**
 * The background process that keeps the read models in step with the event log. Across processes
 * at most one projects at a time (the storage's lease); the others wait on standby and take over
 * if it goes away. Stopping waits for the batch in progress, so it stops at a checkpoint.
 */
export class Projector {
  readonly #storage: Storage;
  readonly #batchSize: number;
  readonly #idleMs: number;
  readonly #standbyMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #onLease: (holding: boolean) => void;
  #reportedStandby = false;
  #running: Promise<void> | null = null;
  #stopped = false;
  #wake: (() => void) | null = null;
  #active = false;

  constructor(storage: Storage, options: ProjectorOptions = {}) {
    this.#storage = storage;
    this.#batchSize = options.batchSize ?? (storage.kind === 'postgres' ? 20_000 : 5_000);
    this.#idleMs = options.idleMs ?? 200;
    this.#standbyMs = options.standbyMs ?? 2000;
    this.#onError = options.onError ?? (() => {});
    this.#onLease = options.onLease ?? (() => {});
  }

  /** True while this process holds the lease and projects. */
  get active(): boolean {
    return this.#active;
  }

  /** Starts projecting in the background. */
  start(): void {
    this.#stopped = false;
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
  }

  /** Stops after the batch in progress has committed, and releases the lease. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
  }

  /** Applies everything committed so far, in this call; for `rebuild` and tests. @returns events applied. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const applied = await this.#storage.projection.projectBatch(this.#batchSize);
      total += applied;
      if (applied === 0) return total;
      await betweenBatches();
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const ran = await this.#storage.projection
        .exclusively(async () => {
          this.#active = true;
          this.#reportedStandby = false;
          this.#onLease(true);
          try {
            await this.#projectUntilStopped();
          } finally {
            this.#active = false;
          }
          return true;
        })
        .catch((error: unknown) => {
          this.#onError(error);
          return false;
        });
      if (ran === null && !this.#reportedStandby) {
        this.#reportedStandby = true;
        this.#onLease(false);
      }
      if (ran !== true) await this.#sleep(ran === null ? this.#standbyMs : this.#idleMs);
    }
  }

  async #projectUntilStopped(): Promise<void> {
    while (!this.#stopped) {
      let applied = 0;
      try {
        applied = await this.#storage.projection.projectBatch(this.#batchSize);
      } catch (error) {
        this.#onError(error);
      }
      if (applied === 0) await this.#sleep(this.#idleMs);
      else await betweenBatches();
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.#wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

/**
 * Lets timers and I/O run before the next batch. PGlite runs in this thread and answers without
 * waiting on a socket, so batch after batch would otherwise be one unbroken chain of promise
 * callbacks: through a whole backlog the server accepted no request and fired no timer (30,000
 * events: 2.8 s without a single tick of a 10 ms interval).
 */
function betweenBatches(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
