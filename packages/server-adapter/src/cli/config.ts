import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Every option of `volcanion-tracking serve`: flag, environment variable, default. */
export const serveOptions = {
  port: { flag: '--port', env: 'PORT', default: '3000', help: 'port to listen on' },
  host: { flag: '--host', env: 'HOST', default: '127.0.0.1', help: 'interface to listen on' },
  databaseUrl: {
    flag: '--database-url',
    env: 'DATABASE_URL',
    default: undefined,
    help: 'a postgres:// URL selects PostgreSQL; unset selects embedded PGlite',
  },
  dataDir: { flag: '--data-dir', env: 'VOLCANION_DATA_DIR', default: './.volcanion/data', help: 'PGlite data directory' },
  redisUrl: {
    flag: '--redis-url',
    env: 'REDIS_URL',
    default: undefined,
    help: 'a redis:// URL: share the analytics cache and key revocations between instances',
  },
  adminToken: {
    flag: '--admin-token',
    env: 'VOLCANION_ADMIN_TOKEN',
    default: undefined,
    help: 'admin token for management routes; generated on first start when unset',
  },
} as const;

const configSchema = z.object({
  port: z.coerce.number().int('must be an integer').min(0).max(65535, 'must be a port from 0 to 65535'),
  host: z.string().min(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  dataDir: z.string().min(1),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type ServeConfig = z.infer<typeof configSchema>;

/** Reads flags over environment over defaults; a bad setting is an error naming its flag and variable. */
export function readServeConfig(argv: string[], env: NodeJS.ProcessEnv): { ok: true; config: ServeConfig } | { ok: false; message: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.values(serveOptions).map((o) => [o.flag.slice(2), { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const raw = Object.fromEntries(
    Object.entries(serveOptions).map(([key, o]) => [key, (values[o.flag.slice(2)] as string | undefined) ?? (env[o.env] || undefined) ?? o.default]),
  );
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0]!;
  const option = serveOptions[issue.path[0] as keyof typeof serveOptions];
  return { ok: false, message: `Invalid ${option.flag} / ${option.env}: ${issue.message}` };
}

/** The `--help` text. */
export function helpText(version: string): string {
  const rows = Object.values(serveOptions).map(
    (o) => `  ${`${o.flag} <value>`.padEnd(26)} ${o.help}\n  ${''.padEnd(26)} env ${o.env}${o.default ? `, default ${o.default}` : ''}`,
  );
  return [
    `volcanion-tracking ${version}`,
    '',
    'Usage: volcanion-tracking <command> [options]',
    '',
    'Commands:',
    '  serve                      start the tracking server (it also projects the read models)',
    '  project                    run only the read-model projector, until SIGTERM',
    '  rebuild                    rebuild every read model from the event log, then exit',
    '',
    'Options (serve; project and rebuild use the storage ones):',
    ...rows,
    '',
    '  --help                     show this text',
    '  --version                  show the version',
  ].join('\n');
}
