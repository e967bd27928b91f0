// `interceptor serve`: the headless engine — every open project served, the web dashboard, one line
// per request — until Ctrl-C or SIGTERM, then a graceful stop. The tray app runs the same service.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppSnapshot } from '../../../shared/api';
import { InterceptorError } from '../../core/errors';
import { createInterceptorService } from '../../core/service/interceptor-service';
import type { ProjectRequest } from '../../core/supervisor/supervisor-types';
import { parsePortText } from '../../core/registry/index';
import type { CliContext, Command } from '../command';
import { ExitCode } from '../command';
import { PROGRAM, writeLine, writeWarning } from '../output';
import { parseVerbArgs } from '../verb-args';
import { formatRequestLine } from '../request-line';
import { oneUrlLine } from '../../../shared/format';

const GRACE_MS = 5_000;

/** The renderer's built page: beside the CLI bundle in dist/, or dist/ seen from the sources (tests). */
export function rendererDir(): string {
  const candidates = ['../renderer/', '../../../dist/renderer/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(`${dir}index.html`)) ?? candidates[0]!;
}

function dashboardPortFrom(text: string): number {
  const port = text.trim() === '0' ? 0 : parsePortText(text);
  if (port === undefined) {
    throw new InterceptorError('INVALID_ARGUMENT', `--dashboard-port must be 0 (any free port) or a port from 1 to 65535, got "${text}"`);
  }
  return port;
}

function jsonLine(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value)}\n`);
}

function describeProjects(snapshot: AppSnapshot): string[] {
  const running = snapshot.projects.filter((p) => p.status === 'running');
  if (running.length === 0) return ['no open projects yet: open one in a JetBrains IDE, or run `interceptor open PATH`'];
  return running.map((p) => `  ${p.name}  http://127.0.0.1:${p.port}/v1  (${p.project})`);
}

