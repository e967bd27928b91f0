// Which project a folder belongs to, for the working-folder rules: the deepest known project holding
// it (registry mappings and projects open in an IDE, matched by their real paths so a project
// registered through a symlink is found from the folder the kernel reports), else the top of the git
// work tree holding it (a linked work tree or a submodule is its own). A home folder and `/` are never
// a project: an agent started there says nothing, and neither does a dotfiles repository at home.
// Answers are cached briefly (an agent opens many connections from one folder), and dropped as soon
// as the list of known projects changes: a project registered a moment ago is known at once.
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

/** How long one answer for a folder is reused while the known projects stay the same. */
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
  private index: { signature: string; byRealPath: Map<string, string> } | undefined;
  private building: { signature: string; done: Promise<Map<string, string>> } | undefined;
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
    const keys = this.knownKeys();
    if (keys.signature !== this.index?.signature) this.answers.clear();
    const cached = this.answers.get(folder);
    if (cached !== undefined && now - cached.at < FRESH_MS) return cached.answer;
    const answer = this.decide(folder, keys).catch(() => undefined);
    if (this.answers.size >= MAX_CACHED_FOLDERS) this.answers.clear();
    this.answers.set(folder, { at: now, answer });
    return answer;
  }

  private async decide(folder: string, keys: { keys: string[]; signature: string }): Promise<FolderProject | undefined> {
    await this.homeResolved;
    if (this.never.has(folder)) return undefined;
    const known = await this.knownByRealPath(keys);
    for (let dir = folder; ; dir = path.dirname(dir)) {
      const key = this.never.has(dir) ? undefined : known.get(dir);
      if (key !== undefined) return { project: key, rule: 'cwd' };
      if (path.dirname(dir) === dir) break;
    }
    const root = await this.workTreeOf(folder);
    if (root === undefined || this.never.has(root)) return undefined;
    return { project: root, rule: 'git-root' };
  }

  private knownKeys(): { keys: string[]; signature: string } {
    const keys = [...new Set(this.options.known())].sort();
    return { keys, signature: keys.join('\0') };
  }

  /** Known projects by real path, rebuilt when the list changes. */
  private async knownByRealPath(known = this.knownKeys()): Promise<Map<string, string>> {
    if (this.index?.signature === known.signature) return this.index.byRealPath;
    if (this.building?.signature === known.signature) return this.building.done;
    const done = (async () => {
      const byRealPath = new Map<string, string>();
      for (const key of known.keys) byRealPath.set(await this.realPathOf(key), key);
      this.index = { signature: known.signature, byRealPath };
      return byRealPath;
    })().finally(() => {
      if (this.building?.done === done) this.building = undefined;
    });
    this.building = { signature: known.signature, done };
    return done;
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
