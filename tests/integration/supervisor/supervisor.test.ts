// The supervisor with real parts: a real registry file, real proxies on real ports, a fake LiteLLM on
// loopback, and a project source the test opens and closes.
import { mkdir, rename, writeFile, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry, registryOptionsFrom, type PortRegistry } from '../../../electron/core/registry';
import { Supervisor } from '../../../electron/core/supervisor/supervisor';
import type { SharedProxySettings } from '../../../electron/core/supervisor/supervisor-types';
import { DEFAULT_HEADER_PROFILE } from '../../../electron/core/proxy';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { ManualSource } from '../../helpers/manual-source';
import { claimPortRange, occupyPort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

let upstream: FakeUpstream;
let other: FakeUpstream;
let root: string;

beforeAll(async () => {
  upstream = await startFakeUpstream({ chunkCount: 20, chunkIntervalMs: 25 });
  other = await startFakeUpstream();
  root = await tempDir('supervisor-');
});
afterAll(async () => {
  await upstream.close();
  await other.close();
});

const running: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stopAll({ graceMs: 0 })));
});

let counter = 0;
async function setup(proxy: Partial<SharedProxySettings> = {}) {
  counter += 1;
  const dir = path.join(root, `case-${counter}`);
  await mkdir(dir, { recursive: true });
  const range = await claimPortRange();
  const options = registryOptionsFrom({}, { registry: path.join(dir, 'port_registry.json'), portMin: String(range.start), portMax: String(range.end) });
  const registry = openRegistry(options);
  const source = new ManualSource();
  const supervisor = new Supervisor({
    registry,
    sources: [source],
    proxy: {
      host: '127.0.0.1',
      target: upstream.url,
      headerProfile: { ...DEFAULT_HEADER_PROFILE },
      allowedOrigins: [],
      bodyLimitBytes: 1024 * 1024,
      ...proxy,
    },
    debounceMs: 20,
    graceMs: 2000,
  });
  running.push(supervisor);
  await supervisor.start();
  const project = async (name: string) => {
    const folder = path.join(dir, name);
    await mkdir(folder, { recursive: true });
    return folder;
  };
  return { dir, registry, source, supervisor, project, file: options.file };
}

