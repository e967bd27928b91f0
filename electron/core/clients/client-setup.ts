// Plan → apply → undo for the clients of one project; the CLI's `setup` verb and the window's dialog
// both drive this. Planning reads the files and asks each client module what they should become;
// applying writes them atomically (re-reading first, so a file changed since the plan is merged anew),
// records what it takes to undo, and lists project files in .git/info/exclude. A file that cannot be
// parsed, or is read-only, is left untouched and named with the reason.
import { access, chmod, constants, mkdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CLIENT_IDS,
  CLIENT_LABELS,
  USER_LEVEL_LABELS,
  type SetupClientId,
  type UserLevelClientId,
  type ClientFileChange,
  type ClientId,
  type ClientPlanView,
  type ClientSetupPreview,
  type ClientSetupResult,
  type ClientUndoResult,
  type GitExcludeView,
  type StaleClientFile,
} from '../../../shared/client-setup';
import { systemErrorCode } from '../errors';
import { writeFileAtomic } from '../registry/atomic-file';
import { claudeClient } from './claude';
import type { ClientContext, ClientModule, FilePlan } from './client-module';
import { codexClient } from './codex';
import { codexUserClient } from './codex-user';
import { continueClient, continueEnvFile, continueTokenIsStale } from './continue';
import { continueCliUserClient } from './continue-cli-user';
import { addExcludes, findGitWorkTree, planExcludes, removeExcludes, type GitWorkTree } from './git-exclude';
import { junieClient } from './junie';
import { SetupRecords, sha256, type RecordedFile, type SetupRecord } from './setup-record';
import { unifiedDiff } from './unified-diff';

const MODULES: Record<ClientId, ClientModule> = { continue: continueClient, claude: claudeClient, junie: junieClient, codex: codexClient };
const USER_LEVEL_MODULES: Record<UserLevelClientId, ClientModule> = { codex: codexUserClient, 'continue-cli': continueCliUserClient };

/** The undo record of user-level setups (they belong to no project). */
export const USER_LEVEL_RECORD = '(user-level client config)';

export interface ClientSetupOptions {
  /** Where undo records live (a folder beside the registry). */
  stateDir: string;
  /** The shell command that prints the local client token. */
  tokenCommand: string;
  /** The same command as an argv. */
  tokenArgv: readonly string[];
  clientToken(): string;
  /** The shared port in force (the user-level clients are pointed at it). */
  sharedPort(): number;
  /** Codex's config folder (default ~/.codex). */
  codexHome?: string;
  /** The host clients dial for the proxies. */
  host: string;
  home?: string;
}

export interface SetupRequest {
  project: string;
  port: number;
  /** Default: every client. */
  clients?: readonly ClientId[];
  /** User-level configs to write (at the shared port); none unless named. */
  userLevel?: readonly UserLevelClientId[];
  model?: string;
}

/** One file of a plan, with the texts apply needs (the view drops them). */
interface PlannedFile {
  change: ClientFileChange;
  before: string | null;
  after: string | null;
  secret: boolean;
  /** Written for a user-level client: recorded in the user-level undo record. */
  userLevel: boolean;
  keepOnUndo: boolean;
}

export interface SetupPlan {
  preview: ClientSetupPreview;
  files: PlannedFile[];
  tree: GitWorkTree | null;
}

type Read = { text: string | null } | { problem: string };

async function readText(file: string): Promise<Read> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === 'ENOENT') return { text: null };
    if (code === 'EISDIR') return { problem: 'is a folder, not a file' };
    return { problem: `cannot be read (${code ?? (error as Error).message})` };
  }
}

/** Why `file` cannot be written, or undefined when it can. A read-only mode counts even for root. */
async function writeProblem(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if ((info.mode & 0o222) === 0) return `is read-only (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')})`;
    await access(file, constants.W_OK);
    return undefined;
  } catch (error) {
    if (systemErrorCode(error) !== 'ENOENT') return `is not writable (${systemErrorCode(error) ?? (error as Error).message})`;
  }
  // A new file: the nearest folder that exists must take it.
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      const info = await stat(dir);
      if (!info.isDirectory()) return `cannot be created: ${dir} is not a folder`;
      await access(dir, constants.W_OK);
      return undefined;
    } catch (error) {
      if (systemErrorCode(error) !== 'ENOENT') return `cannot be created in ${dir} (${systemErrorCode(error) ?? (error as Error).message})`;
      if (path.dirname(dir) === dir) return `cannot be created: no folder of ${file} exists`;
    }
  }
}

