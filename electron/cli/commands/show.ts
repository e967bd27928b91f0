// `interceptor show [path]`: the port of one project and the base URL a client points at.
import { baseUrl } from '../../../shared/format';
import type { Command } from '../command';
import { InterceptorError } from '../../core/errors';
import { ExitCode } from '../command';
import { writeError, writeJson, writeLine, writeWarning } from '../output';
import { portStatus } from '../port-status';
import { registryFromContext } from '../registry-from-context';
import { settingsFromContext } from '../settings-from-context';
import { parseVerbArgs } from '../verb-args';
import { ENV, formatRange, inRange, normalizeProjectPath, portOverrideFrom } from '../../core/registry/index';
import { folderExists } from '../folder-exists';
import { IDE_PORT_STATUS_TEXT, idePortInfo } from '../ide-port-info';

export const showCommand: Command = {
  name: 'show',
  help: `Usage: interceptor show [PATH] [--json]
       interceptor show --ide [--json]

Prints the port allocated to the project folder PATH (default: the current folder), what is on it
now, and the base URL to paste into the IDE (http://127.0.0.1:<port>/v1). Exits 1 when the project
has no port yet (allocate one with: interceptor allocate, or serve it with: interceptor run).
When INTERCEPTOR_PORT is set, the output notes that processes started with it use that port instead.

--ide: the shared port instead, the one URL for every client: IDE-wide ones (JetBrains AI Assistant,
Copilot, ProxyAI, Cline) and command-line agents (Claude Code, Codex, the Continue CLI). Each of its
requests is attributed to the project it comes from: the folder the client works in (a registered
project, else its git work tree), else the IDE that sent it and its window in front;
--json then gives {"port", "url", "status": "served"|"free"|"busy"}.`,

  async run(ctx) {
    const { positionals, values } = parseVerbArgs('show', ctx.args, { ide: { type: 'boolean' } }, { max: 1, what: 'path' });
    if (values.ide) {
      if (positionals.length > 0) throw new InterceptorError('INVALID_ARGUMENT', 'show --ide takes no path: the shared port serves every project');
      const ide = await idePortInfo(ctx);
      if (ctx.globals.json) writeJson(ctx.stdout, { port: ide.port, url: ide.url, status: ide.status });
      else writeLine(ctx.stdout, `${ide.line}\n  port ${ide.port}: ${IDE_PORT_STATUS_TEXT[ide.status]}`);
      return ExitCode.ok;
    }
    const override = portOverrideFrom(ctx.env);
    const registry = registryFromContext(ctx);
    const project = await normalizeProjectPath(positionals[0] ?? '.', ctx.cwd);
    const port = await registry.lookup(project);
    const range = registry.options.range;

    if (port === undefined) {
      if (ctx.globals.json) {
        writeJson(ctx.stdout, {
          project,
          port: null,
          outOfRange: false,
          status: null,
          folderExists: await folderExists(project),
          override: override ?? null,
          baseUrl: null,
        });
      }
      else writeError(ctx.stderr, `${project} has no port yet; allocate one with: interceptor allocate ${JSON.stringify(project)}`);
      return ExitCode.negative;
    }

    const [exists, listener] = await Promise.all([folderExists(project), portStatus(port)]);
    const outOfRange = !inRange(range, port);
    // Where the proxy listens (INTERCEPTOR_HOST or the setting) decides the host a client dials.
    const url = baseUrl(port, settingsFromContext(ctx, registry.file).values.bindHost.value);
    if (ctx.globals.json) {
      writeJson(ctx.stdout, { project, port, outOfRange, status: listener.state, folderExists: exists, override: override ?? null, baseUrl: url });
      return ExitCode.ok;
    }
    const notes = [listener.state === 'served' ? 'served by Interceptor' : listener.state === 'busy' ? 'busy (another program)' : 'free'];
    if (!exists) notes.push('folder missing');
    if (outOfRange) notes.push(`outside range ${formatRange(range)}`);
    writeLine(ctx.stdout, `${project}: port ${port} (${notes.join(', ')})`);
    writeLine(ctx.stdout, `base URL: ${url}`);
    if (override !== undefined && override !== port) {
      writeWarning(ctx.stderr, `${ENV.port}=${override} is set: processes started with it use port ${override} instead`);
    }
    return ExitCode.ok;
  },
};
