// The working-folder rules' parts: which processes of a parent chain may speak for the peer, how a
// process's folder is read (a /proc laid out in a temp folder, lsof's field output), and which
// project a folder names (real folders and git work trees).
import { execFileSync } from 'node:child_process';
import { mkdir, realpath, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderProjects } from '../../../electron/core/attribution/folder-projects';
import { folderRules, walkCandidates } from '../../../electron/core/attribution/folder-rules';
import { lsofCwdArgs, parseLsofCwd, ProcCwdReader, unsupportedCwdReader, type CwdReading } from '../../../electron/core/attribution/process-cwd';
import type { ProcessInfo } from '../../../electron/core/attribution/process-info';
import { decide, DEFAULT_RULES, type FocusView } from '../../../electron/core/attribution/rules';
import type { RunningIde } from '../../../electron/core/attribution/running-ides';
import { tempDir } from '../../helpers/temp';

const p = (pid: number, ppid: number, sid: number | undefined, name = 'node'): ProcessInfo => ({ pid, ppid, name, ...(sid !== undefined ? { sid } : {}) });

const ide: RunningIde = { configDir: '/cfg/IntelliJIdea2025.1', product: 'IntelliJIdea', productName: 'IntelliJ IDEA', pid: 50, openProjects: [{ path: '/p/a', idePath: '/p/a', name: 'a' }] };

describe('whose folder may speak for the peer', () => {
  it('the peer, then its parents within its session, up to but not including the session leader', () => {
    const chain = [p(40, 30, 10), p(30, 20, 10), p(20, 10, 10), p(10, 1, 10, 'bash'), p(1, 0, 1, 'systemd')];
    expect(walkCandidates(chain, undefined).map((c) => c.pid)).toEqual([40, 30, 20]);
  });

  it('up to but not including the IDE process', () => {
    const chain = [p(40, 30, 50), p(30, 50, 50), p(50, 1, 50, 'java')];
    expect(walkCandidates(chain, ide).map((c) => c.pid)).toEqual([40, 30]);
    // The IDE itself (AI Assistant in its JVM): its folder never counts.
    expect(walkCandidates([p(50, 1, 50, 'java')], ide)).toEqual([]);
  });

  it('a peer that leads its own session (a detached agent) speaks alone; a parent in another session is never asked', () => {
    expect(walkCandidates([p(40, 30, 40), p(30, 1, 30)], undefined).map((c) => c.pid)).toEqual([40]);
    expect(walkCandidates([p(40, 30, 40), p(30, 20, 7)], undefined).map((c) => c.pid)).toEqual([40]);
    expect(walkCandidates([p(40, 30, 9), p(30, 20, 7)], undefined).map((c) => c.pid)).toEqual([40]);
  });

  it('without sessions (macOS ps): a login shell ends the walk; the walk is bounded', () => {
    expect(walkCandidates([p(40, 30, undefined), p(30, 20, undefined), p(20, 1, undefined, '-zsh')], undefined).map((c) => c.pid)).toEqual([40, 30]);
    const long = Array.from({ length: 30 }, (_, i) => p(100 + i, 101 + i, undefined));
    expect(walkCandidates(long, undefined)).toHaveLength(8);
    expect(walkCandidates([], undefined)).toEqual([]);
  });
});

