// `interceptor where`: which files this invocation uses, after flags and environment.
import type { Command } from '../command';
import { ExitCode } from '../command';
import { writeJson, writeLine } from '../output';
import { registryOptionsFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import { formatRange, lockPathFor, settingsPathFor } from '../../core/registry/index';
import { ledgerPathFor } from '../../core/ledger/ledger-paths';

export const whereCommand: Command = {
  name: 'where',
  help: `Usage: interceptor where [--json]

Prints the registry file (--registry, else INTERCEPTOR_REGISTRY, else
~/.config/litellm/port_registry.json), the settings file and the usage database beside it, and the
port range in effect.`,

  async run(ctx) {
    parseVerbArgs('where', ctx.args, {}, { max: 0, what: '' });
    const options = registryOptionsFromContext(ctx);
    const settings = settingsPathFor(options.file);
    if (ctx.globals.json) {
      writeJson(ctx.stdout, {
        registry: options.file,
        settings,
        lock: lockPathFor(options.file),
        usage: ledgerPathFor(options.file),
        range: options.range,
        reserved: options.reserved,
      });
      return ExitCode.ok;
    }
    writeLine(ctx.stdout, `registry: ${options.file}`);
    writeLine(ctx.stdout, `settings: ${settings}`);
    writeLine(ctx.stdout, `usage:    ${ledgerPathFor(options.file)}`);
    const reserved = options.reserved.map(formatRange).join(',');
    writeLine(ctx.stdout, `range:    ${formatRange(options.range)}${reserved ? ` (reserved: ${reserved})` : ''}`);
    return ExitCode.ok;
  },
};
