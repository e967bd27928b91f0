// `interceptor remove [path | --port N]`: forget a mapping, even for a folder that no longer exists.
import path from 'node:path';
import type { Command } from '../command';
import { ExitCode } from '../command';
import { writeError, writeJson, writeLine } from '../output';
import { registryFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import { InterceptorError } from '../../core/errors';
import { parsePortText } from '../../core/registry/index';

export const removeCommand: Command = {
  name: 'remove',
  help: `Usage: interceptor remove [PATH] [--json]
       interceptor remove --port N [--json]

Removes the mapping of the project folder PATH (default: the current folder), or the mapping that
holds port N. The folder does not need to exist any more. Exits 1 when there is no such mapping.`,

  async run(ctx) {
    const { values, positionals } = parseVerbArgs(
      'remove',
      ctx.args,
      { port: { type: 'string', short: 'p' } },
      { max: 1, what: 'path' },
    );
    if (values.port !== undefined && positionals.length > 0) {
      throw new InterceptorError('INVALID_ARGUMENT', 'remove takes a path or --port, not both');
    }
    let port: number | undefined;
    if (values.port !== undefined) {
      port = parsePortText(values.port);
      if (port === undefined) {
        throw new InterceptorError('INVALID_ARGUMENT', `--port ${JSON.stringify(values.port)} is not a port number (expected a whole number from 1 to 65535)`);
      }
    }
    const registry = registryFromContext(ctx);
    const project = path.resolve(ctx.cwd, positionals[0] ?? '.');
    const removed = await registry.remove(port !== undefined ? { port } : { project });

    if (ctx.globals.json) writeJson(ctx.stdout, { removed: removed ?? null });
    if (!removed) {
      const what = port !== undefined ? `no project has port ${port}` : `no mapping for ${project}`;
      if (!ctx.globals.json) writeError(ctx.stderr, `${what} (see: interceptor list)`);
      return ExitCode.negative;
    }
    if (!ctx.globals.json) writeLine(ctx.stdout, `removed ${removed.project} (port ${removed.port})`);
    return ExitCode.ok;
  },
};
