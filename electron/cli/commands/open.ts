// `interceptor open PATH` / `interceptor close PATH`: pin a folder so it is served without an IDE
// (what the app's "Open project folder…" does), or unpin it. Talks to the running Interceptor when
// there is one; otherwise records the pin in settings for the next start and allocates the port now,
// so the user can configure the IDE straight away.
import path from 'node:path';
import type { Command } from '../command';
import { ExitCode } from '../command';
import { InterceptorError } from '../../core/errors';
import { normalizeProjectPath } from '../../core/registry/index';
import { openSettings } from '../../core/settings/settings-store';
import { folderExists } from '../folder-exists';
import { findRunningInstance } from '../instance-client';
import { writeJson, writeLine } from '../output';
import { registryFromContext, registryOptionsFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';

function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

async function pinnedUpdate(file: string, change: (pins: string[]) => string[]): Promise<boolean> {
  const settings = openSettings({ dir: path.dirname(file) });
  try {
    const before = settings.get().pinnedProjects ?? [];
    const after = change(before);
    if (after.length === before.length && after.every((p, i) => p === before[i])) return false;
    settings.update({ pinnedProjects: after });
    return true;
  } finally {
    settings.close();
  }
}

export const openCommand: Command = {
  name: 'open',
  help: `Usage: interceptor open [PATH] [--json]

Pins the project folder PATH (default: the current folder), like "Open project folder…" in the app:
it is served until you close or remove it, and again after every restart. When Interceptor runs, its
proxy starts at once; otherwise the folder gets its port now and is served at the next start.

--json: {"project", "port", "running": boolean}`,

  async run(ctx) {
    const { positionals } = parseVerbArgs('open', ctx.args, {}, { max: 1, what: 'path' });
    const project = await normalizeProjectPath(positionals[0] ?? '.', ctx.cwd);
    if (!(await folderExists(project))) throw new InterceptorError('NOT_FOUND', `cannot open ${project}: no such folder`);
    const { file } = registryOptionsFromContext(ctx);
    const instance = await findRunningInstance(file);
    if (instance) {
      const state = await instance.call('openProjectFolder', { path: project });
      if (ctx.globals.json) writeJson(ctx.stdout, { project: state.project, port: state.port, running: state.status === 'running' });
      else if (state.status === 'running') writeLine(ctx.stdout, `serving ${state.project} on http://127.0.0.1:${state.port}/v1`);
      else writeLine(ctx.stdout, `pinned ${state.project}, but it is not running: ${state.error?.message ?? state.status}`);
      return state.status === 'running' ? ExitCode.ok : ExitCode.runtime;
    }
    const { port } = await registryFromContext(ctx).allocate(project);
    await pinnedUpdate(file, (pins) => (pins.some((p) => samePath(p, project)) ? pins : [...pins, project]));
    if (ctx.globals.json) writeJson(ctx.stdout, { project, port, running: false });
    else {
      writeLine(ctx.stdout, `pinned ${project} (port ${port}, base URL http://127.0.0.1:${port}/v1)`);
      writeLine(ctx.stdout, 'Interceptor is not running: it will be served when you start it (npm start, or interceptor serve).');
    }
    return ExitCode.ok;
  },
};

export const closeCommand: Command = {
  name: 'close',
  help: `Usage: interceptor close [PATH] [--json]

Unpins the project folder PATH (default: the current folder): the running Interceptor stops serving
it unless a JetBrains IDE has it open. Its port mapping is kept (interceptor remove deletes it).
Exits 1 when the folder was not pinned.

--json: {"project", "unpinned": boolean}`,

  async run(ctx) {
    const { positionals } = parseVerbArgs('close', ctx.args, {}, { max: 1, what: 'path' });
    const project = await normalizeProjectPath(positionals[0] ?? '.', ctx.cwd);
    const { file } = registryOptionsFromContext(ctx);
    // The settings file is the pin's home; a running Interceptor follows its changes.
    const unpinned = await pinnedUpdate(file, (pins) => pins.filter((p) => !samePath(p, project)));
    if (ctx.globals.json) writeJson(ctx.stdout, { project, unpinned });
    else writeLine(ctx.stdout, unpinned ? `unpinned ${project}` : `${project} was not pinned`);
    return unpinned ? ExitCode.ok : ExitCode.negative;
  },
};
