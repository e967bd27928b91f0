// `interceptor setup` as a user runs it: a real child process, a real git repository, the real
// registry. Preview, apply (text and --json), the port moving under it (--check, allocate's warning),
// undo, and bad input.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseJson } from '../../helpers/cli';
import { cliSession } from './cli-env';

vi.setConfig({ testTimeout: 90_000 });

describe('interceptor setup', () => {
  it('previews, writes, checks, warns when the port moves, and undoes', async () => {
    const s = await cliSession();
    const project = await s.folder('web app');
    execFileSync('git', ['init', '-q'], { cwd: project });
    const home = path.join(s.dir, 'home');

    const tooEarly = await s.run(['setup', '--dry-run'], { cwd: project, home });
    expect(tooEarly.code).toBe(1);
    expect(tooEarly.stderr).toContain('has no port yet');

    const applied = await s.run(['setup', '--model', 'gpt-fast', '--client', 'claude,continue', '--json'], { cwd: project, home });
    expect(applied.code, applied.stderr).toBe(0);
    const doc = parseJson<{ port: number; allocated: boolean; written: string[]; excluded: string[]; clients: Array<{ client: string }> }>(applied);
    expect(doc.allocated).toBe(true);
    expect(doc.clients.map((c) => c.client)).toEqual(['continue', 'claude']);
    expect(doc.written.sort()).toEqual(
      [path.join(project, '.claude', 'settings.local.json'), path.join(project, '.continue', 'models', 'interceptor.yaml'), path.join(home, '.continue', '.env')].sort(),
    );
    expect(doc.excluded).toEqual(['/.continue/models/interceptor.yaml', '/.claude/settings.local.json']);
    const settings = JSON.parse(await readFile(path.join(project, '.claude', 'settings.local.json'), 'utf8')) as { apiKeyHelper: string; env: Record<string, string> };
    expect(settings.env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${doc.port}`);
    // The helper names this CLI and this (non-default) registry, so it works without our environment.
    expect(settings.apiKeyHelper).toContain('dist/cli/interceptor.js --registry ');
    expect(settings.apiKeyHelper).toMatch(/ token$/);
    const token = execFileSync('/bin/sh', ['-c', settings.apiKeyHelper], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } }).trim();
    expect(token).toMatch(/^sk-interceptor-/);
    expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: project, encoding: 'utf8' })).toBe('');

    const again = await s.run(['setup', '--dry-run', '--client', 'claude'], { cwd: project, home });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('dry run, nothing written');
    expect(again.stdout).toContain('up to date: .claude/settings.local.json');

    expect((await s.run(['setup', '--check'], { home })).code).toBe(0);
    await s.run(['remove', project]);
    const moved = await s.run(['allocate', project, '--port-min', String(s.range.start + 5)], { home });
    expect(moved.code).toBe(0);
    expect(moved.stderr).toContain('client files of this project still point at its old port');
    const check = await s.run(['setup', '--check'], { home });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`.claude/settings.local.json points at port ${doc.port}, but ${project} has port`);
    expect(check.stdout).toContain(`rewrite with: interceptor setup ${JSON.stringify(project)}`);

    const rewritten = await s.run(['setup', '--client', 'claude,continue'], { cwd: project, home });
    expect(rewritten.code, rewritten.stderr).toBe(0);
    expect(rewritten.stdout).toContain('update: .claude/settings.local.json');
    expect((await s.run(['setup', '--check'], { home })).code).toBe(0);

    const undone = await s.run(['setup', '--undo'], { cwd: project, home });
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain(`removed ${path.join(project, '.claude', 'settings.local.json')}`);
    expect(undone.stdout).toContain('kept ~/.continue/.env is shared');
    expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: project, encoding: 'utf8' })).toBe('');
    expect((await s.run(['setup', '--undo'], { cwd: project, home })).stdout).toContain('nothing to undo');
  });

  it('refuses bad input with exit 2 and changes nothing', async () => {
    const s = await cliSession();
    const project = await s.folder('p');
    for (const args of [['--client', 'vim'], ['--model', 'a b'], ['--undo', '--check'], ['--check', '--client', 'claude'], ['a', 'b']]) {
      const result = await s.run(['setup', ...args], { cwd: project });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^interceptor: setup/);
    }
    expect((await s.run(['show', project])).code).toBe(1); // no port was allocated
  });

  it('exits 1 and names the file when one cannot be parsed', async () => {
    const s = await cliSession();
    const project = await s.folder('broken');
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(path.join(project, '.claude'));
    await writeFile(path.join(project, '.claude', 'settings.local.json'), '{ nope');
    const result = await s.run(['setup', '--client', 'claude'], { cwd: project, home: path.join(s.dir, 'home') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not changed: .claude/settings.local.json cannot be parsed: not valid JSON');
    expect(await readFile(path.join(project, '.claude', 'settings.local.json'), 'utf8')).toBe('{ nope');
  });
});
