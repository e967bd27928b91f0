// The IDE port end to end with real processes and sockets: a fake IDE process (its PID in a config
// folder's .lock, its open projects in recentProjects.xml) and a child of it send requests through
// the IDE port to a fake upstream, which must see the right project and rule for each. Only the
// window in front is given (RecordedFocus); x11-focus.test.ts reads a real X display instead.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RecordedFocus } from '../../../electron/core/attribution/focus/recorded-focus';
import { ProcFsTable } from '../../../electron/core/attribution/process-info';
import { projectSlug } from '../../../electron/core/proxy/project-identity';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { agentRequest, ideFolder, killFakeIdes, seen, startFakeIde, startHarness, type Harness } from './ide-harness';

let upstream: FakeUpstream;
let harness: Harness | undefined;

beforeAll(async () => {
  upstream = await startFakeUpstream({ chunkCount: 5, chunkIntervalMs: 1 });
});
afterAll(async () => {
  await upstream.close();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await killFakeIdes();
});

async function workspace(): Promise<{ root: string; projects: string }> {
  const base = await tempDir('interceptor-ide-port-');
  return { root: path.join(base, 'config'), projects: path.join(base, 'work') };
}

/** A request's answer must come well within the lookup bound: attribution never holds it up for long. */
const PROMPT_MS = 3000;

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

