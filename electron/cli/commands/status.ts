// `interceptor status`: what the running Interceptor (tray app or serve) serves, asked over its
// dashboard API, or that none runs.
import type { LiteLlmInfo, ProjectState } from '../../../shared/api';
import { clientTagsWarning } from '../../core/litellm/litellm-version';
import type { Command } from '../command';
import { ExitCode } from '../command';
import { findRunningInstance } from '../instance-client';
import { formatTable, writeJson, writeLine } from '../output';
import { registryOptionsFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';

function describeState(p: ProjectState): string {
  if (p.status === 'error' && p.error) return `error: ${p.error.message}`;
  return p.status;
}

function describeLiteLlm(litellm: LiteLlmInfo | undefined): string {
  if (!litellm?.version) return 'LiteLLM: version not known yet (it is read from the first answer LiteLLM sends through a proxy)';
  const line = `LiteLLM: ${litellm.version}`;
  return litellm.dropsClientTags ? `${line} — ${clientTagsWarning(litellm.version) ?? ''}` : line;
}

export const statusCommand: Command = {
  name: 'status',
  help: `Usage: interceptor status [--json]

Asks the running Interceptor (the tray app or interceptor serve) for its projects and their state.
Exits 1 when no Interceptor runs for this registry folder.

--json: {"running": false} or {"running": true, "pid", "version", "litellm", "dashboard", "projects": [...]}
where litellm is {"version": the LiteLLM version its answers name (null until one did), "dropsClientTags"}
where projects are the app's ProjectState objects (project, name, port, status, error?, sources,
stats, upstream).`,

  async run(ctx) {
    parseVerbArgs('status', ctx.args, {}, { max: 0, what: '' });
    const { file } = registryOptionsFromContext(ctx);
    const instance = await findRunningInstance(file);
    if (!instance) {
      if (ctx.globals.json) writeJson(ctx.stdout, { running: false });
      else writeLine(ctx.stdout, 'Interceptor is not running (start it with: npm start, or interceptor serve)');
      return ExitCode.negative;
    }
    const snapshot = await instance.call('getSnapshot');
    const dashboard = snapshot.dashboardUrl ?? null;
    if (ctx.globals.json) {
      writeJson(ctx.stdout, {
        running: true,
        pid: instance.info.pid,
        version: snapshot.version,
        litellm: snapshot.litellm ?? { version: null, dropsClientTags: false },
        dashboard,
        projects: snapshot.projects,
      });
      return ExitCode.ok;
    }
    const running = snapshot.projects.filter((p) => p.status === 'running').length;
    writeLine(ctx.stdout, `Interceptor ${snapshot.version} is running (pid ${instance.info.pid}), serving ${running} project(s)`);
    writeLine(ctx.stdout, describeLiteLlm(snapshot.litellm));
    if (dashboard) writeLine(ctx.stdout, `dashboard: ${dashboard} (the full URL with its token was printed at start)`);
    if (snapshot.projects.length > 0) {
      const rows = snapshot.projects.map((p) => [p.name, p.port === null ? '-' : String(p.port), describeState(p), String(p.stats.requests), p.project]);
      writeLine(ctx.stdout, formatTable(['NAME', 'PORT', 'STATE', 'REQUESTS', 'PROJECT'], rows));
    }
    return ExitCode.ok;
  },
};
