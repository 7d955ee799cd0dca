import { z } from 'zod';
import { defaultRateLimits } from '../rate-limits/rate-limit-options';

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

/** A token bucket as `PER_SECOND:BURST` (`5000:50000`) from flags and variables, or as an object from code. */
const ratePolicy = (fallback: { perSecond: number; burst: number }) =>
  z
    .union([z.string(), z.object({ perSecond: z.number(), burst: z.number() })], 'must be PER_SECOND:BURST, such as 100:1000')
    .default(fallback)
    .transform((value, ctx) => {
      const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?):(\d+)$/.exec(value.trim()) : null;
      const policy = typeof value === 'string' ? (match ? { perSecond: Number(match[1]), burst: Number(match[2]) } : null) : value;
      const problem = !policy
        ? 'must be PER_SECOND:BURST, such as 100:1000'
        : !(policy.perSecond > 0 && policy.perSecond <= 1_000_000)
          ? 'the rate per second must be greater than 0 and at most 1000000'
          : !(Number.isInteger(policy.burst) && policy.burst >= 1 && policy.burst <= 100_000_000)
            ? 'the burst must be a whole number from 1 to 100000000'
            : null;
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return { perSecond: policy!.perSecond, burst: policy!.burst };
    });
const policyText = (p: { perSecond: number; burst: number }) => `${p.perSecond}:${p.burst}`;

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
  redisPrefix: {
    schema: z.string().min(1).max(100).default('vt:'),
    flag: '--redis-prefix',
    env: 'VOLCANION_REDIS_PREFIX',
    default: 'vt:',
    help: 'prefix of every Redis key and channel, so several deployments can share one Redis',
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
  rateLimits: {
    schema: z
      .union([z.boolean(), onOff], 'must be on or off')
      .default(true)
      .transform((v) => v === true || v === 'on'),
    flag: '--rate-limits',
    env: 'VOLCANION_RATE_LIMITS',
    default: 'on',
    help: 'token-bucket rate limits per key and per client address (on), shared through Redis when --redis-url is set, or off',
  },
  ingestRateLimit: {
    schema: ratePolicy(defaultRateLimits.ingest),
    flag: '--ingest-rate-limit',
    env: 'VOLCANION_INGEST_RATE_LIMIT',
    default: policyText(defaultRateLimits.ingest),
    help: 'events per second and burst of each write key, as PER_SECOND:BURST; systems may have their own',
  },
  apiRateLimit: {
    schema: ratePolicy(defaultRateLimits.api),
    flag: '--api-rate-limit',
    env: 'VOLCANION_API_RATE_LIMIT',
    default: policyText(defaultRateLimits.api),
    help: 'requests per second and burst of each secret key and of the admin token, as PER_SECOND:BURST',
  },
  unauthenticatedRateLimit: {
    schema: ratePolicy(defaultRateLimits.unauthenticated),
    flag: '--unauthenticated-rate-limit',
    env: 'VOLCANION_UNAUTHENTICATED_RATE_LIMIT',
    default: policyText(defaultRateLimits.unauthenticated),
    help: 'requests per second and burst of each client address without valid credentials, as PER_SECOND:BURST',
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
