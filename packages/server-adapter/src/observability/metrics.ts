import { lagSeconds, type Platform, type TelemetryEvent } from '@volcanion-tracking/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Options of the `/metrics` route (see `createHandler`'s `metrics`). */
export interface MetricsOptions {
  /**
   * Where the metrics are registered. Default: a registry of their own. Pass prom-client's
   * `register` to serve ours and your app's from one scrape.
   */
  registry?: Registry;
  /** Also collect process and Node.js metrics (CPU, memory, event loop, GC). Default: true with our own registry. */
  processMetrics?: boolean;
  /** Answer `/metrics` only with the admin token (`Authorization: Bearer …`). Default false. */
  requireAdminToken?: boolean;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const EVENTS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/**
 * The server's Prometheus metrics. Labels come from small fixed sets (route templates, status
 * codes, outcomes), never from users, message ids or keys, so cardinality stays bounded.
 */
export class ServerMetrics {
  readonly registry: Registry;
  readonly #requestSeconds: Histogram<'method' | 'route' | 'status_code'>;
  readonly #ingested: Counter<'outcome'>;
  readonly #commitEvents: Histogram;
  readonly #commitSeconds: Histogram<'outcome'>;
  readonly #cache: Counter<'cache' | 'result'>;
  readonly #processRegistry: Registry | null;

  constructor(platform: Platform, options: MetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    const processMetrics = options.processMetrics ?? !options.registry;
    // Process metrics are the process's, not a handler's: collected once, whatever the number of handlers.
    this.#processRegistry = processMetrics && !options.registry ? sharedProcessRegistry() : null;
    if (processMetrics && options.registry && !options.registry.getSingleMetric('process_cpu_user_seconds_total')) {
      collectDefaultMetrics({ register: options.registry });
    }
    const registry = this.registry;
    this.#requestSeconds = registered(
      registry,
      'volcanion_http_request_duration_seconds',
      () =>
        new Histogram({
            name: 'volcanion_http_request_duration_seconds',
            help: 'HTTP requests by route template, method and status code',
            labelNames: ['method', 'route', 'status_code'],
            buckets: SECONDS,
            registers,
        }),
    );
    this.#ingested = registered(
      registry,
      'volcanion_ingested_events_total',
      () =>
        new Counter({
            name: 'volcanion_ingested_events_total',
            help: 'Messages received by ingestion, by outcome: valid or flagged (both stored), deduplicated, rejected',
            labelNames: ['outcome'],
            registers,
        }),
    );
    this.#commitEvents = registered(
      registry,
      'volcanion_group_commit_batch_events',
      () =>
        new Histogram({
            name: 'volcanion_group_commit_batch_events',
            help: 'Events per group-committed transaction',
            buckets: EVENTS,
            registers,
        }),
    );
    this.#commitSeconds = registered(
      registry,
      'volcanion_group_commit_duration_seconds',
      () =>
        new Histogram({
            name: 'volcanion_group_commit_duration_seconds',
            help: 'Time to commit one group-committed transaction, by outcome',
            labelNames: ['outcome'],
            buckets: SECONDS,
            registers,
        }),
    );
    this.#cache = registered(
      registry,
      'volcanion_cache_lookups_total',
      () =>
        new Counter({
            name: 'volcanion_cache_lookups_total',
            help: 'Cache lookups by cache (answers, credentials) and result (hit, miss)',
            labelNames: ['cache', 'result'],
            registers,
        }),
    );
    registerGauges(platform, registry);
    platform.onTelemetry((event) => this.#record(event));
  }

  /** Records one answered request. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    // Some runtimes accept any method name; an unknown one must not become a new series.
    const label = KNOWN_METHODS.has(method) ? method : 'OTHER';
    this.#requestSeconds.observe({ method: label, route, status_code: String(status) }, seconds);
  }

  /** The text exposition format, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    const own = await this.registry.metrics();
    // Both registries render the same text format; their metric names never overlap.
    const body = this.#processRegistry ? `${own}\n${await this.#processRegistry.metrics()}` : own;
    return { contentType: this.registry.contentType, body };
  }

  #record(event: TelemetryEvent): void {
    switch (event.type) {
      case 'ingested':
        if (event.stored > event.flagged) this.#ingested.inc({ outcome: 'valid' }, event.stored - event.flagged);
        if (event.flagged > 0) this.#ingested.inc({ outcome: 'flagged' }, event.flagged);
        if (event.deduplicated > 0) this.#ingested.inc({ outcome: 'deduplicated' }, event.deduplicated);
        if (event.rejected > 0) this.#ingested.inc({ outcome: 'rejected' }, event.rejected);
        break;
      case 'commit':
        this.#commitEvents.observe(event.events);
        this.#commitSeconds.observe({ outcome: event.ok ? 'committed' : 'failed' }, event.seconds);
        break;
      case 'cache':
        this.#cache.inc({ cache: event.cache, result: event.hit ? 'hit' : 'miss' });
        break;
    }
  }
}

// Values read at scrape time rather than counted as they change.
function registerGauges(platform: Platform, registry: Registry): void {
  const registers = [registry];
  registered(registry, 'volcanion_group_commit_queued_events', () =>
    new Gauge({
      name: 'volcanion_group_commit_queued_events',
      help: 'Events accepted and waiting for a writer',
      registers,
      collect() {
        this.set(platform.ingestionStats().queuedRows);
      },
    }),
  );
  registered(registry, 'volcanion_group_commit_in_flight', () =>
    new Gauge({
      name: 'volcanion_group_commit_in_flight',
      help: 'Group-commit transactions in flight',
      registers,
      collect() {
        this.set(platform.ingestionStats().inFlight);
      },
    }),
  );
  registered(registry, 'volcanion_db_pool_connections', () =>
    new Gauge({
      name: 'volcanion_db_pool_connections',
      help: 'Database pool connections by state (idle, in_use, waiting for a connection: waiting, most: max)',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = platform.storage.poolStats();
        if (!pool) return;
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'in_use' }, pool.total - pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
        this.set({ state: 'max' }, pool.max);
      },
    }),
  );
  // Both lag gauges come from one status query per scrape; a failed query keeps the last values.
  let last = { events: 0, seconds: 0 };
  let reading: Promise<typeof last> | null = null;
  const readLag = () =>
    (reading ??= platform
      .projectionStatus()
      .then((status) => (last = { events: status.behindEvents, seconds: lagSeconds(status) }))
      .catch(() => last)
      .finally(() => setTimeout(() => (reading = null), 100).unref()));
  registered(registry, 'volcanion_projection_lag_events', () =>
    new Gauge({
      name: 'volcanion_projection_lag_events',
      help: 'Committed events the read models have not applied yet',
      registers,
      async collect() {
        this.set((await readLag()).events);
      },
    }),
  );
  registered(registry, 'volcanion_projection_lag_seconds', () =>
    new Gauge({
      name: 'volcanion_projection_lag_seconds',
      help: 'How long the first event not yet projected has waited (0 when caught up)',
      registers,
      async collect() {
        this.set((await readLag()).seconds);
      },
    }),
  );
}

/**
 * The metric of this name already in the registry, or a new one: handlers sharing a registry (two
 * mounts, an app's global `register`) share their metrics instead of failing to register twice.
 */
function registered<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

let processRegistry: Registry | undefined;
function sharedProcessRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
