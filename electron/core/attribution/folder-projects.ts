// Which project a folder belongs to, for the working-folder rules: the deepest known project holding
// it (registry mappings and projects open in an IDE, matched by their real paths so a project
// registered through a symlink is found from the folder the kernel reports), else the top of the git
// work tree holding it (a linked work tree or a submodule is its own). A home folder and `/` are never
// a project: an agent started there says nothing, and neither does a dotfiles repository at home.
// Answers are cached briefly: an agent opens many connections from one folder.
import { realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findGitWorkTree } from '../git/work-tree';

export type FolderRule = 'cwd' | 'git-root';

export interface FolderProject {
  /** The registry key of a known project, or the top folder of a git work tree. */
  project: string;
  /** cwd: inside a known project; git-root: inside an unregistered git work tree. */
  rule: FolderRule;
}

export interface FolderProjectsOptions {
  /** The known projects (registry keys): registry mappings and projects open in an IDE. */
  known: () => Iterable<string>;
  /** The user's home folder (default: this process's). */
  home?: string;
  /** The top folder of the git work tree holding a folder (default: found from `.git`, without git). */
  workTreeOf?: (folder: string) => Promise<string | undefined>;
}

/** How long one answer for a folder, and one index of the known projects, is reused. */
const FRESH_MS = 2000;
const MAX_CACHED_FOLDERS = 2000;

async function defaultWorkTreeOf(folder: string): Promise<string | undefined> {
  return (await findGitWorkTree(folder))?.root;
}

export class FolderProjects {
  private readonly workTreeOf: (folder: string) => Promise<string | undefined>;
  /** Never projects: `/` and the home folder, as given and as its real path. */
  private readonly never = new Set<string>(['/']);
  private homeResolved: Promise<void> | undefined;
  private readonly realKeys = new Map<string, string>();
  private index: { at: number; signature: string; byRealPath: Map<string, string> } | undefined;
  private building: Promise<Map<string, string>> | undefined;
  private readonly answers = new Map<string, { at: number; answer: Promise<FolderProject | undefined> }>();

  constructor(private readonly options: FolderProjectsOptions) {
    this.workTreeOf = options.workTreeOf ?? defaultWorkTreeOf;
    const home = options.home ?? os.homedir();
    if (home) this.never.add(path.resolve(home));
    this.homeResolved = home ? realpath(home).then((real) => void this.never.add(real), () => undefined) : undefined;
  }

  /** Builds the index of known projects ahead of the first connection that needs it. */
  async warm(): Promise<void> {
    await this.knownByRealPath();
  }

  /** The project `folder` (absolute, as the kernel reports it) belongs to, or undefined. */
  projectOf(folder: string, now = Date.now()): Promise<FolderProject | undefined> {
    const cached = this.answers.get(folder);
    if (cached !== undefined && now - cached.at < FRESH_MS) return cached.answer;
    const answer = this.decide(folder).catch(() => undefined);
    if (this.answers.size >= MAX_CACHED_FOLDERS) this.answers.clear();
    this.answers.set(folder, { at: now, answer });
    return answer;
  }

  private async decide(folder: string): Promise<FolderProject | undefined> {
    await this.homeResolved;
    if (this.never.has(folder)) return undefined;
    const known = await this.knownByRealPath();
    for (let dir = folder; ; dir = path.dirname(dir)) {
      const key = this.never.has(dir) ? undefined : known.get(dir);
      if (key !== undefined) return { project: key, rule: 'cwd' };
      if (path.dirname(dir) === dir) break;
    }
    const root = await this.workTreeOf(folder);
    if (root === undefined || this.never.has(root)) return undefined;
    return { project: root, rule: 'git-root' };
  }

  /** Known projects by real path, rebuilt when the list changes (at most once per FRESH_MS). */
  private async knownByRealPath(): Promise<Map<string, string>> {
    const now = Date.now();
    if (this.index !== undefined && now - this.index.at < FRESH_MS) return this.index.byRealPath;
    this.building ??= (async () => {
      const keys = [...new Set(this.options.known())].sort();
      const signature = keys.join('\0');
      if (this.index?.signature === signature) {
        this.index.at = Date.now();
        return this.index.byRealPath;
      }
      const byRealPath = new Map<string, string>();
      for (const key of keys) byRealPath.set(await this.realPathOf(key), key);
      this.index = { at: Date.now(), signature, byRealPath };
      return byRealPath;
    })().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  /** Registry keys are real paths already, but an older tool may have stored one through a symlink. */
  private async realPathOf(key: string): Promise<string> {
    let real = this.realKeys.get(key);
    if (real === undefined) {
      real = await realpath(key).catch(() => key);
      if (this.realKeys.size > 10_000) this.realKeys.clear();
      this.realKeys.set(key, real);
    }
    return real;
  }
}