function get(port: number, urlPath = '/v1/models'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function isListening(port: number): Promise<boolean> {
  return get(port, '/_interceptor/health').then(
    () => true,
    () => false,
  );
}

function stateOf(supervisor: Supervisor, project: string) {
  return supervisor.projects().find((p) => p.project === project);
}

describe('Supervisor', () => {
  it('starts a proxy when a project opens and stops it when it closes', async () => {
    const { source, supervisor, project, registry } = await setup();
    const folder = await project('alpha');
    const started: string[] = [];
    supervisor.on('proxy-started', (p) => started.push(p));

    source.open(folder);
    const state = await waitFor('alpha running', () => stateOf(supervisor, folder)?.status === 'running' && stateOf(supervisor, folder));
    expect(started).toEqual([folder]);
    expect(state.port).toBe(await registry.lookup(folder));
    const answer = await get(state.port!);
    expect(answer.status).toBe(200);
    expect(upstream.lastRequest().headers['x-interceptor-port']).toBe(String(state.port));

    source.close(folder);
    await waitFor('alpha stopped', async () => !(await isListening(state.port!)));
    expect(stateOf(supervisor, folder)?.status).toBe('stopped');
    // The mapping outlives the proxy: same port next time.
    expect(await registry.lookup(folder)).toBe(state.port);
  });

  it('puts a project whose port is taken in an error state naming the holder, and keeps the others serving', async () => {
    const { source, supervisor, project, registry } = await setup();
    const taken = await project('taken');
    const fine = await project('fine');
    const { port } = await registry.allocate(taken);
    const squatter = await occupyPort(port);
    try {
      source.open(taken);
      source.open(fine);
      const error = await waitFor('taken in error', () => stateOf(supervisor, taken)?.status === 'error' && stateOf(supervisor, taken));
      expect(error.error?.code).toBe('PORT_IN_USE');
      expect(error.error?.message).toContain(`port ${port} is taken by`);
      expect(error.error?.message).toContain(`pid ${process.pid}`);
      expect(error.error?.fix).toMatch(/Reassign/);
      const ok = await waitFor('fine running', () => stateOf(supervisor, fine)?.status === 'running' && stateOf(supervisor, fine));
      expect((await get(ok.port!)).status).toBe(200);
      // Nothing was reassigned behind the user's back.
      expect(await registry.lookup(taken)).toBe(port);

      // The suggested fix: a new port, and it serves.
      const moved = await supervisor.reassignPort(taken);
      expect(moved.status).toBe('running');
      expect(moved.port).not.toBe(port);
      expect((await get(moved.port!)).status).toBe(200);
      // The registry watch reports the remove + allocate a moment later; that must not stop it again.
      await new Promise((resolve) => setTimeout(resolve, 400));
      await supervisor.settled();
      expect(stateOf(supervisor, taken)).toMatchObject({ status: 'running', port: moved.port });
    } finally {
      squatter.close();
    }
  });

  it('stops a proxy whose mapping another process removed, and does not re-allocate it', async () => {
    const { source, supervisor, project, file } = await setup();
    const folder = await project('removed');
    source.open(folder);
    const state = await waitFor('running', () => stateOf(supervisor, folder)?.status === 'running' && stateOf(supervisor, folder));

    // "Another process": a second registry object on the same file, like the CLI.
    const cli: PortRegistry = openRegistry(registryOptionsFrom({}, { registry: file }));
    await cli.remove({ project: folder });
    await waitFor('proxy stopped after removal', async () => !(await isListening(state.port!)), 5000);
    expect(await cli.lookup(folder)).toBeUndefined();
    expect(stateOf(supervisor, folder)?.status).toBe('stopped');

    // Reopening the project in the IDE serves it again (with a port allocated anew).
    source.close(folder);
    await supervisor.settled();
    source.open(folder);
    await waitFor('running again', () => stateOf(supervisor, folder)?.status === 'running');
  });

  it('restarts a proxy on its new port when the registry file is edited', async () => {
    const { source, supervisor, project, file } = await setup();
    const folder = await project('moved');
    source.open(folder);
    const before = await waitFor('running', () => stateOf(supervisor, folder)?.status === 'running' && stateOf(supervisor, folder));
    // Another port of this file's block, and free: the next one up (the registry hands them out in order).
    const newPort = before.port! + 50;
    const doc = JSON.parse(await readFile(file, 'utf8')) as { mappings: Record<string, number> };
    doc.mappings[folder] = newPort;
    await writeFile(`${file}.edit`, JSON.stringify(doc, null, 2));
    await rename(`${file}.edit`, file);
    await waitFor('moved to the new port', () => stateOf(supervisor, folder)?.port === newPort && stateOf(supervisor, folder)?.status === 'running', 6000);
    expect((await get(newPort)).status).toBe(200);
    expect(await isListening(before.port!)).toBe(false);
  });

  it('stops everything on reset, keeping a backup', async () => {
    const { source, supervisor, project } = await setup();
    const a = await project('a');
    const b = await project('b');
    source.open(a);
    source.open(b);
    await waitFor('both running', () => supervisor.runningCount() === 2);
    const result = await supervisor.resetRegistry();
    expect(result.removed).toBe(2);
    expect(result.backupPath).toBeTruthy();
    expect(supervisor.runningCount()).toBe(0);
    expect(supervisor.projects().every((p) => p.status !== 'running')).toBe(true);
  });

  it('keeps a stopped project stopped until the user starts it or it is opened again', async () => {
    const { source, supervisor, project } = await setup();
    const folder = await project('stopme');
    source.open(folder);
    await waitFor('running', () => stateOf(supervisor, folder)?.status === 'running');
    expect((await supervisor.stopProject(folder)).status).toBe('stopped');
    source.open(folder); // a source repeating "open" is not a new open
    await supervisor.settled();
    expect(stateOf(supervisor, folder)?.status).toBe('stopped');
    expect((await supervisor.startProject(folder)).status).toBe('running');
  });

  it('applies a new target to running proxies without dropping a stream in flight', async () => {
    const { source, supervisor, project } = await setup();
    const folder = await project('live');
    source.open(folder);
    const state = await waitFor('running', () => stateOf(supervisor, folder)?.status === 'running' && stateOf(supervisor, folder));

    const stream = new Promise<string>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: state.port!, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(body));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'm', stream: true, messages: [] }));
    });
    await waitFor('stream started', () => supervisor.proxyOf(folder)!.stats().inFlight === 1);
    await supervisor.updateProxySettings({ ...supervisor.proxySettingsNow(), target: other.url });
    const before = other.requests.length;
    expect((await get(state.port!)).status).toBe(200);
    expect(other.requests.length).toBe(before + 1);
    const body = await stream;
    expect(body).toContain('data: [DONE]');
  });

  it('lets requests in flight finish on shutdown', async () => {
    const { source, supervisor, project } = await setup();
    const folder = await project('graceful');
    source.open(folder);
    const state = await waitFor('running', () => stateOf(supervisor, folder)?.status === 'running' && stateOf(supervisor, folder));
    const slow = get(state.port!, '/slow?ms=300');
    await waitFor('request in flight', () => supervisor.proxyOf(folder)!.stats().inFlight === 1);
    await supervisor.stopAll({ graceMs: 3000 });
    expect((await slow).status).toBe(200);
    expect(await isListening(state.port!)).toBe(false);
  });
});
