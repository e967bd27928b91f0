// The IDE port as the service runs it (the same object the tray app and `interceptor serve` create):
// started with the engine, in the snapshot, refused inside the project range or on a taken port with
// the holder named, moved by the setting, and its requests, recent list and header preview.
import { execFileSync } from 'node:child_process';
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordedFocus } from '../../../electron/core/attribution/focus/recorded-focus';
import { createInterceptorService } from '../../../electron/core/service/interceptor-service';
import type { InterceptorService } from '../../../electron/core/service/service-types';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { claimPortRange, freePort, occupyPort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { agentRequest } from '../attribution/ide-harness';

let service: InterceptorService | undefined;
let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await service?.close({ graceMs: 0 });
  service = undefined;
  await upstream?.close();
  upstream = undefined;
});

async function start(env: Record<string, string>): Promise<InterceptorService> {
  const dir = await tempDir('interceptor-ide-service-');
  const range = await claimPortRange();
  service = await createInterceptorService({
      kind: 'serve',
    env: { HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.config'), INTERCEPTOR_PORT_MIN: String(range.start), INTERCEPTOR_PORT_MAX: String(range.end), ...env },
    registryFile: path.join(dir, 'port_registry.json'),
    focus: new RecordedFocus(),
  });
  await service.start();
  return service;
}

describe('the IDE port in the service', () => {
  it('is served whenever Interceptor runs, shown in the snapshot, and its requests are listed with their rule', async () => {
    upstream = await startFakeUpstream();
    const port = await freePort();
    const s = await start({ INTERCEPTOR_IDE_PORT: String(port), TARGET_LLM_URL: upstream.url });
    expect(s.snapshot().idePort).toMatchObject({ port, url: `http://127.0.0.1:${port}/v1`, status: 'running', ides: [], focus: { state: 'idle' } });

    // A client of its own in a folder that names no project.
    const answer = await agentRequest(`http://127.0.0.1:${port}/v1/chat/completions`, await tempDir('interceptor-ide-service-outside-'));
    expect(answer.status).toBe(200);
    expect(upstream.lastRequest().headers['x-interceptor-attribution']).toBe('unattributed');
    await waitFor('the request in the snapshot', () => s.snapshot().idePort?.stats.requests === 1);
    const recent = await s.handlers.getIdePortRequests(undefined);
    expect(recent).toEqual([expect.objectContaining({ method: 'POST', path: '/v1/chat/completions', status: 200, attribution: 'unattributed' })]);
    expect(recent[0]).not.toHaveProperty('project');

    const preview = await s.handlers.previewIdePortHeaders(undefined);
    expect(preview.attribution).toEqual({ project: null, rule: 'unattributed' });
    expect(preview.headers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'x-interceptor-attribution', value: 'unattributed' }),
        expect.objectContaining({ name: 'x-interceptor-project', value: 'unattributed' }),
      ]),
    );
  });

  it("attributes an agent by its folder: a pinned project's (`cwd`), an unregistered repository's (`git-root`: no port, in the snapshot and the usage ledger)", async () => {
    upstream = await startFakeUpstream();
    const port = await freePort();
    const s = await start({ INTERCEPTOR_IDE_PORT: String(port), TARGET_LLM_URL: upstream.url });
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    const root = await realpath(await tempDir('interceptor-ide-service-folders-'));
    const pinned = path.join(root, 'pinned');
    const repo = path.join(root, 'side-repo');
    await mkdir(path.join(pinned, 'src'), { recursive: true });
    await mkdir(path.join(repo, 'lib'), { recursive: true });
    execFileSync('git', ['init', '-q', repo]);
    await s.handlers.openProjectFolder({ path: pinned });
    await waitFor('the pinned project known', () => s.snapshot().projects.some((project) => project.project === pinned));

    await agentRequest(url, path.join(pinned, 'src'));
    expect(upstream.lastRequest().headers['x-interceptor-attribution']).toBe('cwd');
    await agentRequest(url, path.join(repo, 'lib'));
    expect(upstream.lastRequest().headers['x-interceptor-attribution']).toBe('git-root');
    expect(upstream.lastRequest().headers['x-interceptor-port']).toBe(String(port));

    await waitFor('the repository listed without a port', () => s.snapshot().idePort?.portless?.[0]?.project === repo);
    expect(s.snapshot().projects.some((project) => project.project === repo)).toBe(false);
    const recent = await s.handlers.getIdePortRequests(undefined);
    expect(recent.map((request) => [request.attribution, request.project, request.process, request.folder])).toEqual([
      ['cwd', pinned, 'node', path.join(pinned, 'src')],
      ['git-root', repo, 'node', path.join(repo, 'lib')],
    ]);
    const usage = await waitFor('both in the usage ledger', async () => {
      const overview = await s.handlers.getUsage(undefined);
      return overview.projects.some((project) => project.project === repo) && overview.projects.some((project) => project.project === pinned) ? overview : undefined;
    }, 10_000);
    expect(usage.projects.find((project) => project.project === repo)?.name).toBe('side-repo');
  });

  it('a port inside the project range is refused with a clear error; projects go on; the setting moves it out', async () => {
    const dir = await tempDir('interceptor-ide-service-');
    const range = await claimPortRange();
    service = await createInterceptorService({
      kind: 'serve',
      env: { HOME: dir, INTERCEPTOR_PORT_MIN: String(range.start), INTERCEPTOR_PORT_MAX: String(range.end) },
      registryFile: path.join(dir, 'port_registry.json'),
      focus: new RecordedFocus(),
    });
    const s = service;
    await s.handlers.updateSettings({ idePort: range.start + 1 });
    await s.start();
    const state = s.snapshot().idePort;
    expect(state?.status).toBe('error');
    expect(state?.error?.message).toBe(`the IDE port ${range.start + 1} lies inside the project port range ${range.start}–${range.end}, where it could be given to a project`);
    expect(state?.error?.fix).toMatch(/IDE port.*INTERCEPTOR_IDE_PORT/);
    expect(s.snapshot().notices.map((n) => n.kind)).toContain('ide-port');

    const outside = await freePort();
    await s.handlers.updateSettings({ idePort: outside });
    await waitFor('the IDE port on its new port', () => s.snapshot().idePort?.status === 'running' && s.snapshot().idePort?.port === outside);
    expect((await fetch(`http://127.0.0.1:${outside}/_interceptor/health`)).status).toBe(200);
  });

  it('a taken port names the program holding it', async () => {
    const port = await freePort();
    const holder = await occupyPort(port);
    try {
      const s = await start({ INTERCEPTOR_IDE_PORT: String(port) });
      const state = s.snapshot().idePort;
      expect(state?.status).toBe('error');
      expect(state?.error?.message).toMatch(new RegExp(`^the IDE port ${port} is taken by .*\\(pid ${process.pid}\\)$`));
      expect(s.snapshot().notices.find((n) => n.kind === 'ide-port')?.message).toContain(`pid ${process.pid}`);
    } finally {
      holder.close();
    }
  });

  it('a bad INTERCEPTOR_IDE_PORT refuses to start, naming the variable', async () => {
    await expect(start({ INTERCEPTOR_IDE_PORT: '99999' })).rejects.toThrow(/INTERCEPTOR_IDE_PORT="99999" is not a port number/);
  });
});
