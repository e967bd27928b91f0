// The whole command line, from argv to exit code, with no process globals: the entry point passes
// the real process in, tests can pass their own streams.
import { isInterceptorError } from '../core/errors';
import { reclaimShutdownSignals } from '../core/graceful-signals';
import { INTERCEPTOR_VERSION } from '../core/version';
import type { CliContext, CliIo } from './command';
import { ExitCode } from './command';
import { parseCommandLine } from './command-line';
import { exitCodeFor } from './exit-codes';
import { mainHelp } from './help-text';
import { writeError, writeJson, writeLine } from './output';
import { VERBS, findVerb } from './verbs';

export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stopSignal: AbortSignal;
}

function describeFailure(error: unknown): string {
  if (isInterceptorError(error)) return error.message;
  return `unexpected error: ${(error as Error)?.message ?? String(error)} (run with --debug for details)`;
}

function stackOf(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    lines.push(depth === 0 ? String((current as Error)?.stack ?? current) : `caused by: ${String((current as Error)?.stack ?? current)}`);
    current = (current as { cause?: unknown })?.cause;
  }
  return lines.join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo, environment: CliEnvironment): Promise<number> {
  let json = argv.includes('--json');
  let debug = argv.includes('--debug');
  try {
    const line = parseCommandLine(argv);
    json = line.globals.json;
    debug = line.globals.debug;

    if (line.version) {
      if (json) writeJson(io.stdout, { version: INTERCEPTOR_VERSION });
      else writeLine(io.stdout, `interceptor ${INTERCEPTOR_VERSION}`);
      return ExitCode.ok;
    }

    let verbName = line.verb;
    let args = line.args;
    if (verbName === 'help') {
      // `interceptor help [command]` is `--help` spelled as a word.
      verbName = args[0];
      args = [];
      if (verbName === undefined) {
        writeLine(io.stdout, mainHelp(VERBS));
        return ExitCode.ok;
      }
      line.help = true;
    }
    if (verbName === undefined) {
      if (line.help) {
        writeLine(io.stdout, mainHelp(VERBS));
        return ExitCode.ok;
      }
      writeLine(io.stderr, mainHelp(VERBS));
      const message = 'no command given (see the list above)';
      if (json) writeJson(io.stdout, { error: { code: 'INVALID_ARGUMENT', message } });
      writeError(io.stderr, message);
      return ExitCode.usage;
    }

    const entry = findVerb(verbName);
    if (!entry) {
      const message = `unknown command ${JSON.stringify(verbName)} (commands: ${VERBS.map((v) => v.name).join(', ')})`;
      if (json) writeJson(io.stdout, { error: { code: 'INVALID_ARGUMENT', message } });
      writeError(io.stderr, message);
      return ExitCode.usage;
    }
    const verb = await entry.load();
    // The verb's modules may have hooked SIGINT/SIGTERM on import (conf's when-exit): take them back.
    reclaimShutdownSignals();
    if (line.help) {
      writeLine(io.stdout, verb.help);
      return ExitCode.ok;
    }

    const ctx: CliContext = { ...io, args, globals: line.globals, env: environment.env, cwd: environment.cwd, stopSignal: environment.stopSignal };
    return await verb.run(ctx);
  } catch (error) {
    const message = describeFailure(error);
    if (json) writeJson(io.stdout, { error: { code: isInterceptorError(error) ? error.code : 'INTERNAL', message } });
    writeError(io.stderr, message);
    if (debug) writeLine(io.stderr, stackOf(error));
    return exitCodeFor(error);
  }
}
