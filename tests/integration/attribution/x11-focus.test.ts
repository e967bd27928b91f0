// The real X11 focus code against a real X server (Xvfb): two windows titled like JetBrains frames,
// owned (_NET_WM_PID) by a fake IDE process, and the root's _NET_ACTIVE_WINDOW switched between them;
// requests from the IDE through the IDE port follow the window in front. Skipped, with the reason
// printed, where Xvfb or x11-utils are missing (.ci/run installs them).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { X11Focus } from '../../../electron/core/attribution/focus/x11-focus';
import { projectSlug } from '../../../electron/core/proxy/project-identity';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { agentRequest, ideFolder, killFakeIdes, seen, startFakeIde, startHarness, type Harness } from './ide-harness';
import { startXvfb, xvfbMissing, type XDisplay } from './xvfb';
import path from 'node:path';

const missing = process.platform === 'linux' ? xvfbMissing() : 'X11 focus is read on Linux only';
if (missing !== undefined) console.warn(`x11-focus tests skipped: ${missing}`);

describe.skipIf(missing !== undefined)('X11: the window in front decides, read by the real focus code', () => {
  let x: XDisplay;
  let upstream: FakeUpstream;
  let harness: Harness | undefined;

  beforeAll(async () => {
    x = await startXvfb();
    upstream = await startFakeUpstream();
  }, 60_000);
  afterAll(async () => {
    await upstream?.close();
    await x?.close();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await killFakeIdes();
  });

  it('reads the active window, its owner and its UTF-8 title', { timeout: 60_000 }, async () => {
    const window = await x.window('alpha – Main.kt', 4242);
    await x.activate(window);
    expect(await new X11Focus(x.env).read(2000)).toEqual({ kind: 'window', pid: 4242, title: 'alpha – Main.kt' });
  });

  it('two JetBrains frames of one IDE, focus switched between them: requests follow, then last-focused when another program is in front', { timeout: 90_000 }, async () => {
    const base = await tempDir('interceptor-x11-');
    const ide = await startFakeIde();
    const folder = await ideFolder(path.join(base, 'config'), 'IntelliJIdea2025.1', path.join(base, 'work'), [{ name: 'alpha' }, { name: 'beta' }]);
    await folder.writeLock(ide.pid);
    const alphaFrame = await x.window('alpha – Main.kt', ide.pid);
    const betaFrame = await x.window('beta – README.md', ide.pid);
    const browser = await x.window('Mozilla Firefox', process.pid);
    harness = await startHarness(upstream, [folder.configDir], new X11Focus(x.env), { focusPollMs: 100 });
    await harness.waitForIdes(1);
    const alpha = projectSlug(folder.projects.alpha as string);
    const beta = projectSlug(folder.projects.beta as string);

    await x.activate(alphaFrame);
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: alpha, rule: 'focus' });

    await x.activate(betaFrame);
    await waitFor('beta in front', () => harness?.idePort.state().ides[0]?.inFront === folder.projects.beta);
    await ide.childRequest(harness.url);
    expect(seen(upstream)).toMatchObject({ project: beta, rule: 'focus' });

    await x.activate(alphaFrame);
    await waitFor('alpha in front', () => harness?.idePort.state().ides[0]?.inFront === folder.projects.alpha);
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: alpha, rule: 'focus' });

    await x.activate(browser);
    await waitFor('the browser in front', () => harness?.idePort.state().ides[0]?.inFront === null);
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: alpha, rule: 'last-focused' });
    expect(harness.idePort.state().focus.state).toBe('following');
  });
});

describe.skipIf(missing !== undefined)('X11: the working folder outranks the window in front', () => {
  let x: XDisplay;
  let upstream: FakeUpstream;
  let harness: Harness | undefined;

  beforeAll(async () => {
    x = await startXvfb();
    upstream = await startFakeUpstream();
  }, 60_000);
  afterAll(async () => {
    await upstream?.close();
    await x?.close();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await killFakeIdes();
  });

  it("project B's window in front while an agent working in A's folder streams: the stream is A's (`cwd`); the IDE's own request is B's (`focus`)", { timeout: 90_000 }, async () => {
    const base = await tempDir('interceptor-x11-cwd-');
    const ide = await startFakeIde();
    const folder = await ideFolder(path.join(base, 'config'), 'IntelliJIdea2025.1', path.join(base, 'work'), [{ name: 'alpha' }, { name: 'beta' }]);
    await folder.writeLock(ide.pid);
    await x.window('alpha – Main.kt', ide.pid);
    const betaFrame = await x.window('beta – README.md', ide.pid);
    harness = await startHarness(upstream, [folder.configDir], new X11Focus(x.env), { focusPollMs: 100, knownProjects: () => [] });
    await harness.waitForIdes(1);
    await x.activate(betaFrame);
    await waitFor('beta in front', async () => {
      await ide.request(harness!.url);
      return harness?.idePort.state().ides[0]?.inFront === folder.projects.beta;
    });
    expect(seen(upstream)).toMatchObject({ project: projectSlug(folder.projects.beta as string), rule: 'focus' });

    const alpha = folder.projects.alpha as string;
    const streamed = await agentRequest(harness.url, alpha, { stream: true, headers: { 'x-fake-chunks': '8', 'x-fake-interval-ms': '40' } });
    expect(streamed.status).toBe(200);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(alpha), rule: 'cwd' });
    expect(harness.idePort.recent().at(-1)).toMatchObject({ project: alpha, attribution: 'cwd', streamed: true, decidedBy: { process: 'node', folder: alpha } });
    expect(harness.idePort.state().ides[0]?.inFront).toBe(folder.projects.beta);
  });
});

describe('X11 focus where it cannot be read', () => {
  it('no display: unavailable, with what to do; on Wayland, the Wayland advice', async () => {
    const plain = await new X11Focus({ PATH: process.env.PATH }).read(1000);
    expect(plain).toMatchObject({ kind: 'unavailable' });
    expect((plain as { message: string }).message).toMatch(/DISPLAY is not set/);
    const wayland = await new X11Focus({ PATH: process.env.PATH, WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' }).read(1000);
    expect((wayland as { message: string }).message).toMatch(/Wayland/);
  });

  it('xprop missing: unavailable, naming the package to install', async () => {
    const reading = await new X11Focus({ DISPLAY: ':0', PATH: await tempDir('interceptor-empty-path-') }).read(1000);
    expect(reading).toMatchObject({ kind: 'unavailable' });
    expect((reading as { message: string }).message).toMatch(/x11-utils/);
  });
});