export function shownPath(project: string, home: string, file: string): string {
  const inProject = path.relative(project, file);
  if (!inProject.startsWith('..') && !path.isAbsolute(inProject)) return inProject.split(path.sep).join('/');
  const inHome = path.relative(home, file);
  if (!inHome.startsWith('..') && !path.isAbsolute(inHome)) return `~/${inHome.split(path.sep).join('/')}`;
  return file;
}

/** Creates the missing folders of `folder`, returning those created, deepest first. */
async function createFolders(folder: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = folder; ; dir = path.dirname(dir)) {
    try {
      await stat(dir);
      break;
    } catch {
      missing.push(dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  await mkdir(folder, { recursive: true });
  return missing;
}

export class ClientSetup {
  private readonly records: SetupRecords;
  private readonly home: string;

  constructor(private readonly options: ClientSetupOptions) {
    this.records = new SetupRecords(options.stateDir);
    this.home = options.home ?? os.homedir();
  }

  private context(request: Pick<SetupRequest, 'project' | 'port' | 'model'>): ClientContext {
    return {
      project: request.project,
      port: request.port,
      host: this.options.host,
      home: this.home,
      ...(request.model !== undefined ? { model: request.model } : {}),
      tokenCommand: this.options.tokenCommand,
      tokenArgv: this.options.tokenArgv,
      sharedPort: this.options.sharedPort(),
      codexHome: this.options.codexHome ?? path.join(this.home, '.codex'),
      clientToken: () => this.options.clientToken(),
    };
  }

  private async readAll(ctx: ClientContext, modules: readonly ClientModule[]): Promise<Map<string, Read>> {
    const texts = new Map<string, Read>();
    for (const module of modules) for (const { file } of module.files(ctx)) if (!texts.has(file)) texts.set(file, await readText(file));
    return texts;
  }

  async plan(request: SetupRequest): Promise<SetupPlan> {
    const ctx = this.context(request);
    const projectModules = (request.clients ?? CLIENT_IDS).map((id) => MODULES[id]);
    const userModules = (request.userLevel ?? []).map((id) => USER_LEVEL_MODULES[id]);
    const modules = [...projectModules, ...userModules];
    const texts = await this.readAll(ctx, modules);
    const read = (file: string): string | null => {
      const current = texts.get(file);
      return current !== undefined && 'text' in current ? current.text : null;
    };
    const files: PlannedFile[] = [];
    const views: ClientPlanView[] = [];
    const planned = new Set<string>();
    for (const module of modules) {
      const userLevel = userModules.includes(module);
      const view: ClientPlanView = {
        client: module.id,
        label: userLevel ? USER_LEVEL_LABELS[module.id as UserLevelClientId] : CLIENT_LABELS[module.id as ClientId],
        supported: module.supported,
        ...(userLevel ? { userLevel: true } : {}),
        notes: [],
        files: [],
      };
      const unreadable = module.files(ctx).flatMap(({ file, scope }) => {
        const current = texts.get(file);
        return current !== undefined && 'problem' in current ? [{ file, scope, problem: current.problem }] : [];
      });
      const plans: FilePlan[] = unreadable.length > 0 ? unreadable : module.plan(ctx, read);
      for (const plan of plans) {
        if ('notes' in plan && plan.notes) view.notes.push(...plan.notes);
        // A file two clients share (~/.continue/.env) is written once.
        if (planned.has(plan.file)) continue;
        planned.add(plan.file);
        const file = await this.planFile(module.id, request.project, plan, read(plan.file), userLevel);
        files.push(file);
        view.files.push(file.change);
      }
      view.notes.push(...module.notes(ctx));
      views.push(view);
    }
    const tree = await findGitWorkTree(request.project);
    const gitExclude = await this.planGitExclude(tree, files);
    const undoable = (await this.records.read(request.project)) !== null;
    return { preview: { project: request.project, port: request.port, clients: views, gitExclude, undoable }, files, tree };
  }

  private async planFile(client: SetupClientId, project: string, plan: FilePlan, before: string | null, userLevel: boolean): Promise<PlannedFile> {
    const base = { client, file: plan.file, shown: shownPath(project, this.home, plan.file), scope: plan.scope };
    const kind = { userLevel, keepOnUndo: 'keepOnUndo' in plan && plan.keepOnUndo === true };
    if ('problem' in plan) {
      const problem = plan.problem.startsWith('is ') || plan.problem.startsWith('cannot') ? plan.problem : `cannot be parsed: ${plan.problem}`;
      return { change: { ...base, action: 'blocked', diff: '', problem: `${base.shown} ${problem}; left untouched` }, before, after: null, secret: false, ...kind };
    }
    const secret = plan.secret === true;
    if (plan.after === before) return { change: { ...base, action: 'unchanged', diff: '' }, before, after: plan.after, secret, ...kind };
    const problem = await writeProblem(plan.file);
    if (problem !== undefined) return { change: { ...base, action: 'blocked', diff: '', problem: `${base.shown} ${problem}; left untouched` }, before, after: null, secret, ...kind };
    const redact = plan.redact ?? ((text: string) => text);
    const diff = unifiedDiff(base.shown, before === null ? null : redact(before), redact(plan.after));
    return { change: { ...base, action: before === null ? 'create' : 'update', diff }, before, after: plan.after, secret, ...kind };
  }

  private async planGitExclude(tree: GitWorkTree | null, files: readonly PlannedFile[]): Promise<GitExcludeView> {
    const projectFiles = files.filter((f) => f.change.scope === 'project' && f.change.action !== 'blocked').map((f) => f.change.file);
    if (tree === null) return { file: null, add: [], note: 'not in a git work tree: nothing to exclude' };
    if (projectFiles.length === 0) return { file: tree.excludeFile, add: [], note: 'no project file to exclude' };
    const plan = await planExcludes(tree, projectFiles);
    const parts: string[] = [];
    if (plan.add.length > 0) parts.push(`adds ${plan.add.join(', ')} to ${tree.excludeFile} (never .gitignore), so these machine-local ports stay out of the repository`);
    if (plan.ignored.length > 0) parts.push(`${plan.ignored.map((file) => shownPath(tree.root, this.home, file)).join(', ')} ignored by git already`);
    if (plan.tracked.length > 0) {
      parts.push(`${plan.tracked.map((file) => shownPath(tree.root, this.home, file)).join(', ')} tracked by git: an exclude does not apply, so the change shows in the repository`);
    }
    return { file: tree.excludeFile, add: plan.add, note: parts.join('; ') };
  }

  /** Plans anew and writes what changed; blocked files are reported, never touched. */
  async apply(request: SetupRequest): Promise<ClientSetupResult> {
    const plan = await this.plan(request);
    const record: SetupRecord = (await this.records.read(request.project)) ?? { version: 1, project: request.project, files: [], exclude: null };
    const userRecord: SetupRecord = (await this.records.read(USER_LEVEL_RECORD)) ?? { version: 1, project: USER_LEVEL_RECORD, files: [], exclude: null };
    const result: ClientSetupResult = { project: request.project, port: request.port, written: [], skipped: [], excluded: [], notes: [] };
    for (const view of plan.preview.clients) result.notes.push(...view.notes.map((note) => `${view.label}: ${note}`));
    for (const planned of plan.files) {
      const { change } = planned;
      if (change.action === 'blocked') {
        result.skipped.push({ file: change.file, reason: change.problem ?? 'left untouched' });
        continue;
      }
      if (change.action === 'unchanged' || planned.after === null) continue;
      try {
        const createdFolders = await createFolders(path.dirname(change.file));
        await writeFileAtomic(change.file, planned.after);
        if (planned.secret) await chmod(change.file, 0o600);
        const into = planned.userLevel ? userRecord : record;
        this.remember(into, change, planned.before, planned.after, createdFolders, planned.keepOnUndo);
        await this.records.write(into);
        result.written.push(change.file);
      } catch (error) {
        result.skipped.push({ file: change.file, reason: `${change.shown} could not be written (${systemErrorCode(error) ?? (error as Error).message}); left as it was` });
      }
    }
    if (plan.tree !== null && plan.preview.gitExclude.add.length > 0) {
      const added = await addExcludes(plan.tree, plan.preview.gitExclude.add);
      if (added.length > 0) {
        const patterns = record.exclude?.file === plan.tree.excludeFile ? record.exclude.patterns : [];
        record.exclude = { file: plan.tree.excludeFile, patterns: [...patterns, ...added] };
        await this.records.write(record);
      }
      result.excluded = added;
    }
    return result;
  }

  private remember(record: SetupRecord, change: ClientFileChange, before: string | null, after: string, createdFolders: string[], keep: boolean): void {
    const existing = record.files.find((entry) => entry.file === change.file);
    if (existing) {
      existing.written = sha256(after);
      return;
    }
    const entry: RecordedFile = { file: change.file, scope: change.scope, before, written: sha256(after), createdFolders, client: change.client };
    if (keep) entry.keep = true;
    record.files.push(entry);
  }

  /**
   * Puts every file setup wrote back as it was before the first setup, unless the user changed it
   * since (kept, with the reason). Per-user files shared by all projects (~/.continue/.env) are kept.
   */
  async undo(project: string): Promise<ClientUndoResult> {
    const result: ClientUndoResult = { project, restored: [], removed: [], kept: [], unexcluded: [] };
    const record = await this.records.read(project);
    if (record === null) return result;
    const remaining = await this.restore(project, record.files, result, (entry) => entry.scope === 'user');
    if (record.exclude !== null) result.unexcluded = await removeExcludes(record.exclude.file, record.exclude.patterns);
    if (remaining.length === 0) await this.records.remove(project);
    else await this.records.write({ ...record, files: remaining, exclude: null });
    return result;
  }

  /** Puts the user-level configs of `clients` back as they were before setup first wrote them (same rules as undo). */
  async undoUserLevel(clients: readonly UserLevelClientId[]): Promise<ClientUndoResult> {
    const result: ClientUndoResult = { project: USER_LEVEL_RECORD, restored: [], removed: [], kept: [], unexcluded: [] };
    const record = await this.records.read(USER_LEVEL_RECORD);
    if (record === null) return result;
    const mine = record.files.filter((entry) => entry.client !== undefined && (clients as readonly string[]).includes(entry.client));
    const others = record.files.filter((entry) => !mine.includes(entry));
    const remaining = [...others, ...(await this.restore(this.home, mine, result, (entry) => entry.keep === true))];
    if (remaining.length === 0) await this.records.remove(USER_LEVEL_RECORD);
    else await this.records.write({ ...record, files: remaining });
    return result;
  }

  /** Restores or removes each recorded file; returns the entries still to undo later. */
  private async restore(base: string, entries: readonly RecordedFile[], result: ClientUndoResult, shared: (entry: RecordedFile) => boolean): Promise<RecordedFile[]> {
    const remaining: RecordedFile[] = [];
    for (const entry of entries) {
      const shown = shownPath(base, this.home, entry.file);
      if (shared(entry)) {
        result.kept.push({ file: entry.file, reason: `${shown} is shared by every project's setup; remove its INTERCEPTOR_CLIENT_TOKEN line by hand when no project uses it` });
        continue;
      }
      const current = await readText(entry.file);
      if ('problem' in current) {
        result.kept.push({ file: entry.file, reason: `${shown} ${current.problem}` });
        remaining.push(entry);
        continue;
      }
      if (current.text === null) {
        if (entry.before !== null) result.kept.push({ file: entry.file, reason: `${shown} was deleted since setup; not recreated` });
        continue;
      }
      if (sha256(current.text) !== entry.written) {
        result.kept.push({ file: entry.file, reason: `${shown} was edited since setup; left as it is` });
        continue;
      }
      try {
        if (entry.before === null) {
          await rm(entry.file, { force: true });
          for (const folder of entry.createdFolders) await rmdir(folder).catch(() => undefined);
          result.removed.push(entry.file);
        } else {
          await writeFileAtomic(entry.file, entry.before);
          result.restored.push(entry.file);
        }
      } catch (error) {
        result.kept.push({ file: entry.file, reason: `${shown} could not be restored (${systemErrorCode(error) ?? (error as Error).message})` });
        remaining.push(entry);
      }
    }
    return remaining;
  }

  /** Per-user copies of the client token that no longer match it (the token was rotated since setup). */
  async staleTokenCopies(): Promise<string[]> {
    const file = continueEnvFile(this.home);
    const current = await readText(file);
    if (!('text' in current) || !continueTokenIsStale(current.text, this.options.clientToken())) return [];
    return [file];
  }

  /** Client files of the project that point at a port other than `port`. */
  async staleFiles(project: string, port: number): Promise<StaleClientFile[]> {
    const ctx = this.context({ project, port });
    const modules = CLIENT_IDS.map((id) => MODULES[id]);
    const texts = await this.readAll(ctx, modules);
    const read = (file: string): string | null => {
      const current = texts.get(file);
      return current !== undefined && 'text' in current ? current.text : null;
    };
    const stale: StaleClientFile[] = [];
    for (const module of modules) {
      for (const found of module.portsIn(ctx, read)) if (found.port !== port) stale.push({ client: module.id as ClientId, file: found.file, port: found.port });
    }
    return stale;
  }
}
