// The JetBrains source against a real temp HOME: a config folder whose .lock holds the PID of a real
// child process standing in for the IDE, recentProjects.xml replaced the way an IDE saves it.
import { spawn, type ChildProcess } from 'node:child_process';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { JetBrainsSource, type JetBrainsSourceOptions } from '../../../electron/core/discovery/jetbrains/jetbrains-source';
import type { DiscoveredProject } from '../../../electron/core/discovery/project-source';
import { tempDir } from '../../helpers/temp';
import { fixture, put, recentProjectsXml, replaceAtomically } from '../../fixtures/jetbrains/fixtures';

/** Opens and closes must reach listeners within this long after the file change. */
const FILE_CHANGE_BUDGET_MS = 1000;
const POLL_MS = 1000;

const children: ChildProcess[] = [];
const sources: JetBrainsSource[] = [];

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A long-lived process standing in for a running IDE. */
async function fakeIde(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

interface Home {
  home: string;
  jetbrains: string;
  ideDir(name: string): string;
  recentFile(name: string): string;
}

async function makeHome(): Promise<Home> {
  const home = await tempDir('source-home-');
  const jetbrains = path.join(home, '.config', 'JetBrains');
  return {
    home,
    jetbrains,
    ideDir: (name) => path.join(jetbrains, name),
    recentFile: (name) => path.join(jetbrains, name, 'options', 'recentProjects.xml'),
  };
}

async function startSource(home: string, options: JetBrainsSourceOptions = {}): Promise<JetBrainsSource> {
  const source = new JetBrainsSource({ platform: 'linux', homedir: home, env: {}, pollIntervalMs: POLL_MS, ...options });
  sources.push(source);
  await source.start();
  return source;
}

function openPaths(projects: readonly DiscoveredProject[]): string[] {
  return projects.filter((p) => p.open).map((p) => p.path);
}

/**
 * Resolves when a 'change' event satisfies `predicate`; rejects after `budgetMs`. Call it before
 * making the change, so the budget is measured from the change.
 */
function changeWithin(
  source: JetBrainsSource,
  predicate: (projects: readonly DiscoveredProject[]) => boolean,
  budgetMs: number,
): Promise<readonly DiscoveredProject[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching change within ${budgetMs} ms; open now: ${JSON.stringify(openPaths(source.current()))}`));
    }, budgetMs);
    const off = source.on('change', (projects) => {
      if (!predicate(projects)) return;
      clearTimeout(timer);
      off();
      resolve(projects);
    });
  });
}

/** Records every published list, to prove that something did NOT happen during a window. */
function recordChanges(source: JetBrainsSource): (readonly DiscoveredProject[])[] {
  const seen: (readonly DiscoveredProject[])[] = [];
  source.on('change', (projects) => seen.push(projects));
  return seen;
}

describe('JetBrainsSource', () => {
  it('opens and closes projects within a second of the IDE replacing recentProjects.xml', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    const alpha = path.join(h.home, 'work', 'alpha');
    const beta = path.join(h.home, 'work', 'beta');
    put(
      h.recentFile('IntelliJIdea2024.3'),
      recentProjectsXml([
        { key: '$USER_HOME$/work/alpha', opened: true },
        { key: '$USER_HOME$/work/beta', opened: false },
      ]),
    );
    put(path.join(h.ideDir('IntelliJIdea2024.3'), '.lock'), String(ide.pid));
    const source = new JetBrainsSource({ platform: 'linux', homedir: h.home, env: {}, pollIntervalMs: POLL_MS });
    sources.push(source);
    const initial = recordChanges(source);
    await source.start();
    expect(openPaths(source.current())).toEqual([alpha]);
    expect(source.current().map((p) => p.path)).toEqual([alpha, beta]);
    // Listeners attached before start() hear the initial list exactly once.
    expect(initial).toEqual([source.current()]);

    const opened = changeWithin(source, (p) => openPaths(p).includes(beta), FILE_CHANGE_BUDGET_MS);
    await replaceAtomically(
      h.recentFile('IntelliJIdea2024.3'),
      recentProjectsXml([
        { key: '$USER_HOME$/work/alpha', opened: true },
        { key: '$USER_HOME$/work/beta', opened: true },
      ]),
    );
    expect(openPaths(await opened)).toEqual([alpha, beta]);

    const closed = changeWithin(source, (p) => !openPaths(p).includes(alpha), FILE_CHANGE_BUDGET_MS);
    await replaceAtomically(
      h.recentFile('IntelliJIdea2024.3'),
      recentProjectsXml([
        { key: '$USER_HOME$/work/alpha', opened: false },
        { key: '$USER_HOME$/work/beta', opened: true },
      ]),
    );
    expect(openPaths(await closed)).toEqual([beta]);
  });

  it('keeps the last good view through partial writes and conflict markers, then takes the fixed file', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    const file = h.recentFile('IntelliJIdea2024.3');
    put(file, recentProjectsXml([{ key: '$USER_HOME$/work/alpha', opened: true }]));
    put(path.join(h.ideDir('IntelliJIdea2024.3'), '.lock'), String(ide.pid));
    const source = await startSource(h.home);
    const alpha = path.join(h.home, 'work', 'alpha');
    expect(openPaths(source.current())).toEqual([alpha]);
    const seen = recordChanges(source);

    // A save caught half-way (written in place, cut short), then one with conflict markers.
    const full = recentProjectsXml([
      { key: '$USER_HOME$/work/alpha', opened: true },
      { key: '$USER_HOME$/work/gamma', opened: true },
    ]);
    await writeFile(file, full.slice(0, Math.floor(full.length / 2)));
    await sleep(600);
    expect(seen).toEqual([]);
    expect(openPaths(source.current())).toEqual([alpha]);
    const broken = source.report().ides[0]?.files.find((f) => f.name === 'recentProjects.xml');
    expect(broken).toMatchObject({ status: 'error', stale: true, entries: 1, error: expect.stringMatching(/truncated/) });

    await replaceAtomically(file, fixture('broken/recentProjects-conflict.xml'));
    await sleep(600);
    expect(seen).toEqual([]);
    expect(source.report().ides[0]?.files[0]?.error).toMatch(/conflict markers/);

    const gamma = path.join(h.home, 'work', 'gamma');
    const fixed = changeWithin(source, (p) => openPaths(p).includes(gamma), FILE_CHANGE_BUDGET_MS);
    await writeFile(file, full);
    expect(openPaths(await fixed)).toEqual([alpha, gamma]);
    expect(source.report().ides[0]?.files[0]).toMatchObject({ status: 'ok', stale: false });
  });

  it('a save that moves the old file away before the new one arrives does not flap', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    const file = h.recentFile('IntelliJIdea2024.3');
    const content = recentProjectsXml([{ key: '$USER_HOME$/work/alpha', opened: true }]);
    put(file, content);
    put(path.join(h.ideDir('IntelliJIdea2024.3'), '.lock'), String(ide.pid));
    const source = await startSource(h.home, { debounceMs: 200 });
    const seen = recordChanges(source);

    // Longer than the debounce: the source reads while the file is missing.
    await rename(file, `${file}.___jb_old___`);
    await sleep(300);
    await writeFile(`${file}.___jb_tmp___`, content);
    await rename(`${file}.___jb_tmp___`, file);
    await rm(`${file}.___jb_old___`);
    await sleep(700);
    expect(seen).toEqual([]);
    expect(openPaths(source.current())).toEqual([path.join(h.home, 'work', 'alpha')]);
  });

  it('a file that is really deleted closes its projects after the confirmation read', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    put(h.recentFile('IntelliJIdea2024.3'), recentProjectsXml([{ key: '$USER_HOME$/work/alpha', opened: true }]));
    put(path.join(h.ideDir('IntelliJIdea2024.3'), '.lock'), String(ide.pid));
    const source = await startSource(h.home, { debounceMs: 200 });
    const closed = changeWithin(source, (p) => openPaths(p).length === 0, FILE_CHANGE_BUDGET_MS);
    await rm(h.recentFile('IntelliJIdea2024.3'));
    expect(await closed).toEqual([]);
  });

  it('the IDE quitting (its .lock removed) closes everything, and restarting reopens what is marked open', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    const lock = path.join(h.ideDir('PyCharm2025.1'), '.lock');
    put(path.join(h.ideDir('PyCharm2025.1'), 'options', 'recentProjects.xml'), fixture('modern/recentProjects-pycharm-options.xml'));
    put(lock, String(ide.pid));
    const source = await startSource(h.home);
    const pipeline = path.join(h.home, 'PycharmProjects', 'data-pipeline');
    expect(openPaths(source.current())).toEqual([pipeline]);

    const quit = changeWithin(source, (p) => openPaths(p).length === 0, FILE_CHANGE_BUDGET_MS);
    await rm(lock);
    await quit;
    expect(source.current().find((p) => p.path === pipeline)).toMatchObject({ open: false });

    const restarted = changeWithin(source, (p) => openPaths(p).includes(pipeline), FILE_CHANGE_BUDGET_MS);
    await writeFile(lock, `${ide.pid}`);
    await restarted;
  });

  it('an IDE that dies without cleaning up (stale .lock) is noticed within the poll interval', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    put(h.recentFile('IntelliJIdea2024.3'), fixture('modern/recentProjects-intellij.xml'));
    put(path.join(h.ideDir('IntelliJIdea2024.3'), '.lock'), String(ide.pid));
    const other = await fakeIde();
    put(path.join(h.ideDir('Rider2024.3'), 'options', 'recentSolutions.xml'), fixture('rider/recentSolutions.xml'));
    put(path.join(h.ideDir('Rider2024.3'), '.lock'), String(other.pid));
    const source = await startSource(h.home);
    const storefront = path.join(h.home, 'RiderProjects', 'Storefront');
    expect(openPaths(source.current())).toHaveLength(4);

    // Everything from the dead IDE closes; the other IDE's projects stay open.
    const closed = changeWithin(
      source,
      (p) => p.filter((x) => x.open && x.source.kind === 'jetbrains' && x.source.product === 'IntelliJIdea').length === 0,
      POLL_MS + FILE_CHANGE_BUDGET_MS,
    );
    await kill(ide);
    const after = await closed;
    expect(openPaths(after)).toEqual([path.join(h.home, 'RiderProjects', 'GameJam'), storefront]);
    expect(source.report().ides.find((i) => i.product === 'IntelliJIdea')?.liveness.reason).toMatch(/gone/);
  });

  it('picks up an IDE config folder created after start (a newly installed version)', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    put(h.recentFile('IntelliJIdea2024.3'), recentProjectsXml([{ key: '$USER_HOME$/work/alpha', opened: true }]));
    const source = await startSource(h.home);
    expect(openPaths(source.current())).toEqual([]);

    const appeared = changeWithin(source, (p) => openPaths(p).includes(path.join(h.home, 'work', 'delta')), FILE_CHANGE_BUDGET_MS);
    const fresh = h.ideDir('IntelliJIdea2025.1');
    put(path.join(fresh, '.lock'), String(ide.pid));
    put(path.join(fresh, 'options', 'recentProjects.xml'), recentProjectsXml([{ key: '$USER_HOME$/work/delta', opened: true }]));
    await appeared;
    expect(source.ides().map((i) => [i.version, i.running])).toEqual([
      ['2024.3', false],
      ['2025.1', true],
    ]);
  });

  it('finds the JetBrains folder when it only appears after start (first IDE ever installed)', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    const source = await startSource(h.home, { pollIntervalMs: 300, rescanEveryPolls: 2 });
    expect(source.current()).toEqual([]);
    const appeared = changeWithin(source, (p) => openPaths(p).length === 1, 600 + FILE_CHANGE_BUDGET_MS);
    put(path.join(h.ideDir('WebStorm2024.2'), '.lock'), String(ide.pid));
    put(path.join(h.ideDir('WebStorm2024.2'), 'options', 'recentProjects.xml'), recentProjectsXml([{ key: '$USER_HOME$/web', opened: true }]));
    expect(openPaths(await appeared)).toEqual([path.join(h.home, 'web')]);
  });

  it('notices an options/ folder created after start', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    put(path.join(h.ideDir('GoLand2024.3'), '.lock'), String(ide.pid));
    const source = await startSource(h.home);
    const appeared = changeWithin(source, (p) => openPaths(p).length === 1, FILE_CHANGE_BUDGET_MS);
    put(h.recentFile('GoLand2024.3'), recentProjectsXml([{ key: '$USER_HOME$/go/svc', opened: true }]));
    expect(openPaths(await appeared)).toEqual([path.join(h.home, 'go', 'svc')]);
  });

  it('serves folders the user adds while running, and drops them when removed', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    const portable = path.join(h.home, 'portable', 'idea-config');
    put(path.join(portable, 'options', 'recentProjects.xml'), recentProjectsXml([{ key: '$USER_HOME$/work/epsilon', opened: true }]));
    put(path.join(portable, '.lock'), String(ide.pid));
    const source = await startSource(h.home);
    expect(source.current()).toEqual([]);

    await source.setExtraConfigDirs([portable]);
    expect(openPaths(source.current())).toEqual([path.join(h.home, 'work', 'epsilon')]);
    expect(source.report().ides.map((i) => [i.configDir, i.layout, i.running])).toEqual([[portable, 'user', true]]);

    await source.setExtraConfigDirs([]);
    expect(source.current()).toEqual([]);
  });

  it('after stop() nothing is published and no handle keeps running', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    put(h.recentFile('IntelliJIdea2024.3'), recentProjectsXml([{ key: '$USER_HOME$/work/alpha', opened: true }]));
    put(path.join(h.ideDir('IntelliJIdea2024.3'), '.lock'), String(ide.pid));
    const watchers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const before = watchers();
    const source = await startSource(h.home, { pollIntervalMs: 200 });
    // The JetBrains root, the IDE folder and its options/ folder.
    expect(watchers()).toBe(before + 3);
    const seen = recordChanges(source);
    await source.stop();
    await sleep(50); // handles finish closing on a later turn of the event loop
    expect(watchers()).toBe(before);
    await replaceAtomically(h.recentFile('IntelliJIdea2024.3'), recentProjectsXml([]));
    await rm(path.join(h.ideDir('IntelliJIdea2024.3'), '.lock'));
    await sleep(600);
    expect(seen).toEqual([]);
    await source.stop();
  });

  it('never writes to the IDE folder', async () => {
    const h = await makeHome();
    const ide = await fakeIde();
    const dir = h.ideDir('IntelliJIdea2024.3');
    put(h.recentFile('IntelliJIdea2024.3'), fixture('modern/recentProjects-intellij.xml'));
    put(path.join(dir, 'options', 'path.macros.xml'), fixture('macros/path.macros.xml'));
    put(path.join(dir, '.lock'), String(ide.pid));
    const { readdir, stat } = await import('node:fs/promises');
    const listing = async (): Promise<string[]> => {
      const names = await readdir(dir, { recursive: true });
      return Promise.all(names.sort().map(async (n) => `${n}:${(await stat(path.join(dir, n))).mtimeMs}`));
    };
    const before = await listing();
    const source = await startSource(h.home, { pollIntervalMs: 200 });
    await sleep(500);
    source.report();
    await source.stop();
    expect(await listing()).toEqual(before);
  });
});