describe("reading a process's folder", () => {
  it('/proc/<pid>/cwd: the folder; a removed folder; a process that is gone', async () => {
    const proc = await tempDir('interceptor-fake-proc-');
    const work = await realpath(await tempDir('interceptor-cwd-target-'));
    await mkdir(path.join(proc, '10'));
    await symlink(work, path.join(proc, '10', 'cwd'));
    await mkdir(path.join(proc, '11'));
    await symlink(`${work}/gone (deleted)`, path.join(proc, '11', 'cwd'));
    // A folder whose real name ends like the kernel's mark, and exists: a folder, not a deletion.
    const odd = path.join(work, 'odd (deleted)');
    await mkdir(odd);
    await mkdir(path.join(proc, '12'));
    await symlink(odd, path.join(proc, '12', 'cwd'));
    const readings = await new ProcCwdReader(proc).read([10, 11, 12, 13]);
    expect(Object.fromEntries(readings)).toEqual<Record<number, CwdReading>>({
      10: { folder: work },
      11: { missing: 'deleted' },
      12: { folder: odd },
      13: { missing: 'gone' },
    });
  });

  it('lsof (macOS): one call for the whole chain; paths with spaces; removed and unreadable folders', () => {
    expect(lsofCwdArgs([40, 30])).toEqual(['-a', '-p', '40,30', '-d', 'cwd', '-Fn']);
    const output = ['p40', 'fcwd', 'n/Users/me/My Projects/alpha', 'p30', 'fcwd', 'n/Users/me/scratch (deleted)', 'p20', 'fcwd', 'n/private/x (stat: Permission denied)', ''].join('\n');
    expect(Object.fromEntries(parseLsofCwd(output))).toEqual({
      40: { folder: '/Users/me/My Projects/alpha' },
      30: { missing: 'deleted' },
      20: { missing: 'unreadable' },
    });
  });

  it('Windows: not available, so the IDE rules decide', async () => {
    expect(Object.fromEntries(await unsupportedCwdReader.read([7], Date.now() + 100))).toEqual({ 7: { missing: 'unsupported' } });
  });
});

describe('which project a folder names', () => {
  it('the deepest known project, by real path; else the git work tree; never home or /', async () => {
    const root = await realpath(await tempDir('interceptor-folder-projects-'));
    const home = path.join(root, 'home');
    const outer = path.join(root, 'work', 'outer');
    const inner = path.join(outer, 'inner');
    const repo = path.join(root, 'work', 'repo');
    for (const dir of [home, inner, path.join(repo, 'src')]) await mkdir(dir, { recursive: true });
    execFileSync('git', ['init', '-q', repo]);
    execFileSync('git', ['init', '-q', home]);
    const known = [outer, inner, home];
    const folders = new FolderProjects({ known: () => known, home });
    expect(await folders.projectOf(path.join(inner, 'x'))).toEqual({ project: inner, rule: 'cwd' });
    expect(await folders.projectOf(outer)).toEqual({ project: outer, rule: 'cwd' });
    expect(await folders.projectOf(path.join(repo, 'src'))).toEqual({ project: repo, rule: 'git-root' });
    expect(await folders.projectOf(home)).toBeUndefined();
    expect(await folders.projectOf(path.join(home, 'notes'))).toBeUndefined();
    expect(await folders.projectOf('/')).toBeUndefined();
    expect(await folders.projectOf(path.join(root, 'elsewhere'))).toBeUndefined();
  });
});

describe('the rules in the chain', () => {
  const focus: FocusView = { frontNow: () => undefined, lastProjectInFront: () => undefined };

  it("cwd and git-root go first, share one fact, and name the process and folder that decided; the IDE's rules come after", async () => {
    const root = await realpath(await tempDir('interceptor-folder-rules-'));
    const alpha = path.join(root, 'alpha');
    await mkdir(path.join(alpha, 'src'), { recursive: true });
    const folders = new FolderProjects({ known: () => [alpha], home: path.join(root, 'home') });
    const cwds = { read: async (pids: readonly number[]) => new Map(pids.map((pid) => [pid, pid === 40 ? { folder: path.join(alpha, 'src') } : { folder: '/' }] as const)) };
    const rules = [...folderRules({ folders, cwds }), ...DEFAULT_RULES];
    const peer = { pid: 40, chain: [p(40, 50, 50, 'claude'), p(50, 1, 50, 'java')] };
    for (const rule of rules) await rule.prepare?.(peer, Date.now() + 1000, ide);
    expect(decide(rules, { peer, ide, focus })).toEqual({ project: alpha, rule: 'cwd', evidence: { process: 'claude', folder: path.join(alpha, 'src') } });
    // Another connection of the IDE itself: no folder fact, the IDE's rule.
    const idePeer = { pid: 50, chain: [p(50, 1, 50, 'java')] };
    for (const rule of rules) await rule.prepare?.(idePeer, Date.now() + 1000, ide);
    expect(decide(rules, { peer: idePeer, ide, focus })).toEqual({ project: '/p/a', rule: 'single' });
  });
});