describe('the IDE port attributes each request to its project', () => {
  it('one open project: the IDE and its child both get it by the `single` rule', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha' }]);
    await folder.writeLock(ide.pid);
    harness = await startHarness(upstream, [folder.configDir], new RecordedFocus());
    await harness.waitForIdes(1);

    expect((await ide.request(harness.url)).status).toBe(200);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.alpha as string), rule: 'single', ide: 'ide:intellij-idea' });
    const child = await ide.childRequest(harness.url);
    expect(child.status).toBe(200);
    expect(child.pid).not.toBe(ide.pid);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.alpha as string), rule: 'single' });

    const entries = harness.idePort.recent();
    expect(entries.map((entry) => [entry.project, entry.attribution])).toEqual([
      [folder.projects.alpha, 'single'],
      [folder.projects.alpha, 'single'],
    ]);
    const metadata = JSON.parse(upstream.lastRequest().headers['x-litellm-spend-logs-metadata'] as string) as Record<string, unknown>;
    expect(metadata.interceptor_attribution).toBe('single');
    expect(upstream.lastRequest().headers['x-litellm-tags']).toContain('attribution:single');
  });

  it('the hand-off path (HTTP/1.0, served by node:http) attributes the same way', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha' }]);
    await folder.writeLock(ide.pid);
    harness = await startHarness(upstream, [folder.configDir], new RecordedFocus());
    await harness.waitForIdes(1);
    expect((await ide.http10(harness.url)).status).toBe(200);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.alpha as string), rule: 'single' });
    expect(harness.idePort.recent().at(-1)).toMatchObject({ project: folder.projects.alpha, attribution: 'single' });
    const response = await fetch(harness.url.replace('/v1/chat/completions', '/_interceptor/health'));
    expect(response.status).toBe(200);
  });

  it('two open projects: the window in front decides, in turn, for the IDE and its child (`focus`)', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'PyCharm2025.1', projects, [{ name: 'alpha' }, { name: 'beta' }]);
    await folder.writeLock(ide.pid);
    const focus = new RecordedFocus({ kind: 'window', pid: ide.pid, title: 'alpha – main.py' });
    harness = await startHarness(upstream, [folder.configDir], focus);
    await harness.waitForIdes(1);
    const alpha = projectSlug(folder.projects.alpha as string);
    const beta = projectSlug(folder.projects.beta as string);

    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: alpha, rule: 'focus' });
    await ide.childRequest(harness.url);
    expect(seen(upstream)).toMatchObject({ project: alpha, rule: 'focus' });

    focus.show({ kind: 'window', pid: ide.pid, title: 'beta – README.md' });
    await waitFor('beta in front', () => harness?.idePort.state().ides[0]?.inFront === folder.projects.beta);
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: beta, rule: 'focus' });
    await ide.childRequest(harness.url);
    expect(seen(upstream)).toMatchObject({ project: beta, rule: 'focus' });

    focus.show({ kind: 'window', pid: ide.pid, title: 'alpha – main.py' });
    await waitFor('alpha in front', () => harness?.idePort.state().ides[0]?.inFront === folder.projects.alpha);
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: alpha, rule: 'focus' });
  });

  it('the IDE not in front: the project last in front, else the one the IDE activated last (`last-focused`)', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [
      { name: 'alpha', activation: 1_736_000_000_000 },
      { name: 'beta', activation: 1_736_000_500_000 },
    ]);
    await folder.writeLock(ide.pid);
    // Another program's window is in front from the start.
    const focus = new RecordedFocus({ kind: 'window', pid: process.pid, title: 'Mozilla Firefox' });
    harness = await startHarness(upstream, [folder.configDir], focus);
    await harness.waitForIdes(1);

    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.beta as string), rule: 'last-focused' });

    // alpha comes to the front, then the user goes back to the browser: alpha was last in front.
    focus.show({ kind: 'window', pid: ide.pid, title: 'alpha – Main.kt' });
    await waitFor('alpha in front', () => harness?.idePort.state().ides[0]?.inFront === folder.projects.alpha);
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.alpha as string), rule: 'focus' });
    focus.show({ kind: 'window', pid: process.pid, title: 'Mozilla Firefox' });
    await waitFor('the browser in front', () => harness?.idePort.state().ides[0]?.inFront === null);
    await ide.childRequest(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.alpha as string), rule: 'last-focused' });
    expect(harness.idePort.state().ides[0]?.lastFocused).toBe(folder.projects.alpha);
  });

  it('a process that is no IDE and no child of one: `unattributed`, tagged project:unattributed, never a guess', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha' }]);
    await folder.writeLock(ide.pid);
    harness = await startHarness(upstream, [folder.configDir], new RecordedFocus({ kind: 'window', pid: ide.pid, title: 'alpha – x' }));
    await harness.waitForIdes(1);

    // A process of its own in a folder that names no project: not the IDE, not its child.
    const outside = await tempDir('interceptor-no-project-');
    expect((await agentRequest(harness.url, outside)).status).toBe(200);
    const request = upstream.lastRequest();
    expect(request.headers['x-interceptor-attribution']).toBe('unattributed');
    expect(request.headers['x-interceptor-project']).toBe('unattributed');
    expect(String(request.headers['x-litellm-tags']).split(',')).toEqual(['project:unattributed', 'attribution:unattributed']);
    const metadata = JSON.parse(request.headers['x-litellm-spend-logs-metadata'] as string) as Record<string, unknown>;
    expect(metadata).toMatchObject({ interceptor_project: 'unattributed', interceptor_folder: '', interceptor_attribution: 'unattributed' });
    expect(metadata.interceptor_path_hash).toBeUndefined();
    const entry = harness.idePort.recent().at(-1);
    expect(entry?.attribution).toBe('unattributed');
    expect(entry?.project).toBeUndefined();
  });

  it('a stream that starts on A keeps A when focus moves to B mid-stream, and so does the connection\'s next request within seconds', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha' }, { name: 'beta' }]);
    await folder.writeLock(ide.pid);
    const focus = new RecordedFocus({ kind: 'window', pid: ide.pid, title: 'alpha – Main.kt' });
    harness = await startHarness(upstream, [folder.configDir], focus, { stickyMs: 1500 });
    await harness.waitForIdes(1);
    const alpha = projectSlug(folder.projects.alpha as string);
    const beta = projectSlug(folder.projects.beta as string);

    let movedFocus: Promise<unknown> | undefined;
    const stream = await ide.request(harness.url, {
      stream: true,
      keepAlive: true,
      headers: { 'x-fake-chunks': '12', 'x-fake-interval-ms': '60' },
      onFirstChunk: () => {
        focus.show({ kind: 'window', pid: ide.pid, title: 'beta – README.md' });
        movedFocus = waitFor('beta in front', () => harness?.idePort.state().ides[0]?.inFront === folder.projects.beta);
      },
    });
    expect(stream.status).toBe(200);
    await movedFocus;
    expect(seen(upstream)).toMatchObject({ project: alpha, rule: 'focus' });
    expect(harness.idePort.recent().at(-1)).toMatchObject({ project: folder.projects.alpha, attribution: 'focus', streamed: true });

    // Same connection, right after: the burst stays on alpha although beta is in front.
    await ide.request(harness.url, { keepAlive: true });
    expect(seen(upstream)).toMatchObject({ project: alpha, rule: 'focus' });
    expect(upstream.connectionsAccepted()).toBeGreaterThan(0);

    // After the quiet period the connection's next request follows the focus again.
    await sleep(1700);
    await ide.request(harness.url, { keepAlive: true });
    expect(seen(upstream)).toMatchObject({ project: beta, rule: 'focus' });
  });
});

