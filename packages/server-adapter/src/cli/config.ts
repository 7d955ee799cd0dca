import { parseArgs } from 'node:util';
import { InvalidSettingError, parseServerSettings, serverSettingSpecs, type ServerSettings } from '../config/server-settings';

/** Reads flags over environment over defaults; a bad setting is an error naming its flag and variable. */
export function readServeConfig(argv: string[], env: NodeJS.ProcessEnv): { ok: true; config: ServerSettings } | { ok: false; message: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.values(serverSettingSpecs).map((o) => [o.flag.slice(2), { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const raw = Object.fromEntries(
    Object.entries(serverSettingSpecs).map(([key, o]) => [key, (values[o.flag.slice(2)] as string | undefined) ?? (env[o.env] || undefined)]),
  );
  try {
    return { ok: true, config: parseServerSettings(raw) };
  } catch (error) {
    if (error instanceof InvalidSettingError) return { ok: false, message: error.message };
    throw error;
  }
}

/** The `--help` text, listing every setting with its flag, variable and default. */
export function helpText(version: string): string {
  const rows = Object.values(serverSettingSpecs).map(
    (o) =>
      `  ${`${o.flag} <value>`.padEnd(30)} ${o.help}\n  ${''.padEnd(30)} env ${o.env}${'default' in o ? `, default ${o.default}` : ''}`,
  );
  return [
    `volcanion-tracking ${version}`,
    '',
    'Usage: volcanion-tracking <command> [options]',
    '',
    'Commands:',
    '  serve                          start the tracking server (it also projects the read models)',
    '  project                        run only the read-model projector, until SIGTERM',
    '  rebuild                        rebuild every read model from the event log, then exit',
    '',
    'Options (serve; project and rebuild use the storage and log ones). Flags win over variables:',
    ...rows,
    '',
    '  --help                         show this text',
    '  --version                      show the version',
  ].join('\n');
}
