// `interceptor prune`: drop mappings whose project folders are gone.
import type { Command } from '../command';
import { ExitCode } from '../command';
import { writeJson, writeLine } from '../output';
import { registryFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';

export const pruneCommand: Command = {
  name: 'prune',
  help: `Usage: interceptor prune [--dry-run] [--json]

Removes every mapping whose project folder no longer exists. With --dry-run (-n), only lists what
would be removed. A folder that cannot be checked (no permission) is kept.`,

  async run(ctx) {
    const { values } = parseVerbArgs('prune', ctx.args, { 'dry-run': { type: 'boolean', short: 'n' } }, { max: 0, what: '' });
    const dryRun = values['dry-run'] === true;
    const registry = registryFromContext(ctx);
    const mappings = await registry.prune({ dryRun });
    if (ctx.globals.json) {
      writeJson(ctx.stdout, { dryRun, mappings });
      return ExitCode.ok;
    }
    if (mappings.length === 0) {
      writeLine(ctx.stdout, 'no mapping points at a missing folder');
      return ExitCode.ok;
    }
    for (const { project, port } of mappings) writeLine(ctx.stdout, `${dryRun ? 'would remove' : 'removed'} ${project} (port ${port})`);
    return ExitCode.ok;
  },
};