describe('following the window in front', () => {
  it('reads it only while the IDE port had traffic lately, and stops when the port goes quiet', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha' }, { name: 'beta' }]);
    await folder.writeLock(ide.pid);
    const focus = new RecordedFocus({ kind: 'window', pid: ide.pid, title: 'beta – x' });
    harness = await startHarness(upstream, [folder.configDir], focus, { focusPollMs: 50, focusActiveForMs: 400 });
    await harness.waitForIdes(1);
    await sleep(300);
    expect(focus.reads).toBe(0);
    expect(harness.idePort.state().focus.state).toBe('idle');

    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.beta as string), rule: 'focus' });
    await waitFor('a few polls', () => focus.reads >= 3);
    await waitFor('polling stopped', () => harness?.idePort.state().focus.state === 'idle', 3000);
    const stoppedAt = focus.reads;
    await sleep(300);
    expect(focus.reads).toBe(stoppedAt);
  });
});

describe('bad input and failure: a defined rule, never a delayed or failed request', () => {
  it('the peer\'s process cannot be read: unattributed, answered at once', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha' }]);
    await folder.writeLock(ide.pid);
    // A process table with nothing in it: /proc/<pid>/stat of every peer is unreadable.
    const emptyProc = await tempDir('interceptor-empty-proc-');
    harness = await startHarness(upstream, [folder.configDir], new RecordedFocus(), { processes: new ProcFsTable(emptyProc) });
    await harness.waitForIdes(1);
    const { value, ms } = await timed(ide.request(harness.url));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
  });

  it('a lookup slower than its bound: the request goes on unattributed when the bound passes', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha' }]);
    await folder.writeLock(ide.pid);
    // A process table that never answers within the bound.
    const stalled = { info: () => new Promise<undefined>(() => {}) };
    harness = await startHarness(upstream, [folder.configDir], new RecordedFocus(), { processes: stalled, lookupTimeoutMs: 200 });
    await harness.waitForIdes(1);
    const { value, ms } = await timed(ide.request(harness.url));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
  });

  it('the .lock names a PID that another program took after the IDE died: not that IDE (unattributed)', async () => {
    const { root, projects } = await workspace();
    const impostor = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha' }]);
    // The .lock was written an hour ago, long before this process started: its PID was reused.
    await folder.writeLock(impostor.pid, new Date(Date.now() - 3600_000));
    harness = await startHarness(upstream, [folder.configDir], new RecordedFocus());
    await harness.waitForIdes(1); // discovery alone cannot tell: the PID is alive
    const { value, ms } = await timed(impostor.request(harness.url));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
  });

  it('two IDEs of the same product: each request goes to the projects of the IDE that sent it', async () => {
    const { root, projects } = await workspace();
    const older = await startFakeIde();
    const newer = await startFakeIde();
    const a = await ideFolder(root, 'IntelliJIdea2024.3', path.join(projects, 'a'), [{ name: 'alpha' }]);
    const b = await ideFolder(root, 'IntelliJIdea2025.1', path.join(projects, 'b'), [{ name: 'beta' }]);
    await a.writeLock(older.pid);
    await b.writeLock(newer.pid);
    harness = await startHarness(upstream, [a.configDir, b.configDir], new RecordedFocus({ kind: 'window', pid: newer.pid, title: 'beta – x' }));
    await harness.waitForIdes(2);
    await older.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(a.projects.alpha as string), rule: 'single' });
    await newer.childRequest(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(b.projects.beta as string), rule: 'single' });
    await older.childRequest(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(a.projects.alpha as string), rule: 'single' });
  });

  it('an IDE with no open project: unattributed', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [{ name: 'alpha', opened: false }]);
    await folder.writeLock(ide.pid);
    harness = await startHarness(upstream, [folder.configDir], new RecordedFocus({ kind: 'window', pid: ide.pid, title: 'Welcome to IntelliJ IDEA' }));
    await harness.waitForIdes(1);
    expect(harness.idePort.state().ides[0]?.openProjects).toEqual([]);
    const { value, ms } = await timed(ide.request(harness.url));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
  });

  it('a title that names two open projects (same name, no folder shown): the next rule, last-focused', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, []);
    // Two folders called "app"; the one in b/ was activated last.
    await mkdir(path.join(projects, 'a', 'app'), { recursive: true });
    await mkdir(path.join(projects, 'b', 'app'), { recursive: true });
    const { recentProjectsXml } = await import('../../fixtures/jetbrains/fixtures');
    await writeFile(
      path.join(folder.configDir, 'options', 'recentProjects.xml'),
      recentProjectsXml([
        { key: path.join(projects, 'a', 'app'), opened: true, activation: 1_736_000_000_000 },
        { key: path.join(projects, 'b', 'app'), opened: true, activation: 1_736_000_900_000 },
      ]),
    );
    await folder.writeLock(ide.pid);
    const focus = new RecordedFocus({ kind: 'window', pid: ide.pid, title: 'app – Main.kt' });
    harness = await startHarness(upstream, [folder.configDir], focus);
    await harness.waitForIdes(1);
    const { normalizeProjectPath } = await import('../../../electron/core/registry');
    const inB = await normalizeProjectPath(path.join(projects, 'b', 'app'));
    const inA = await normalizeProjectPath(path.join(projects, 'a', 'app'));
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(inB), rule: 'last-focused' });
    // With the folder in the title (as the IDE shows it for same-named projects), focus decides.
    focus.show({ kind: 'window', pid: ide.pid, title: `app [${path.join(projects, 'a', 'app')}] – Main.kt` });
    await waitFor('a/app in front', () => harness?.idePort.state().ides[0]?.inFront === inA);
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(inA), rule: 'focus' });
  });

  it('the foreground window cannot be read at all: said once, and requests fall back to the other rules', async () => {
    const { root, projects } = await workspace();
    const ide = await startFakeIde();
    const folder = await ideFolder(root, 'IntelliJIdea2025.1', projects, [
      { name: 'alpha', activation: 1_736_000_900_000 },
      { name: 'beta', activation: 1_736_000_000_000 },
    ]);
    await folder.writeLock(ide.pid);
    const told: string[] = [];
    const focus = new RecordedFocus({ kind: 'unavailable', message: 'no display' });
    harness = await startHarness(upstream, [folder.configDir], focus, { onFocusUnavailable: (message) => told.push(message) });
    await harness.waitForIdes(1);
    const { value, ms } = await timed(ide.request(harness.url));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(PROMPT_MS);
    await ide.childRequest(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.alpha as string), rule: 'last-focused' });
    expect(harness.idePort.state().focus).toEqual({ state: 'unavailable', message: 'no display' });
    expect(told).toEqual(['no display']);
  });
});
