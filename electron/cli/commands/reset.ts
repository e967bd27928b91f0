// `interceptor reset`: empty the registry, after writing a backup that undoes it.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../command';
import { ExitCode } from '../command';
import { confirm } from '../confirm';
import { writeError, writeJson, writeLine, writeWarning } from '../output';
import { registryFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import { InterceptorError } from '../../core/errors';

/** Whether `interceptor setup` has changed any project (its undo records sit beside the registry). */
async function clientSetupWasUsed(registryFile: string): Promise<boolean> {
  const entries = await readdir(path.join(path.dirname(registryFile), 'client-setup')).catch(() => []);
  return entries.length > 0;
}

export const resetCommand: Command = {
  name: 'reset',
  help: `Usage: interceptor reset [--yes] [--json]

Removes every mapping. The current file is first copied to
port_registry.json.backup-<timestamp> beside it (printed), so a reset can be undone by copying
that file back. Asks for confirmation on a terminal; --yes (-y) skips the question and is required
when stdin is not a terminal.`,

  async run(ctx) {
    const { values } = parseVerbArgs('reset', ctx.args, { yes: { type: 'boolean', short: 'y' } }, { max: 0, what: '' });
    const registry = registryFromContext(ctx);
    if (!values.yes) {
      if (!ctx.interactive) {
        throw new InterceptorError('INVALID_ARGUMENT', 'reset removes every mapping; not on a terminal, so pass --yes to confirm');
      }
      const view = await registry.read();
      const agreed = await confirm(
        ctx,
        `Remove all ${view.mappings.length} mapping(s) from ${registry.file}? A backup is written first. [y/N] `,
        ctx.stopSignal,
      );
      if (!agreed) {
        writeError(ctx.stderr, 'reset cancelled; nothing changed');
        return ExitCode.negative;
      }
    }
    const result = await registry.reset();
    if (ctx.globals.json) {
      writeJson(ctx.stdout, { registry: registry.file, backupPath: result.backupPath, removed: result.removed });
    } else if (result.backupPath === null) {
      writeLine(ctx.stdout, `there was no registry yet; created an empty one at ${registry.file}`);
    } else {
      writeLine(ctx.stdout, `removed ${result.removed} mapping(s)`);
      writeLine(ctx.stdout, `backup: ${result.backupPath}`);
      writeLine(ctx.stdout, `(to undo, copy the backup over ${registry.file})`);
      if (await clientSetupWasUsed(registry.file)) {
        writeWarning(ctx.stderr, 'client files written by `interceptor setup` still name the old ports; once the projects have new ones, `interceptor setup --check` lists them');
      }
    }
    return ExitCode.ok;
  },
};
