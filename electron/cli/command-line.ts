// Splits the raw command line into global options (accepted anywhere), the verb, and the verb's own
// arguments (left in order, untouched, for the verb to parse strictly with parseArgs).
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { InterceptorError } from '../core/errors';
import type { GlobalOptions } from './command';

export interface CommandLine {
  globals: GlobalOptions;
  help: boolean;
  version: boolean;
  verb: string | undefined;
  args: string[];
}

const GLOBAL_OPTIONS = {
  registry: { type: 'string' },
  'port-min': { type: 'string' },
  'port-max': { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

type GlobalName = keyof typeof GLOBAL_OPTIONS;

function isGlobal(name: string): name is GlobalName {
  return Object.hasOwn(GLOBAL_OPTIONS, name);
}

function usage(message: string): InterceptorError {
  return new InterceptorError('INVALID_ARGUMENT', message);
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const { tokens } = parseArgs({
    args: [...argv],
    options: GLOBAL_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  // A short group such as `-hV` is several tokens at one index: it is ours only if every letter is.
  const foreignIndexes = new Set<number>();
  for (const token of tokens) if (token.kind === 'option' && !isGlobal(token.name)) foreignIndexes.add(token.index);

  const line: CommandLine = { globals: { json: false, debug: false }, help: false, version: false, verb: undefined, args: [] };
  const passed = new Set<number>();
  const passThrough = (index: number) => {
    if (passed.has(index)) return;
    passed.add(index);
    line.args.push(argv[index] as string);
  };

  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (line.verb === undefined) line.verb = token.value;
      else passThrough(token.index);
      continue;
    }
    if (token.kind === 'option-terminator') {
      if (line.verb !== undefined) passThrough(token.index);
      continue;
    }
    if (foreignIndexes.has(token.index)) {
      if (line.verb === undefined) {
        throw usage(`unknown option ${argv[token.index]} (command options go after the command; see interceptor --help)`);
      }
      passThrough(token.index);
      continue;
    }
    const name = token.name as GlobalName;
    if (GLOBAL_OPTIONS[name].type === 'string') {
      const value = token.value;
      if (value === undefined || (!token.inlineValue && value.startsWith('-'))) {
        throw usage(`${token.rawName} needs a value (write ${token.rawName}=VALUE if it starts with "-")`);
      }
      if (name === 'registry') line.globals.registry = value;
      else if (name === 'port-min') line.globals.portMin = value;
      else line.globals.portMax = value;
    } else {
      if (token.inlineValue) throw usage(`${token.rawName} takes no value`);
      if (name === 'json') line.globals.json = true;
      else if (name === 'debug') line.globals.debug = true;
      else if (name === 'help') line.help = true;
      else line.version = true;
    }
  }
  return line;
}
