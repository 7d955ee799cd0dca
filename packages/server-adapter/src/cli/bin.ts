import { helpText, readServeConfig } from './config';
import { project, rebuild } from './project';
import { serve } from './serve';

declare const __VERSION__: string;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${__VERSION__}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help')) {
    process.stdout.write(`${helpText(__VERSION__)}\n`);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'serve' && command !== 'project' && command !== 'rebuild') {
    process.stderr.write(`volcanion-tracking: unknown command ${JSON.stringify(command)}\n\n${helpText(__VERSION__)}\n`);
    return 1;
  }
  const read = readServeConfig(rest, process.env);
  if (!read.ok) {
    process.stderr.write(`volcanion-tracking: ${read.message}\n`);
    return 1;
  }
  if (command === 'project') return project(read.config);
  if (command === 'rebuild') return rebuild(read.config);
  return serve(read.config);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`volcanion-tracking: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
