// `interceptor setup [PATH]`: point the project's AI clients at its port by writing their own
// per-project config files (merged, never replaced), or preview it (--dry-run), take it back (--undo),
// or find projects whose client files point at a port that is not theirs (--check).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command, CliContext } from '../command';
import { ExitCode } from '../command';
import { writeError, writeJson, writeLine } from '../output';
import { registryFromContext, registryOptionsFromContext } from '../registry-from-context';
import { parseVerbArgs } from '../verb-args';
import {
  CLIENT_IDS,
  isClientId,
  isModelName,
  isUserLevelClientId,
  USER_LEVEL_CLIENT_IDS,
  type ClientId,
  type ClientPlanView,
  type ClientSetupPreview,
  type StaleClientFile,
  type UserLevelClientId,
} from '../../../shared/client-setup';
import { clientHost } from '../../../shared/format';
import { clientSetupFor, currentCli, type ClientSetup } from '../../core/clients';
import { InterceptorError } from '../../core/errors';
import { normalizeProjectPath } from '../../core/registry/index';
import { effectiveSettings } from '../../core/settings/effective-settings';
import { openSettings } from '../../core/settings/settings-store';

/** Which clients to set up: per-project files, and user-level configs (written only when named). */
interface ChosenClients {
  clients: ClientId[];
  userLevel: UserLevelClientId[];
}

/**
 * `all` (the default): every per-project client, and the user-level ones only as an offer in the
 * notes. A user-level client named on its own (`codex`, `continue-cli`) gets its user config written
 * at the shared port: Codex has nothing else, the Continue CLI reads nothing else by itself.
 */
function parseClients(text: string | undefined): ChosenClients {
  if (text === undefined || text === 'all') return { clients: [...CLIENT_IDS], userLevel: [] };
  const names = text.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !isClientId(name) && !isUserLevelClientId(name));
  if (unknown.length > 0 || names.length === 0) {
    const expected = [...new Set([...CLIENT_IDS, ...USER_LEVEL_CLIENT_IDS])].join(', ');
    throw new InterceptorError('INVALID_ARGUMENT', `setup: unknown client ${JSON.stringify(unknown[0] ?? text)} (expected ${expected} or all, comma-separated)`);
  }
  const userLevel = USER_LEVEL_CLIENT_IDS.filter((id) => names.includes(id));
  return { clients: CLIENT_IDS.filter((id) => names.includes(id) && !isUserLevelClientId(id)), userLevel };
}

/** The host clients dial (the proxies' bind host, made dialable) and the shared port, from the environment or settings. */
function dialTargets(ctx: CliContext, registryFile: string): { host: string; sharedPort: number } {
  const store = openSettings({ dir: path.dirname(registryFile) });
  try {
    const { values } = effectiveSettings(store.get(), ctx.env);
    return { host: clientHost(values.bindHost.value), sharedPort: values.idePort.value };
  } catch {
    return { host: '127.0.0.1', sharedPort: effectiveSettings({}, {}).values.idePort.value };
  } finally {
    store.close();
  }
}

function setupFor(ctx: CliContext): { setup: ClientSetup; sharedPort: number } {
  const registryFile = registryOptionsFromContext(ctx).file;
  const cli = currentCli();
  const { host, sharedPort } = dialTargets(ctx, registryFile);
  const setup = clientSetupFor({
    registryFile,
    host,
    sharedPort: () => sharedPort,
    ...(ctx.env.CODEX_HOME ? { codexHome: ctx.env.CODEX_HOME } : {}),
    ...(cli ? { cli } : {}),
  });
  return { setup, sharedPort };
}

function indent(text: string, by: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}

