// Machine-local ports must not reach a repository: files setup writes inside a git work tree are
// listed in that repository's `info/exclude` (never in .gitignore, which is shared). Linked work trees
// (`git worktree add`) and submodules have a `.git` file pointing at their git dir; a linked work
// tree's excludes live in the common git dir. When git itself is installed it answers whether a path
// is ignored already (by any rule) or tracked (then no exclude helps, and the preview says so).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ensureFolder, readIfExists, writeFileAtomic } from '../registry/atomic-file';
import { systemErrorCode } from '../errors';
import type { GitWorkTree } from '../git/work-tree';

export { findGitWorkTree, type GitWorkTree } from '../git/work-tree';

/** The anchored pattern for `file` in `tree`: "/.claude/settings.local.json". */
export function excludePattern(tree: GitWorkTree, file: string): string {
  return `/${path.relative(tree.root, file).split(path.sep).join('/')}`;
}

function git(tree: GitWorkTree, args: string[]): Promise<number | 'no-git'> {
  return new Promise((resolve) => {
    execFile('git', ['-C', tree.root, ...args], { timeout: 5000, windowsHide: true }, (error) => {
      if (!error) return resolve(0);
      if (systemErrorCode(error) === 'ENOENT') return resolve('no-git');
      const code = (error as { code?: unknown }).code;
      resolve(typeof code === 'number' ? code : 128);
    });
  });
}

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

export interface ExcludePlan {
  /** Patterns to append. */
  add: string[];
  /** Files git ignores already (a line in exclude, .gitignore, a global rule). */
  ignored: string[];
  /** Files git tracks: excluding them does nothing. */
  tracked: string[];
}

export async function planExcludes(tree: GitWorkTree, files: readonly string[]): Promise<ExcludePlan> {
  const present = new Set(lines((await readIfExists(tree.excludeFile))?.toString('utf8') ?? '').map((line) => line.trim()));
  const plan: ExcludePlan = { add: [], ignored: [], tracked: [] };
  for (const file of files) {
    const pattern = excludePattern(tree, file);
    const relative = pattern.slice(1);
    if (present.has(pattern)) {
      plan.ignored.push(file);
      continue;
    }
    if ((await git(tree, ['ls-files', '--error-unmatch', '--', relative])) === 0) {
      plan.tracked.push(file);
      continue;
    }
    if ((await git(tree, ['check-ignore', '-q', '--no-index', '--', relative])) === 0) {
      plan.ignored.push(file);
      continue;
    }
    if (!plan.add.includes(pattern)) plan.add.push(pattern);
  }
  return plan;
}

/** Appends the patterns not already there; returns those added. */
export async function addExcludes(tree: GitWorkTree, patterns: readonly string[]): Promise<string[]> {
  if (patterns.length === 0) return [];
  const text = (await readIfExists(tree.excludeFile))?.toString('utf8') ?? '';
  const present = new Set(lines(text).map((line) => line.trim()));
  const added = patterns.filter((pattern) => !present.has(pattern));
  if (added.length === 0) return [];
  await ensureFolder(path.dirname(tree.excludeFile));
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(tree.excludeFile, `${text}${separator}${added.join('\n')}\n`);
  return added;
}

/** Takes each pattern out once (the lines setup added); returns those removed. */
export async function removeExcludes(excludeFile: string, patterns: readonly string[]): Promise<string[]> {
  const existing = await readIfExists(excludeFile).catch((error: unknown) => {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (existing === undefined) return [];
  const kept = lines(existing.toString('utf8'));
  const removed: string[] = [];
  for (const pattern of patterns) {
    const index = kept.findIndex((line) => line.trim() === pattern);
    if (index === -1) continue;
    kept.splice(index, 1);
    removed.push(pattern);
  }
  if (removed.length > 0) await writeFileAtomic(excludeFile, kept.join('\n'));
  return removed;
}
