// `interceptor serve` end to end, as a user runs it: a JetBrains IDE "running" (its config folder's
// .lock holds a live PID) with projects open in a temp HOME, a fake LiteLLM, requests through the
// proxies, CLI edits while it runs, a port squatted by another program, and SIGTERM mid-stream.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, parseJson } from '../../helpers/cli';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { claimPortRange, occupyPort } from '../../helpers/ports';
import { startServe, type ServeEvent, type ServeProcess } from '../../helpers/serve-process';
import { tempDir } from '../../helpers/temp';

let home: string;
let upstream: FakeUpstream;
let ide: ChildProcess;
let serve: ServeProcess;
let env: Record<string, string>;
const projects: Record<string, string> = {};

function recentProjectsXml(open: string[], closed: string[] = []): string {
  const entry = (p: string, opened: boolean) => `
        <entry key="${p.replace(home, '$USER_HOME$')}">
          <value>
            <RecentProjectMetaInfo frameTitle="${path.basename(p)}"${opened ? ' opened="true"' : ''}>
              <option name="activationTimestamp" value="${Date.now()}" />
              <option name="build" value="PY-251.23774.444" />
              <option name="productionCode" value="PY" />
            </RecentProjectMetaInfo>
          </value>
        </entry>`;
  return `<application>
  <component name="RecentProjectsManager">
    <option name="additionalInfo">
      <map>${open.map((p) => entry(p, true)).join('')}${closed.map((p) => entry(p, false)).join('')}
      </map>
    </option>
  </component>
</application>
`;
}

/** Replaces the file the way an IDE does: write a temp file, rename it over the old one. */
async function ideWrites(open: string[], closed: string[] = []): Promise<void> {
  const options = path.join(home, '.config/JetBrains/PyCharm2025.1/options');
  await writeFile(path.join(options, 'recentProjects.xml.tmp'), recentProjectsXml(open, closed));
  await rename(path.join(options, 'recentProjects.xml.tmp'), path.join(options, 'recentProjects.xml'));
}

function started(project: string) {
  return (e: ServeEvent) => e.event === 'proxy-started' && e.project === project;
}

/** The next event (after those seen so far) that matches. */
function nextEvent(match: (e: ServeEvent) => boolean, what: string, timeoutMs = 5000): Promise<ServeEvent> {
  const seen = serve.events.length;
  return serve.waitForEvent((e) => serve.events.indexOf(e) >= seen && match(e), what, timeoutMs);
}

function portOf(project: string): number {
  const event = serve.events.filter(started(project)).at(-1);
  if (!event) throw new Error(`${project} never started`);
  return event.port as number;
}

beforeAll(async () => {
  home = await tempDir('serve-home-');
  upstream = await startFakeUpstream({ chunkCount: 30, chunkIntervalMs: 30 });
  for (const name of ['billing', 'web app', 'squatted', 'pinned-one']) {
    projects[name] = path.join(home, 'PycharmProjects', name);
    await mkdir(projects[name]!, { recursive: true });
  }
  // A stand-in for the running IDE: its PID goes into the config folder's .lock.
  ide = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const configDir = path.join(home, '.config/JetBrains/PyCharm2025.1');
  await mkdir(path.join(configDir, 'options'), { recursive: true });
  await writeFile(path.join(configDir, '.lock'), String(ide.pid));
  await ideWrites([projects.billing!, projects['web app']!]);

  const range = await claimPortRange();
  env = {
    TARGET_LLM_URL: upstream.url,
    INTERCEPTOR_PORT_MIN: String(range.start),
    INTERCEPTOR_PORT_MAX: String(range.end),
    INTERCEPTOR_DASHBOARD_PORT: '0',
  };
  serve = await startServe({ home, env });
  await serve.waitForEvent((e) => e.event === 'ready', 'ready');
});

afterAll(async () => {
  await serve?.stop('SIGKILL');
  ide?.kill();
  await upstream?.close();
});