function printClient(ctx: CliContext, view: ClientPlanView, showDiffs: boolean): void {
  const scope = view.userLevel ? ' — the shared port, one URL for every project' : view.supported ? '' : ' (not set up per project)';
  writeLine(ctx.stdout, `${view.label}${scope}`);
  for (const file of view.files) {
    if (file.action === 'blocked') writeLine(ctx.stdout, `  left untouched: ${file.problem ?? file.shown}`);
    else writeLine(ctx.stdout, `  ${file.action === 'unchanged' ? 'up to date' : file.action}: ${file.shown}${file.scope === 'user' ? ' (per user, outside the project)' : ''}`);
    if (showDiffs && file.diff !== '') writeLine(ctx.stdout, indent(file.diff, '    '));
  }
  for (const note of view.notes) writeLine(ctx.stdout, `  - ${note}`);
}

function printPreview(ctx: CliContext, preview: ClientSetupPreview, showDiffs: boolean): void {
  for (const view of preview.clients) {
    printClient(ctx, view, showDiffs);
    writeLine(ctx.stdout);
  }
  writeLine(ctx.stdout, `git: ${preview.gitExclude.note}`);
}

async function requireFolder(project: string): Promise<void> {
  const info = await stat(project).catch(() => undefined);
  if (!info?.isDirectory()) throw new InterceptorError('INVALID_ARGUMENT', `setup: no such folder: ${project}`);
}

async function runCheck(ctx: CliContext, only: string | undefined): Promise<number> {
  const registry = registryFromContext(ctx);
  const { setup } = setupFor(ctx);
  const view = await registry.read();
  const mappings = only === undefined ? view.mappings : view.mappings.filter((m) => m.project === only);
  const stale: Array<{ project: string; port: number; files: StaleClientFile[] }> = [];
  for (const mapping of mappings) {
    const files = await setup.staleFiles(mapping.project, mapping.port);
    if (files.length > 0) stale.push({ project: mapping.project, port: mapping.port, files });
  }
  const oldTokens = await setup.staleTokenCopies();
  if (ctx.globals.json) {
    writeJson(ctx.stdout, { checked: mappings.length, stale, staleTokenCopies: oldTokens });
    return stale.length === 0 && oldTokens.length === 0 ? ExitCode.ok : ExitCode.negative;
  }
  for (const file of oldTokens) {
    writeLine(ctx.stdout, `${file} holds an old client token (it was rotated since); run \`interceptor setup --client continue\` in any project to renew it`);
  }
  if (stale.length === 0) {
    writeLine(ctx.stdout, `checked ${mappings.length} project(s): every client file points at its project's port`);
  } else {
    for (const entry of stale) {
      for (const file of entry.files) writeLine(ctx.stdout, `${file.file} points at port ${file.port}, but ${entry.project} has port ${entry.port}`);
      writeLine(ctx.stdout, `  rewrite with: interceptor setup ${JSON.stringify(entry.project)}`);
    }
  }
  return stale.length === 0 && oldTokens.length === 0 ? ExitCode.ok : ExitCode.negative;
}

/** `--client codex` / `continue-cli` alone: their user config at the shared port; no project port is needed. */
async function runUserLevel(
  ctx: CliContext,
  setup: ClientSetup,
  options: { project: string; sharedPort: number; chosen: ChosenClients; model: string | undefined; dryRun: boolean },
): Promise<number> {
  const request = { project: options.project, port: options.sharedPort, clients: [], userLevel: options.chosen.userLevel, ...(options.model !== undefined ? { model: options.model } : {}) };
  const { preview } = await setup.plan(request);
  if (options.dryRun) {
    if (ctx.globals.json) writeJson(ctx.stdout, { ...preview, dryRun: true, allocated: false });
    else {
      writeLine(ctx.stdout, `user config at the shared port ${options.sharedPort}: dry run, nothing written`);
      writeLine(ctx.stdout);
      for (const view of preview.clients) printClient(ctx, view, true);
    }
    return ExitCode.ok;
  }
  const result = await setup.apply(request);
  if (ctx.globals.json) {
    writeJson(ctx.stdout, { ...preview, dryRun: false, allocated: false, written: result.written, skipped: result.skipped, excluded: result.excluded });
    return result.skipped.length > 0 ? ExitCode.negative : ExitCode.ok;
  }
  writeLine(ctx.stdout, `user config at the shared port ${options.sharedPort} (one URL for every project)`);
  writeLine(ctx.stdout);
  for (const view of preview.clients) printClient(ctx, view, true);
  writeLine(ctx.stdout);
  writeLine(ctx.stdout, `wrote ${result.written.length} file(s)`);
  for (const skipped of result.skipped) writeError(ctx.stderr, `not changed: ${skipped.reason}`);
  if (result.written.length > 0) writeLine(ctx.stdout, `undo with: interceptor setup --undo --client ${options.chosen.userLevel.join(',')}`);
  return result.skipped.length > 0 ? ExitCode.negative : ExitCode.ok;
}

