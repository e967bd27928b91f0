// `interceptor allocate [path]`: give a project its port (or tell the one it has).
import { stat } from 'node:fs/promises';
import type { Command } from '../command';
import { ExitCode } from '../command';
import { writeJson, writeLine } from '../output';
import { registryFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import { InterceptorError } from '../../core/errors';
import { normalizeProjectPath } from '../../core/registry/index';
import { warnStaleClientFiles } from '../stale-client-files';

async function requireFolder(project: string): Promise<void> {
  const info = await stat(project).catch(() => undefined);
  if (!info) throw new InterceptorError('INVALID_ARGUMENT', `no such folder: ${project}`);
  if (!info.isDirectory()) throw new InterceptorError('INVALID_ARGUMENT', `not a folder: ${project} (a project is a folder)`);
}

export const allocateCommand: Command = {
  name: 'allocate',
  help: `Usage: interceptor allocate [PATH] [--json]

Allocates a port for the project folder PATH (default: the current folder), or prints the one it
already has. New ports come from the configured range (--port-min/--port-max,
INTERCEPTOR_PORT_MIN/INTERCEPTOR_PORT_MAX, default 8888-9999), scanning from the registry's
next_available, skipping ports already mapped, reserved (INTERCEPTOR_RESERVED_PORTS) or in use.
The folder must exist.`,

  async run(ctx) {
    const { positionals } = parseVerbArgs('allocate', ctx.args, {}, { max: 1, what: 'path' });
    const registry = registryFromContext(ctx);
    const project = await normalizeProjectPath(positionals[0] ?? '.', ctx.cwd);
    await requireFolder(project);
    const result = await registry.allocate(project);
    if (ctx.globals.json) writeJson(ctx.stdout, result);
    else if (result.created) writeLine(ctx.stdout, `${result.project}: allocated port ${result.port}`);
    else writeLine(ctx.stdout, `${result.project}: already has port ${result.port}`);
    if (result.created) await warnStaleClientFiles(ctx, result.project, result.port);
    return ExitCode.ok;
  },
};
