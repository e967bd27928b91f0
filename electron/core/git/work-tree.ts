// A git work tree as the product needs it, without running git: the folder holding `.git`. Linked
// work trees (`git worktree add`) and submodules have a `.git` file pointing at their git dir, so each
// is a work tree of its own. Client setup lists machine-local files in its `info/exclude`; attribution
// takes its top folder as the project of an agent working inside an unregistered repository.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface GitWorkTree {
  /** The work tree's top folder (where `.git` is). */
  root: string;
  /** `<git dir>/info/exclude`, in the common git dir for linked work trees. */
  excludeFile: string;
}

async function isDirectory(target: string): Promise<boolean | undefined> {
  try {
    return (await stat(target)).isDirectory();
  } catch {
    return undefined;
  }
}

async function gitDirOf(dotGit: string): Promise<string | undefined> {
  const kind = await isDirectory(dotGit);
  if (kind === undefined) return undefined;
  if (kind) return dotGit;
  // A linked work tree or a submodule: ".git" is a file saying "gitdir: <path>".
  const text = await readFile(dotGit, 'utf8').catch(() => '');
  const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(text)?.[1];
  return pointer === undefined ? undefined : path.resolve(path.dirname(dotGit), pointer);
}

/** The git work tree holding `folder`, or null when there is none. */
export async function findGitWorkTree(folder: string): Promise<GitWorkTree | null> {
  for (let dir = path.resolve(folder); ; ) {
    const gitDir = await gitDirOf(path.join(dir, '.git'));
    if (gitDir !== undefined) {
      const common = (await readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => '')).trim();
      const base = common === '' ? gitDir : path.resolve(gitDir, common);
      return { root: dir, excludeFile: path.join(base, 'info', 'exclude') };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

