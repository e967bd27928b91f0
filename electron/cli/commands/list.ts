// `interceptor list`: every mapping with what is happening on its port right now.
import type { Command } from '../command';
import { ExitCode } from '../command';
import { formatTable, writeJson, writeLine, writeWarning } from '../output';
import { mapLimited, portStatus } from '../port-status';
import { registryFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import { formatRange } from '../../core/registry/index';
import { folderExists } from '../folder-exists';
import { IDE_PORT_STATUS_TEXT, idePortInfo } from '../ide-port-info';

export type MappingStatus = 'served' | 'free' | 'busy' | 'missing';

const STATUS_TEXT: Record<MappingStatus, string> = {
  served: 'served by Interceptor',
  free: 'free',
  busy: 'busy (another program)',
  missing: 'folder missing',
};

/** Probing is I/O-bound (binds and a short HTTP request); a few at a time keeps `list` fast. */
const PROBES_IN_FLIGHT = 16;

export const listCommand: Command = {
  name: 'list',
  help: `Usage: interceptor list [--json]

Lists every project in the registry with its port and what is on that port now:
  served by Interceptor   an Interceptor answers /_interceptor/health there
  free                    nothing listens on the port
  busy (another program)  something else listens on it
  folder missing          the project folder no longer exists (see: interceptor prune)
Mappings outside the configured port range are marked and reported on stderr; they are kept.
Then the shared IDE port, for clients with one URL per IDE (AI Assistant, Copilot, ProxyAI, Cline).
--json adds "idePort": {"port", "url", "status"}.`,

  async run(ctx) {
    parseVerbArgs('list', ctx.args, {}, { max: 0, what: '' });
    const registry = registryFromContext(ctx);
    const view = await registry.read();
    for (const warning of view.warnings) writeWarning(ctx.stderr, warning);

    const rows = await mapLimited(view.mappings, PROBES_IN_FLIGHT, async (mapping) => {
      const [exists, listener] = await Promise.all([folderExists(mapping.project), portStatus(mapping.port)]);
      const status: MappingStatus = listener.state === 'served' ? 'served' : !exists ? 'missing' : listener.state;
      return { ...mapping, status, folderExists: exists, servedBy: listener.health?.project.path ?? null };
    });

    if (ctx.globals.json) {
      writeJson(ctx.stdout, {
        registry: view.file,
        exists: view.exists,
        range: view.range,
        readOnly: view.readOnly,
        readOnlyReason: view.readOnlyReason,
        warnings: view.warnings,
        mappings: rows.map(({ project, port, status, outOfRange, reserved, folderExists: exists, servedBy }) => ({
          project,
          port,
          status,
          outOfRange,
          reserved,
          folderExists: exists,
          servedBy,
        })),
        idePort: await idePortInfo(ctx).then(({ port, url, status }) => ({ port, url, status })),
      });
      return ExitCode.ok;
    }

    const ide = await idePortInfo(ctx);
    const ideLine = `${ide.line} (${IDE_PORT_STATUS_TEXT[ide.status]})`;
    if (rows.length === 0) {
      writeLine(ctx.stdout, `No project has a port yet (registry: ${view.file}).`);
      writeLine(ctx.stdout, ideLine);
      return ExitCode.ok;
    }
    const table = rows.map((row) => {
      let status = STATUS_TEXT[row.status];
      if (row.status === 'served' && row.servedBy !== null && row.servedBy !== row.project) status += ` for ${row.servedBy}`;
      if (row.outOfRange) status += `, outside range ${formatRange(view.range)}`;
      if (row.reserved) status += ', reserved port';
      return [row.project, String(row.port), status];
    });
    writeLine(ctx.stdout, formatTable(['PROJECT', 'PORT', 'STATUS'], table));
    writeLine(ctx.stdout, ideLine);
    return ExitCode.ok;
  },
};
