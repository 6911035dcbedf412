import { parseArgs } from 'node:util';
import { ConfigError, ConnectionError } from '../connectors/errors.js';
import { ValidationError } from '../model/validation-error.js';
import { runCommand } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { EXIT, type CliIO, UsageError } from './io.js';
import {
  AUTH_HELP,
  DEMO_HELP,
  EMULATE_HELP,
  MAIN_HELP,
  NEW_HELP,
  RUN_HELP,
  SERVE_HELP,
  VALIDATE_HELP,
  VERSION,
} from './help.js';
import { authCommand } from './auth-command.js';
import { emulateCommand } from './emulate-command.js';
import { listTemplatesText, newCommand } from './new-command.js';
import { loadTemplates } from '../store/templates.js';
import { parsePort, serveCommand } from './serve/serve-command.js';

type Parsed = ReturnType<typeof parseArgs>;

function parse(args: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>['options']): Parsed {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // node:util's messages are precise but mention internals; keep the first sentence.
    throw new UsageError(`${(error as Error).message.split('. ')[0]}. See ferry --help.`);
  }
}

/** Entry point of `ferry`; returns the exit code. Never lets a stack trace reach the user unless FERRY_DEBUG is set. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(MAIN_HELP);
      return command === undefined ? EXIT.invalidInput : EXIT.ok;
    }
    if (command === '--version' || command === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (command === 'validate') {
      const { values, positionals } = parse(rest, {});
      if (values.help) return (void io.stdout.write(VALIDATE_HELP), EXIT.ok);
      if (positionals.length !== 1)
        throw new UsageError('ferry validate takes one argument: the workspace folder. See ferry validate --help.');
      return await validateCommand(positionals[0]!, io);
    }
    if (command === 'run') {
      const { values, positionals } = parse(rest, {
        'dry-run': { type: 'boolean' },
        since: { type: 'string' },
        json: { type: 'boolean' },
        junit: { type: 'string' },
      });
      if (values.help) return (void io.stdout.write(RUN_HELP), EXIT.ok);
      if (positionals.length !== 2)
        throw new UsageError('ferry run takes two arguments: the workspace folder and the flow. See ferry run --help.');
      return await runCommand(
        positionals[0]!,
        positionals[1]!,
        {
          dryRun: values['dry-run'] === true,
          since: values.since as string | undefined,
          json: values.json === true,
          junit: values.junit as string | undefined,
        },
        io,
      );
    }
    if (command === 'serve') {
      const { values, positionals } = parse(rest, { port: { type: 'string', short: 'p' }, demo: { type: 'boolean' } });
      if (values.help) return (void io.stdout.write(SERVE_HELP), EXIT.ok);
      if (positionals.length > 1)
        throw new UsageError('ferry serve takes at most one argument: the workspace folder. See ferry serve --help.');
      return await serveCommand(
        positionals[0],
        { port: parsePort(values.port as string | undefined), demo: values.demo === true },
        io,
      );
    }
    if (command === 'auth') {
      const { values, positionals } = parse(rest, {});
      if (values.help) return (void io.stdout.write(AUTH_HELP), EXIT.ok);
      if (positionals.length !== 2)
        throw new UsageError(
          'ferry auth takes two arguments: the workspace folder and the connection. See ferry auth --help.',
        );
      return await authCommand(positionals[0]!, positionals[1]!, io);
    }
    if (command === 'demo') {
      const { values, positionals } = parse(rest, { port: { type: 'string', short: 'p' } });
      if (values.help) return (void io.stdout.write(DEMO_HELP), EXIT.ok);
      if (positionals.length > 0) throw new UsageError('ferry demo takes no arguments. See ferry demo --help.');
      return await serveCommand(undefined, { port: parsePort(values.port as string | undefined), demo: true }, io);
    }
    if (command === 'new') {
      const { values, positionals } = parse(rest, {
        template: { type: 'string', short: 't' },
        set: { type: 'string', multiple: true },
        connection: { type: 'string', multiple: true },
        name: { type: 'string' },
        'list-templates': { type: 'boolean' },
      });
      if (values.help) return (void io.stdout.write(NEW_HELP), EXIT.ok);
      if (values['list-templates']) {
        io.stdout.write(listTemplatesText((await loadTemplates()).templates));
        return EXIT.ok;
      }
      if (positionals.length !== 1)
        throw new UsageError('ferry new takes one argument: the workspace folder. See ferry new --help.');
      return await newCommand(
        positionals[0]!,
        {
          template: values.template as string | undefined,
          set: (values.set as string[] | undefined) ?? [],
          connection: (values.connection as string[] | undefined) ?? [],
          name: values.name as string | undefined,
        },
        io,
      );
    }
    if (command === 'emulate') {
      const { values, positionals } = parse(rest, { port: { type: 'string', short: 'p' }, data: { type: 'string' } });
      if (values.help) return (void io.stdout.write(EMULATE_HELP), EXIT.ok);
      if (positionals.length !== 1)
        throw new UsageError('ferry emulate takes one argument: the system. See ferry emulate --help.');
      return await emulateCommand(
        positionals[0]!,
        { port: parsePort(values.port as string | undefined), data: values.data as string | undefined },
        io,
      );
    }
    throw new UsageError(`unknown command "${command}". See ferry --help.`);
  } catch (error) {
    return reportError(error, io);
  }
}

export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof UsageError) {
    io.stderr.write(`ferry: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ValidationError || error instanceof ConfigError) {
    io.stderr.write(`ferry: invalid input:\n${error.message.replace(/^/gm, '  ')}\n`);
    return EXIT.invalidInput;
  }
  if (error instanceof ConnectionError) {
    io.stderr.write(`ferry: connection failure: ${error.message}\n`);
    return EXIT.connectionFailure;
  }
  const detail = io.env.FERRY_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
  io.stderr.write(
    `ferry: unexpected error: ${error instanceof Error ? error.message : String(error)}${detail}\n(set FERRY_DEBUG=1 for details)\n`,
  );
  return EXIT.internal;
}