export const serveCommand: Command = {
  name: 'serve',
  help: `Usage: interceptor serve [--dashboard-port N] [--no-dashboard] [--json]

Runs the Interceptor engine without the tray app: every project open in a JetBrains IDE (when
detection is on) and every pinned folder (interceptor open PATH) gets its proxy on its registry port.
Also serves the shared port (default 8887; setting "IDE port" or INTERCEPTOR_IDE_PORT), the one URL
for every client — IDE-wide ones (AI Assistant, Copilot, ProxyAI, Cline) and command-line agents
(Claude Code, Codex, the Continue CLI) — deciding each request's project: by the folder the client
works in, then by the IDE that sent it.
Prints the dashboard URL (with its access token) once, then one line per request. Ctrl-C or SIGTERM
stops accepting, lets requests in flight finish (up to ${GRACE_MS / 1000} s) and exits 0.

Only one Interceptor (tray app or serve) runs per user and registry folder: a second one says where
the first one's dashboard is and exits 4.

Options:
  --dashboard-port N  listen for the dashboard on N (default: settings, else a free port)
  --no-dashboard      run without the dashboard (interceptor status then cannot reach it)
  --json              JSON lines: {"event":"ready",...}, {"event":"proxy-started",...},
                      {"event":"request",...}, {"event":"stopped"}`,

  async run(ctx) {
    const { values } = parseVerbArgs(
      'serve',
      ctx.args,
      { 'dashboard-port': { type: 'string' }, 'no-dashboard': { type: 'boolean' } },
      { max: 0, what: '' },
    );
    const env = { ...ctx.env };
    if (ctx.globals.portMin !== undefined) env.INTERCEPTOR_PORT_MIN = ctx.globals.portMin;
    if (ctx.globals.portMax !== undefined) env.INTERCEPTOR_PORT_MAX = ctx.globals.portMax;
    if (env.INTERCEPTOR_PORT) {
      writeWarning(ctx.stderr, 'INTERCEPTOR_PORT applies to `interceptor run` (one project) and is ignored by serve');
      delete env.INTERCEPTOR_PORT;
    }
    const dashboardPort = values['dashboard-port'] === undefined ? undefined : dashboardPortFrom(values['dashboard-port']);

    const service = await createInterceptorService({
      env,
      kind: 'serve',
      ...(ctx.globals.registry ? { registryFile: ctx.globals.registry } : {}),
      ...(values['no-dashboard'] ? {} : { dashboard: { staticDir: rendererDir(), ...(dashboardPort !== undefined ? { port: dashboardPort } : {}) } }),
    });
    const supervisor = service.supervisor;
    const json = ctx.globals.json;

    supervisor.on('proxy-started', (project, port) => {
      if (json) jsonLine(ctx, { event: 'proxy-started', project, port });
      else writeLine(ctx.stdout, `serving ${project} on http://127.0.0.1:${port}/v1`);
    });
    supervisor.on('proxy-stopped', (project, reason) => {
      if (json) jsonLine(ctx, { event: 'proxy-stopped', project, reason });
      else writeLine(ctx.stdout, `stopped ${project} (${reason})`);
    });
    supervisor.on('proxy-error', (project, error) => {
      if (json) jsonLine(ctx, { event: 'proxy-error', project, ...error });
      else writeWarning(ctx.stderr, `${project}: ${error.message}${error.fix ? ` — ${error.fix}` : ''}`);
    });
    supervisor.on('request', (batch: ProjectRequest[]) => {
      for (const request of batch) {
        if (json) jsonLine(ctx, { event: 'request', ...request });
        else writeLine(ctx.stdout, formatRequestLine(request, request.project));
      }
    });
    // The log of a headless run is its stderr: every internal error, once, with its stack.
    service.onInternalError((report) => writeLine(ctx.stderr, `${PROGRAM}: internal error in ${report.text}`));
    service.idePort.on('request', (entry) => {
      if (json) jsonLine(ctx, { event: 'request', idePort: true, ...entry });
      else writeLine(ctx.stdout, formatRequestLine(entry, `IDE port → ${entry.project ?? 'unattributed'} (${entry.attribution ?? 'unattributed'})`));
    });
    service.onNotice((notice) => {
      if (json) jsonLine(ctx, { event: 'notice', ...notice });
      else if (notice.kind !== 'port-in-use' && notice.kind !== 'port-permission') writeWarning(ctx.stderr, notice.message);
    });
    await service.start();

    const snapshot = service.snapshot();
    const dashboardUrl = service.dashboardUrl();
    if (json) {
      jsonLine(ctx, {
        event: 'ready',
        pid: process.pid,
        version: snapshot.version,
        dashboardUrl: dashboardUrl ?? null,
        registry: snapshot.registry.file,
        projects: snapshot.projects,
        idePort: snapshot.idePort ?? null,
      });
    } else {
      writeLine(ctx.stdout, `Interceptor ${snapshot.version} serving (registry ${snapshot.registry.file})`);
      for (const line of describeProjects(snapshot)) writeLine(ctx.stdout, line);
      const idePort = snapshot.idePort;
      if (idePort?.status === 'running') writeLine(ctx.stdout, oneUrlLine(idePort.url));
      if (dashboardUrl) writeLine(ctx.stdout, `dashboard: ${dashboardUrl}`);
      const keyNote = service.apiKeyNote();
      if (keyNote) writeLine(ctx.stdout, keyNote);
      writeLine(ctx.stdout, 'Ctrl-C to stop.');
    }

    // Watchers and pollers are unref'd: with no proxy and no dashboard, nothing else would keep the
    // process alive until it is asked to stop.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    await new Promise<void>((resolve) => {
      if (ctx.stopSignal.aborted) resolve();
      ctx.stopSignal.addEventListener('abort', () => resolve(), { once: true });
    });
    clearInterval(keepAlive);
    if (!json) writeLine(ctx.stdout, 'stopping: letting requests in flight finish…');
    await service.close({ graceMs: GRACE_MS });
    if (json) jsonLine(ctx, { event: 'stopped' });
    else writeLine(ctx.stdout, 'stopped.');
    return ExitCode.ok;
  },
};