export const setupCommand: Command = {
  name: 'setup',
  help: `Usage: interceptor setup [PATH] [--client NAME[,NAME]] [--model NAME] [--dry-run] [--json]
       interceptor setup [PATH] --undo [--json]
       interceptor setup [PATH] --check [--json]

Points the AI clients of the project folder PATH (default: the current folder) at its port, by
writing each client's own per-project config file. Existing files are merged: only Interceptor's
keys change, everything else (other keys, comments, order, indentation) stays. A file that cannot
be parsed, or is read-only, is left untouched and named. No API key is written into the project:
each client gets the local client token through its own indirection (Claude Code's apiKeyHelper
runs this CLI's \`token\`; Continue reads it as a secret from ~/.continue/.env; Junie from
\${INTERCEPTOR_CLIENT_TOKEN}). Written paths are added to the repository's .git/info/exclude (never
.gitignore). The project gets a port first if it has none.

  Continue     .continue/models/interceptor.yaml (+ the token line in ~/.continue/.env)
  Claude Code  .claude/settings.local.json (ANTHROPIC_BASE_URL, apiKeyHelper)
  Junie CLI    .junie/models/interceptor.json (use: junie --model custom:interceptor)
  Codex CLI    nothing per project: Codex refuses a provider in a project's .codex/config.toml;
               setup prints the command line that reaches this project instead

One URL for every project: clients whose config is per user are pointed at the shared port, which
attributes each request to the project the client works in (its working folder). Written only when
named with --client (they change what the client does in every folder); undo with --undo --client:
  codex         ~/.codex/config.toml ($CODEX_HOME): a provider at the shared port, selected; Codex
                runs \`interceptor token\` itself for the key
  continue-cli  ~/.continue/config.yaml: a model "Interceptor (one URL)" at the shared port (+ the
                token line in ~/.continue/.env)

  --client NAME  continue, claude, junie, codex, continue-cli or all (default: every per-project
                 client), comma-separated
  --model NAME   the model as LiteLLM names it (Continue, Junie; default: the one in the file)
  --dry-run      show each file's change as a diff, write nothing
  --undo         put back what setup changed (files edited since are kept, and named); with
                 --client codex or continue-cli, that user config
  --check        list the projects (all mapped ones, or PATH) whose client files point at a port
                 that is not theirs; exit 1 when there is one`,

  async run(ctx) {
    const { values, positionals } = parseVerbArgs(
      'setup',
      ctx.args,
      {
        client: { type: 'string' },
        model: { type: 'string' },
        'dry-run': { type: 'boolean' },
        undo: { type: 'boolean' },
        check: { type: 'boolean' },
      },
      { max: 1, what: 'path' },
    );
    const modes = [values.undo, values.check, values['dry-run']].filter(Boolean).length;
    if (modes > 1) throw new InterceptorError('INVALID_ARGUMENT', 'setup: give at most one of --dry-run, --undo, --check');
    const chosen = parseClients(values.client);
    const userLevelOnly = values.client !== undefined && chosen.clients.length === 0;
    if (values.undo && values.client !== undefined && !userLevelOnly) {
      throw new InterceptorError('INVALID_ARGUMENT', `setup: --undo takes --client only for user configs (${USER_LEVEL_CLIENT_IDS.join(', ')}); a project's files are undone together`);
    }
    if ((values.undo && values.model !== undefined) || (values.check && (values.client !== undefined || values.model !== undefined))) {
      throw new InterceptorError('INVALID_ARGUMENT', `setup: --${values.undo ? 'undo' : 'check'} takes no ${values.undo ? '--model' : '--client or --model'}`);
    }
    if (values.model !== undefined && !isModelName(values.model)) {
      throw new InterceptorError('INVALID_ARGUMENT', `setup: --model ${JSON.stringify(values.model)} is not a model name (letters, digits and . _ - : / @ + only)`);
    }
    if (values.check) {
      const only = positionals[0] === undefined ? undefined : await normalizeProjectPath(positionals[0], ctx.cwd);
      return runCheck(ctx, only);
    }

    const project = await normalizeProjectPath(positionals[0] ?? '.', ctx.cwd);
    const { setup, sharedPort } = setupFor(ctx);

    if (values.undo) {
      const result = userLevelOnly ? await setup.undoUserLevel(chosen.userLevel) : await setup.undo(project);
      if (ctx.globals.json) {
        writeJson(ctx.stdout, result);
      } else if (result.restored.length + result.removed.length + result.kept.length + result.unexcluded.length === 0) {
        writeLine(ctx.stdout, userLevelOnly ? `nothing to undo (setup has not changed the user config of ${chosen.userLevel.join(', ')})` : `${project}: nothing to undo (setup has not changed this project)`);
      } else {
        for (const file of result.restored) writeLine(ctx.stdout, `restored ${file}`);
        for (const file of result.removed) writeLine(ctx.stdout, `removed ${file}`);
        for (const kept of result.kept) writeLine(ctx.stdout, `kept ${kept.reason}`);
        if (result.unexcluded.length > 0) writeLine(ctx.stdout, `took ${result.unexcluded.join(', ')} out of .git/info/exclude`);
      }
      return ExitCode.ok;
    }

    await requireFolder(project);
    if (userLevelOnly) return runUserLevel(ctx, setup, { project, sharedPort, chosen, model: values.model, dryRun: values['dry-run'] === true });
    const registry = registryFromContext(ctx);
    let port = await registry.lookup(project);
    let allocated = false;
    if (port === undefined) {
      if (values['dry-run']) {
        const message = `${project} has no port yet; run \`interceptor setup\` without --dry-run (it allocates one) or \`interceptor allocate\``;
        if (ctx.globals.json) writeJson(ctx.stdout, { error: { code: 'NOT_FOUND', message } });
        writeError(ctx.stderr, message);
        return ExitCode.negative;
      }
      const result = await registry.allocate(project);
      port = result.port;
      allocated = result.created;
    }

    const request = { project, port, clients: chosen.clients, userLevel: chosen.userLevel, ...(values.model !== undefined ? { model: values.model } : {}) };
    const { preview } = await setup.plan(request);
    if (values['dry-run']) {
      if (ctx.globals.json) writeJson(ctx.stdout, { ...preview, dryRun: true, allocated });
      else {
        writeLine(ctx.stdout, `${project} (port ${port}): dry run, nothing written`);
        writeLine(ctx.stdout);
        printPreview(ctx, preview, true);
      }
      return ExitCode.ok;
    }

    const result = await setup.apply(request);
    if (ctx.globals.json) {
      writeJson(ctx.stdout, { ...preview, dryRun: false, allocated, written: result.written, skipped: result.skipped, excluded: result.excluded });
      return result.skipped.length > 0 ? ExitCode.negative : ExitCode.ok;
    }
    writeLine(ctx.stdout, `${project} (port ${port}${allocated ? ', allocated now' : ''})`);
    writeLine(ctx.stdout);
    printPreview(ctx, preview, true);
    writeLine(ctx.stdout);
    writeLine(ctx.stdout, `wrote ${result.written.length} file(s)${result.excluded.length > 0 ? `, excluded ${result.excluded.length} path(s) from git` : ''}`);
    for (const skipped of result.skipped) writeError(ctx.stderr, `not changed: ${skipped.reason}`);
    if (result.written.length > 0) writeLine(ctx.stdout, `undo with: interceptor setup --undo ${JSON.stringify(project)}`);
    return result.skipped.length > 0 ? ExitCode.negative : ExitCode.ok;
  },
};
