import { z } from 'zod';

/** One setting of the standalone server: its schema, CLI flag, environment variable and help line. */
interface SettingSpec {
  schema: z.ZodType;
  flag: `--${string}`;
  env: string;
  help: string;
  /** Shown in `--help`; the schema applies it. */
  default?: string;
}

const onOff = z.enum(['on', 'off'], 'must be on or off');
const milliseconds = (max: number) => z.coerce.number().int('must be a whole number of milliseconds').min(0).max(max);

/**
 * Every setting of `volcanion-tracking` and `startServer()`: one zod schema each, so flags,
 * environment variables and code are validated alike, and `--help` is generated from this list.
 */
export const serverSettingSpecs = {
  port: {
    schema: z.coerce.number().int('must be an integer').min(0).max(65535, 'must be a port from 0 to 65535').default(3000),
    flag: '--port',
    env: 'PORT',
    default: '3000',
    help: 'port to listen on (0 picks a free one)',
  },
  host: { schema: z.string().min(1).default('127.0.0.1'), flag: '--host', env: 'HOST', default: '127.0.0.1', help: 'interface to listen on' },
  databaseUrl: {
    schema: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
    flag: '--database-url',
    env: 'DATABASE_URL',
    help: 'a postgres:// URL selects PostgreSQL; unset selects embedded PGlite',
  },
  dataDir: {
    schema: z.string().min(1).default('./.volcanion/data'),
    flag: '--data-dir',
    env: 'VOLCANION_DATA_DIR',
    default: './.volcanion/data',
    help: 'PGlite data directory (one process at a time)',
  },
  redisUrl: {
    schema: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
    flag: '--redis-url',
    env: 'REDIS_URL',
    help: 'a redis:// URL: share the analytics cache and key revocations between instances',
  },
  adminToken: {
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
    flag: '--admin-token',
    env: 'VOLCANION_ADMIN_TOKEN',
    help: 'admin token for management routes; generated on first start when unset',
  },
  logLevel: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    flag: '--log-level',
    env: 'LOG_LEVEL',
    default: 'info',
    help: 'fatal, error, warn, info (one line per request), debug (also probes and scrapes), trace or silent',
  },
  logFormat: {
    schema: z.enum(['auto', 'json', 'pretty']).default('auto'),
    flag: '--log-format',
    env: 'VOLCANION_LOG_FORMAT',
    default: 'auto',
    help: 'json (one object per line), pretty, or auto: pretty when stdout is a terminal',
  },
  metrics: {
    schema: z.enum(['public', 'admin', 'off']).default('public'),
    flag: '--metrics',
    env: 'VOLCANION_METRICS',
    default: 'public',
    help: 'GET /metrics for Prometheus: public, admin (needs the admin token) or off',
  },
  docs: {
    schema: z
      .union([z.boolean(), onOff])
      .default(true)
      .transform((v) => v === true || v === 'on'),
    flag: '--docs',
    env: 'VOLCANION_DOCS',
    default: 'on',
    help: 'GET /docs, the browsable API reference (on) or not (off); GET /openapi.json is always served',
  },
  trustProxy: {
    schema: z.coerce.number().int('must be a number of proxies').min(0).max(10).default(0),
    flag: '--trust-proxy',
    env: 'VOLCANION_TRUST_PROXY',
    default: '0',
    help: 'how many proxies in front of the server to trust for X-Forwarded-For/-Proto/-Host',
  },
  maxSystemsPerPartner: {
    schema: z.coerce.number().int().min(1).max(10_000).default(10),
    flag: '--max-systems-per-partner',
    env: 'VOLCANION_MAX_SYSTEMS_PER_PARTNER',
    default: '10',
    help: 'active systems one partner may have',
  },
  projector: {
    schema: z
      .union([z.boolean(), onOff])
      .default(true)
      .transform((v) => v === true || v === 'on'),
    flag: '--projector',
    env: 'VOLCANION_PROJECTOR',
    default: 'on',
    help: 'project the read models in this process (on) or leave it to `volcanion-tracking project` (off)',
  },
  shutdownDelayMs: {
    schema: milliseconds(600_000).default(0),
    flag: '--shutdown-delay',
    env: 'VOLCANION_SHUTDOWN_DELAY_MS',
    default: '0',
    help: 'on SIGTERM, report not ready for this long before refusing connections (load balancers)',
  },
  shutdownTimeoutMs: {
    schema: milliseconds(600_000).default(30_000),
    flag: '--shutdown-timeout',
    env: 'VOLCANION_SHUTDOWN_TIMEOUT_MS',
    default: '30000',
    help: 'most time in-flight requests get to finish on shutdown before their connections are cut',
  },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof serverSettingSpecs;

/** The schema of every setting together. */
export const serverSettingsSchema = z.object(
  Object.fromEntries(Object.entries(serverSettingSpecs).map(([name, spec]) => [name, spec.schema])) as {
    [K in SettingName]: (typeof serverSettingSpecs)[K]['schema'];
  },
);

/** Settings as code passes them to `startServer()` (numbers may be strings, defaults may be left out). */
export type ServerSettingsInput = z.input<typeof serverSettingsSchema>;
/** Settings with their defaults applied. */
export type ServerSettings = z.output<typeof serverSettingsSchema>;

/** A setting that does not parse; the message names its flag and environment variable. */
export class InvalidSettingError extends Error {
  constructor(
    readonly setting: SettingName,
    reason: string,
  ) {
    const spec = serverSettingSpecs[setting];
    super(`Invalid ${spec.flag} / ${spec.env} (${setting}): ${reason}`);
    this.name = 'InvalidSettingError';
  }
}

/** Validates settings from any source; throws {@link InvalidSettingError} naming the first bad one. */
export function parseServerSettings(input: Record<string, unknown>): ServerSettings {
  const parsed = serverSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InvalidSettingError(issue.path[0] as SettingName, issue.message);
}
