// Strict parsing of one verb's own arguments, with usage errors that name the verb.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { InterceptorError, systemErrorCode } from '../core/errors';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What a verb gets back: single-valued options only (no verb needs `multiple`). */
export interface VerbArgs<T extends OptionsConfig> {
  values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

export function parseVerbArgs<T extends OptionsConfig>(
  verb: string,
  args: string[],
  options: T,
  positionals: { max: number; what: string },
): VerbArgs<T> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = systemErrorCode(error);
    const message = (error as Error).message;
    // Node quotes the option as '--force' or '-p, --port <value>': name it by its long form.
    const quotedText = /'([^']+)'/.exec(message)?.[1] ?? '';
    const quoted = /--[a-z][\w-]*/i.exec(quotedText)?.[0] ?? quotedText.split(' ')[0];
    let detail = message.split('. ')[0] ?? message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) detail = `unknown option ${quoted}`;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted) detail = `${quoted} needs a value`;
    throw new InterceptorError('INVALID_ARGUMENT', `${verb}: ${detail} (see interceptor ${verb} --help)`);
  }
  if (parsed.positionals.length > positionals.max) {
    const extra = parsed.positionals.slice(positionals.max).map((p) => JSON.stringify(p)).join(' ');
    const allowed = positionals.max === 0 ? 'takes no arguments' : `takes at most ${positionals.max} ${positionals.what}`;
    throw new InterceptorError('INVALID_ARGUMENT', `${verb} ${allowed}; unexpected ${extra}`);
  }
  return { values: parsed.values as VerbArgs<T>['values'], positionals: parsed.positionals };
}