describe('interceptor serve', () => {
  it('serves every project open in the IDE, with identification headers', async () => {
    const ready = serve.events.find((e) => e.event === 'ready')!;
    expect(ready.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    await serve.waitForEvent(started(projects.billing!), 'billing started');
    await serve.waitForEvent(started(projects['web app']!), 'web app started');

    for (const name of ['billing', 'web app']) {
      const client = new OpenAI({ apiKey: 'sk-client', baseURL: `http://127.0.0.1:${portOf(projects[name]!)}/v1`, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices.length).toBeGreaterThan(0);
      const seen = upstream.lastRequest().headers;
      expect(seen['x-interceptor-port']).toBe(String(portOf(projects[name]!)));
      expect(seen['x-litellm-tags']).toContain('ide:');
      expect(seen['x-interceptor-project']).toMatch(new RegExp(`^${name.replace(' ', '-')}-[0-9a-f]{6}$`));
      expect(seen['x-pycharm-instance']).toBe(`pycharm-${name}`);
      expect(seen.authorization).toBe('Bearer sk-client');
    }
    await serve.waitForEvent((e) => e.event === 'request' && e.project === projects.billing, 'billing request logged');
  });

  it('shows with `interceptor detect` what discovery sees, with the same code', async () => {
    const report = parseJson<{
      ides: Array<{ productName: string; version?: string; running: boolean }>;
      entries: Array<{ path?: string; markedOpen: boolean; open: boolean }>;
    }>(await runCli(['detect', '--json'], { home, env }));
    expect(report.ides).toEqual([expect.objectContaining({ productName: 'PyCharm', version: '2025.1', running: true })]);
    expect(report.entries.filter((e) => e.open).map((e) => e.path).sort()).toEqual([projects.billing, projects['web app']].sort());
  });

  it('stops a project when the IDE closes it, and serves it again on the same port when reopened', async () => {
    const port = portOf(projects['web app']!);
    await ideWrites([projects.billing!], [projects['web app']!]);
    await serve.waitForEvent((e) => e.event === 'proxy-stopped' && e.project === projects['web app'], 'web app stopped', 3000);
    const before = serve.events.filter(started(projects['web app']!)).length;
    await ideWrites([projects.billing!, projects['web app']!]);
    await serve.waitForEvent((e) => started(projects['web app']!)(e) && serve.events.filter(started(projects['web app']!)).length > before, 'web app restarted', 3000);
    expect(portOf(projects['web app']!)).toBe(port);
  });

  it('stops the right proxy when the CLI removes its mapping while serve runs', async () => {
    const stopped = nextEvent((e) => e.event === 'proxy-stopped' && e.project === projects['web app'], 'web app stopped by CLI');
    const removed = await runCli(['remove', projects['web app']!, '--json'], { home, env });
    expect(removed.code).toBe(0);
    await stopped;
    const status = parseJson<{ running: boolean; projects: Array<{ project: string; status: string; port: number | null }> }>(await runCli(['status', '--json'], { home, env }));
    expect(status.running).toBe(true);
    expect(status.projects.find((p) => p.project === projects.billing)?.status).toBe('running');
    // Still open in the IDE, so still listed — stopped, without a port, until the user starts it again.
    expect(status.projects.find((p) => p.project === projects['web app'])).toMatchObject({ status: 'stopped', port: null });
  });

  it('leaves the rest serving when a project port is held by another program', async () => {
    const allocated = parseJson<{ port: number }>(await runCli(['allocate', projects.squatted!, '--json'], { home, env }));
    const squatter = await occupyPort(allocated.port);
    try {
      await ideWrites([projects.billing!, projects.squatted!]);
      const error = await serve.waitForEvent((e) => e.event === 'proxy-error' && e.project === projects.squatted, 'squatted error', 10_000);
      expect(error.code).toBe('PORT_IN_USE');
      expect(String(error.message)).toContain(String(allocated.port));
      const billing = http.get(`http://127.0.0.1:${portOf(projects.billing!)}/v1/models`);
      const status = await new Promise<number>((resolve, reject) => billing.on('response', (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject));
      expect(status).toBe(200);
    } finally {
      squatter.close();
    }
  });

  it('pins a folder with `interceptor open` and serves it at once', async () => {
    const opened = parseJson<{ project: string; port: number; running: boolean }>(await runCli(['open', projects['pinned-one']!, '--json'], { home, env }));
    expect(opened).toMatchObject({ project: projects['pinned-one'], running: true });
    await serve.waitForEvent(started(projects['pinned-one']!), 'pinned started');
  });

  it('refuses a second instance, naming where the first one is', async () => {
    const second = await runCli(['serve'], { home, env, timeoutMs: 10_000 });
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/already running \(pid \d+\); dashboard at http:\/\/127\.0\.0\.1:\d+/);
    expect(second.stderr).not.toContain('token=');
  });

  it('stops every proxy when the CLI resets the registry, keeping a backup', async () => {
    const stopped = Promise.all(
      [projects.billing, projects['pinned-one']].map((project) => nextEvent((e) => e.event === 'proxy-stopped' && e.project === project, `${project} stopped by the reset`)),
    );
    const reset = parseJson<{ backupPath: string | null; removed: number }>(await runCli(['reset', '--yes', '--json'], { home, env }));
    expect(reset.removed).toBeGreaterThanOrEqual(2);
    expect(reset.backupPath).toBeTruthy();
    await stopped;
    const status = parseJson<{ projects: Array<{ project: string; status: string }> }>(await runCli(['status', '--json'], { home, env }));
    expect(status.projects.filter((p) => p.status === 'running')).toEqual([]);
  });

  it('finishes a stream in flight on SIGTERM, then exits 0', async () => {
    // After the reset nothing runs; the user starts a pinned folder again.
    const opened = parseJson<{ port: number; running: boolean }>(await runCli(['open', projects['pinned-one']!, '--json'], { home, env }));
    expect(opened.running).toBe(true);
    const port = opened.port;
    const body = new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('data:') && !signalled) {
            signalled = true;
            serve.child.kill('SIGTERM');
          }
        });
        res.on('end', () => resolve(text));
        res.on('error', reject);
      });
      let signalled = false;
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'gpt-test', stream: true, messages: [] }));
    });
    const text = await body;
    expect(text).toContain('data: [DONE]');
    const exit = await serve.stop(null); // the one SIGTERM sent mid-stream is all it gets
    expect(exit.code).toBe(0);
    expect(serve.events.at(-1)?.event).toBe('stopped');
  });
});
