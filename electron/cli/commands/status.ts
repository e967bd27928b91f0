// `interceptor status`: what the running Interceptor (tray app or serve) serves, asked over its
// dashboard API, and what serves the current folder's project — that Interceptor, or an
// `interceptor run` in some terminal — or that nothing runs.
import type { LiteLlmInfo, ProjectState } from '../../../shared/api';
import { baseUrl } from '../../../shared/format';
import { findPortHolder } from '../../core/net/port-holder';
import { normalizeProjectPath, portOverrideFrom, type PortRegistry } from '../../core/registry/index';
import type { CliContext, Command } from '../command';
import { clientTagsWarning } from '../../core/litellm/litellm-version';
import { ExitCode } from '../command';
import { findRunningInstance, type RunningInstance } from '../instance-client';
import { formatTable, writeJson, writeLine } from '../output';
import { portStatus } from '../port-status';
import { registryFromContext } from '../registry-from-context';
import { settingsFromContext } from '../settings-from-context';
import { parseVerbArgs } from '../verb-args';

type ServerKind = 'app' | 'serve' | 'run' | 'interceptor';

/** The current folder's project and who serves it. */
interface CurrentProject {
  project: string;
  port: number | null;
  baseUrl: string | null;
  /** null: nothing serves it (no port yet, or nothing answers on it as Interceptor for this project). */
  servedBy: { kind: ServerKind; pid: number | null } | null;
}

const KIND_NAMES: Record<ServerKind, string> = {
  app: 'the tray app',
  serve: '`interceptor serve`',
  run: '`interceptor run`',
  interceptor: 'Interceptor',
};

function describeState(p: ProjectState): string {
  if (p.status === 'error' && p.error) return `error: ${p.error.message}`;
  return p.status;
}

async function currentProject(
  ctx: CliContext,
  registry: PortRegistry,
  instance: RunningInstance | null,
  projects: readonly ProjectState[],
): Promise<CurrentProject> {
  const project = await normalizeProjectPath('.', ctx.cwd);
  // A `run` started with INTERCEPTOR_PORT in this environment uses that port.
  const port = portOverrideFrom(ctx.env) ?? (await registry.lookup(project)) ?? null;
  if (port === null) return { project, port, baseUrl: null, servedBy: null };
  const url = baseUrl(port, settingsFromContext(ctx, registry.file).values.bindHost.value);
  const listener = await portStatus(port);
  if (listener.state !== 'served' || listener.health?.project.path !== project) return { project, port, baseUrl: url, servedBy: null };
  if (instance && projects.some((p) => p.project === project && p.port === port && p.status === 'running')) {
    return { project, port, baseUrl: url, servedBy: { kind: instance.info.kind ?? 'interceptor', pid: instance.info.pid } };
  }
  // Not the running app or serve: an `interceptor run` (or an Interceptor of another registry).
  const holder = await findPortHolder(port);
  if (instance && holder?.pid === instance.info.pid) {
    return { project, port, baseUrl: url, servedBy: { kind: instance.info.kind ?? 'interceptor', pid: instance.info.pid } };
  }
  return { project, port, baseUrl: url, servedBy: { kind: 'run', pid: holder?.pid ?? null } };
}

function describeCurrent(current: CurrentProject): string {
  if (current.port === null) return `this folder (${current.project}) has no port yet: serve it with: interceptor run`;
  if (current.servedBy === null) return `this folder (${current.project}): port ${current.port}, not served now`;
  const pid = current.servedBy.pid === null ? '' : ` (pid ${current.servedBy.pid})`;
  return `this folder (${current.project}) is served on ${current.baseUrl} by ${KIND_NAMES[current.servedBy.kind]}${pid}`;
}

function describeLiteLlm(litellm: LiteLlmInfo | undefined): string {
  if (!litellm?.version) return 'LiteLLM: version not known yet (it is read from the first answer LiteLLM sends through a proxy)';
  const line = `LiteLLM: ${litellm.version}`;
  return litellm.dropsClientTags ? `${line} — ${clientTagsWarning(litellm.version) ?? ''}` : line;
}

export const statusCommand: Command = {
  name: 'status',
  help: `Usage: interceptor status [--json]

Asks the running Interceptor (the tray app or interceptor serve) for its projects and their state,
and says what serves the project in the current folder: that Interceptor, an \`interceptor run\` in
some terminal (with its PID), or nothing. Exits 1 when neither the tray app, nor interceptor serve,
nor an interceptor run for the current folder is running.

--json: {"running": false|true, "current": {...}} and, when running, "pid", "kind", "version",
"litellm", "dashboard", "projects": [...] (the app's ProjectState objects). "current" is the current
folder's project: {"project", "port", "baseUrl", "servedBy": {"kind": "app"|"serve"|"run", "pid"} | null}.
"litellm" is {"version": the LiteLLM version its answers name (null until one did), "dropsClientTags"}.`,

  async run(ctx) {
    parseVerbArgs('status', ctx.args, {}, { max: 0, what: '' });
    const registry = registryFromContext(ctx);
    const instance = await findRunningInstance(registry.file);
    const snapshot = instance ? await instance.call('getSnapshot') : null;
    const current = await currentProject(ctx, registry, instance, snapshot?.projects ?? []);

    if (!instance || !snapshot) {
      if (ctx.globals.json) writeJson(ctx.stdout, { running: false, current });
      else {
        if (current.servedBy) writeLine(ctx.stdout, describeCurrent(current));
        writeLine(ctx.stdout, 'Interceptor is not running: no tray app or `interceptor serve` (start one with: npm start, or interceptor serve)');
      }
      return current.servedBy ? ExitCode.ok : ExitCode.negative;
    }
    const dashboard = snapshot.dashboardUrl ?? null;
    if (ctx.globals.json) {
      writeJson(ctx.stdout, {
        running: true,
        pid: instance.info.pid,
        kind: instance.info.kind ?? null,
        version: snapshot.version,
        litellm: snapshot.litellm ?? { version: null, dropsClientTags: false },
        dashboard,
        projects: snapshot.projects,
        current,
      });
      return ExitCode.ok;
    }
    const running = snapshot.projects.filter((p) => p.status === 'running').length;
    const who = instance.info.kind ? `${KIND_NAMES[instance.info.kind]}, ` : '';
    writeLine(ctx.stdout, `Interceptor ${snapshot.version} is running (${who}pid ${instance.info.pid}), serving ${running} project(s)`);
    writeLine(ctx.stdout, describeLiteLlm(snapshot.litellm));
    if (dashboard) writeLine(ctx.stdout, `dashboard: ${dashboard} (the full URL with its token was printed at start)`);
    if (snapshot.projects.length > 0) {
      const rows = snapshot.projects.map((p) => [p.name, p.port === null ? '-' : String(p.port), describeState(p), String(p.stats.requests), p.project]);
      writeLine(ctx.stdout, formatTable(['NAME', 'PORT', 'STATE', 'REQUESTS', 'PROJECT'], rows));
    }
    writeLine(ctx.stdout, describeCurrent(current));
    return ExitCode.ok;
  },
};
