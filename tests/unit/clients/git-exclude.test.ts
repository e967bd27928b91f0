// .git/info/exclude: not in git, a plain repository, a linked work tree, a project below the top,
// and paths git ignores or tracks already. Uses the real git.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findGitWorkTree } from '../../../electron/core/clients/git-exclude';
import { tempDir } from '../../helpers/temp';
import { setupFixture } from './setup-fixture';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

describe('.git/info/exclude', () => {
  it('is left alone outside a git work tree', async () => {
    const f = await setupFixture();
    const plan = await f.plan('claude', 8941);
    expect(plan.preview.gitExclude).toEqual({ file: null, add: [], note: 'not in a git work tree: nothing to exclude' });
  });

  it('gets the written paths in a repository (anchored, once), never .gitignore, and loses them on undo', async () => {
    const f = await setupFixture();
    git(f.project, 'init', '-q');
    await writeFile(path.join(f.project, '.gitignore'), 'node_modules/\n');
    const exclude = path.join(f.project, '.git', 'info', 'exclude');
    const before = await readFile(exclude, 'utf8');
    const plan = await f.setup.plan({ project: f.project, port: 8942, clients: ['claude', 'junie'] });
    expect(plan.preview.gitExclude.add).toEqual(['/.claude/settings.local.json', '/.junie/models/interceptor.json']);
    expect(plan.preview.gitExclude.note).toContain('never .gitignore');
    const result = await f.setup.apply({ project: f.project, port: 8942, clients: ['claude', 'junie'] });
    expect(result.excluded).toEqual(['/.claude/settings.local.json', '/.junie/models/interceptor.json']);
    expect(await readFile(exclude, 'utf8')).toBe(`${before}/.claude/settings.local.json\n/.junie/models/interceptor.json\n`);
    expect(await readFile(path.join(f.project, '.gitignore'), 'utf8')).toBe('node_modules/\n');
    expect(git(f.project, 'status', '--porcelain', '--untracked-files=all')).toBe('?? .gitignore\n');

    // Again: nothing more to add.
    expect((await f.setup.plan({ project: f.project, port: 8942, clients: ['claude', 'junie'] })).preview.gitExclude.add).toEqual([]);
    const undone = await f.setup.undo(f.project);
    expect(undone.unexcluded).toEqual(['/.claude/settings.local.json', '/.junie/models/interceptor.json']);
    expect(await readFile(exclude, 'utf8')).toBe(before);
  });

  it('skips paths git ignores already and warns about tracked ones', async () => {
    const f = await setupFixture();
    git(f.project, 'init', '-q');
    await writeFile(path.join(f.project, '.gitignore'), '.claude/\n');
    await mkdir(path.join(f.project, '.junie', 'models'), { recursive: true });
    await writeFile(path.join(f.project, '.junie', 'models', 'interceptor.json'), '{}\n');
    git(f.project, 'add', '.junie/models/interceptor.json');
    const plan = await f.setup.plan({ project: f.project, port: 8943, clients: ['claude', 'junie'] });
    expect(plan.preview.gitExclude.add).toEqual([]);
    expect(plan.preview.gitExclude.note).toContain('.claude/settings.local.json ignored by git already');
    expect(plan.preview.gitExclude.note).toContain('.junie/models/interceptor.json tracked by git: an exclude does not apply');
  });

  it('uses the common git dir of a linked work tree, with paths from the work tree top for a project below it', async () => {
    const main = await tempDir('interceptor-git-');
    git(main, 'init', '-q');
    await writeFile(path.join(main, 'README'), 'x\n');
    git(main, 'add', 'README');
    git(main, 'commit', '-qm', 'first');
    const linked = path.join(await tempDir('interceptor-wt-'), 'linked');
    git(main, 'worktree', 'add', '-q', linked);
    const project = path.join(linked, 'packages', 'app');
    await mkdir(project, { recursive: true });
    const tree = await findGitWorkTree(project);
    expect(tree).toEqual({ root: linked, excludeFile: path.join(main, '.git', 'info', 'exclude') });

    const f = await setupFixture();
    const setup = f.setup;
    const result = await setup.apply({ project, port: 8944, clients: ['claude'] });
    expect(result.excluded).toEqual(['/packages/app/.claude/settings.local.json']);
    expect(git(linked, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });
});
