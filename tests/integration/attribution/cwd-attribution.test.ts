// The working-folder rules end to end with real processes, folders and git repositories: Node
// "agents" started in some folder send requests through the shared port to a fake upstream, which
// must see the project their folder names (`cwd` for a known project, `git-root` for an unregistered
// work tree) or, where the folder says nothing, the IDE rules' answer or `unattributed` — and every
// bad input (an exited peer, a deleted, unreadable or symlinked folder, nested projects, a repository
// inside a project) a defined answer, never a delayed request.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, realpath, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RecordedFocus } from '../../../electron/core/attribution/focus/recorded-focus';
import { ProcCwdReader, type CwdReader } from '../../../electron/core/attribution/process-cwd';
import { ProcFsTable, type ProcessTable } from '../../../electron/core/attribution/process-info';
import { projectSlug } from '../../../electron/core/proxy/project-identity';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { agentRequest, FAKE_IDE_SCRIPT, ideFolder, killFakeIdes, seen, startFakeIde, startHarness, type Harness } from './ide-harness';

let upstream: FakeUpstream;
let harness: Harness | undefined;

beforeAll(async () => {
  upstream = await startFakeUpstream({ chunkCount: 3, chunkIntervalMs: 1 });
});
afterAll(async () => {
  await upstream.close();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await killFakeIdes();
});

/** A request's answer must come well within the lookup bound. */
const PROMPT_MS = 3000;

/** One complete chat request to the shared port, as raw bytes (base64) a one-line sender writes. */
function requestBase64(port: string): string {
  const body = '{"model":"m","messages":[]}';
  return Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`).toString('base64');
}

/** A folder (created) under a fresh temp root, as its real path: the registry's key for it. */
async function folder(root: string, ...parts: string[]): Promise<string> {
  const dir = path.join(root, ...parts);
  await mkdir(dir, { recursive: true });
  return realpath(dir);
}

function gitInit(dir: string): void {
  execFileSync('git', ['init', '-q', dir]);
}

/** The shared port with `known` as the registry's projects (the list can change between requests). */
async function shared(known: string[], options: Parameters<typeof startHarness>[3] = {}): Promise<Harness> {
  harness = await startHarness(upstream, [], new RecordedFocus(), { knownProjects: () => known, ...options });
  return harness;
}

function lastEntry() {
  return harness?.idePort.recent().at(-1);
}

describe('an agent working inside a known project: `cwd`', () => {
  it('a folder inside a registered project gives that project; tags, metadata and the request log say so', async () => {
    const root = await tempDir('interceptor-cwd-');
    const alpha = await folder(root, 'alpha');
    const src = await folder(alpha, 'src', 'deep');
    const { url } = await shared([alpha]);

    const answer = await agentRequest(url, src);
    expect(answer.status).toBe(200);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(alpha), rule: 'cwd', metadataRule: 'cwd' });
    expect(String(upstream.lastRequest().headers['x-litellm-tags']).split(',')).toEqual([`project:${projectSlug(alpha)}`, 'attribution:cwd']);
    // The folder is for the local log only: it never travels upstream.
    expect(JSON.stringify(upstream.lastRequest().headers)).not.toContain(src);
    expect(lastEntry()).toMatchObject({ project: alpha, attribution: 'cwd', decidedBy: { process: 'node', folder: src } });
  });

  it('two registered projects nested inside each other: the deepest holding the folder wins', async () => {
    const root = await tempDir('interceptor-cwd-nested-');
    const outer = await folder(root, 'outer');
    const inner = await folder(outer, 'packages', 'inner');
    const innerSrc = await folder(inner, 'src');
    const outerDocs = await folder(outer, 'docs');
    const { url } = await shared([outer, inner]);

    await agentRequest(url, innerSrc);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(inner), rule: 'cwd' });
    await agentRequest(url, outerDocs);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(outer), rule: 'cwd' });
    await agentRequest(url, outer);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(outer), rule: 'cwd' });
  });

  it('a git work tree inside a registered project: the registered project (a known project outranks a repository)', async () => {
    const root = await tempDir('interceptor-cwd-vendored-');
    const project = await folder(root, 'product');
    const vendored = await folder(project, 'vendor', 'lib');
    gitInit(vendored);
    const { url } = await shared([project]);
    await agentRequest(url, await folder(vendored, 'src'));
    expect(seen(upstream)).toMatchObject({ project: projectSlug(project), rule: 'cwd' });
  });

  it('a symlinked project path: an agent started through the link is found by the real path, and a key stored through a link still matches', async () => {
    const root = await tempDir('interceptor-cwd-link-');
    const real = await folder(root, 'real', 'alpha');
    const link = path.join(root, 'alpha-link');
    await symlink(real, link);
    const { url } = await shared([real]);
    await agentRequest(url, link);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(real), rule: 'cwd' });
    expect(lastEntry()?.project).toBe(real);

    // An older tool stored the key through the symlink: the request is billed under that key.
    await harness?.close();
    const second = await shared([link]);
    await agentRequest(second.url, await folder(real, 'lib'));
    expect(seen(upstream)).toMatchObject({ project: projectSlug(link), rule: 'cwd' });
    expect(lastEntry()?.project).toBe(link);
  });

  it('a project open in an IDE counts as known, even without a registry mapping', async () => {
    const root = await tempDir('interceptor-cwd-ide-open-');
    const ide = await startFakeIde();
    const config = await ideFolder(path.join(root, 'config'), 'IntelliJIdea2025.1', path.join(root, 'work'), [{ name: 'alpha' }, { name: 'beta' }]);
    await config.writeLock(ide.pid);
    harness = await startHarness(upstream, [config.configDir], new RecordedFocus({ kind: 'window', pid: ide.pid, title: 'alpha – x' }), { knownProjects: () => [] });
    await harness.waitForIdes(1);
    const beta = config.projects.beta as string;
    await agentRequest(harness.url, await folder(beta, 'src'));
    expect(seen(upstream)).toMatchObject({ project: projectSlug(beta), rule: 'cwd' });
  });
});

describe('an agent inside an unregistered git repository: `git-root`', () => {
  it("the repository's top folder is the project; it needs no port and shows in the port's state", async () => {
    const root = await tempDir('interceptor-git-root-');
    const repo = await folder(root, 'side-project');
    gitInit(repo);
    const { url } = await shared([]);

    await agentRequest(url, await folder(repo, 'src', 'lib'));
    expect(seen(upstream)).toMatchObject({ project: projectSlug(repo), rule: 'git-root', metadataRule: 'git-root' });
    expect(String(upstream.lastRequest().headers['x-litellm-tags'])).toContain('attribution:git-root');
    expect(lastEntry()).toMatchObject({ project: repo, attribution: 'git-root', decidedBy: { process: 'node' } });
    await agentRequest(url, repo);
    expect(harness?.idePort.state().portless).toEqual([{ project: repo, name: 'side-project', requests: 2, lastRequestAt: expect.any(Number), lastProcess: 'node' }]);
  });

  it('a linked work tree (git worktree add) is a project of its own', async () => {
    const root = await tempDir('interceptor-git-worktree-');
    const main = await folder(root, 'main');
    gitInit(main);
    execFileSync('git', ['-C', main, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'start']);
    const linked = path.join(root, 'feature');
    execFileSync('git', ['-C', main, 'worktree', 'add', '-q', linked]);
    const { url } = await shared([]);
    await agentRequest(url, await folder(linked, 'src'));
    expect(seen(upstream)).toMatchObject({ project: projectSlug(await realpath(linked)), rule: 'git-root' });
    await agentRequest(url, main);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(main), rule: 'git-root' });
  });

  it('a home folder is never a project, not even a dotfiles repository at home; nor is /', async () => {
    const home = await tempDir('interceptor-cwd-home-');
    gitInit(home);
    const { url } = await shared([home], { home });
    await agentRequest(url, home);
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
    await agentRequest(url, await folder(home, 'Downloads'));
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
    await agentRequest(url, '/');
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
  });
});

describe('when the folder says nothing: the IDE rules, else unattributed', () => {
  it('an agent in a temp folder outside any repository: unattributed', async () => {
    const outside = await tempDir('interceptor-cwd-outside-');
    const { url } = await shared([]);
    const answer = await agentRequest(url, outside);
    expect(answer.status).toBe(200);
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
    expect(lastEntry()).toMatchObject({ attribution: 'unattributed', decidedBy: { process: 'node' } });
  });

  it("a child of a test IDE in a temp folder: the IDE's rules (`single`)", async () => {
    const root = await tempDir('interceptor-cwd-ide-child-');
    const ide = await startFakeIde();
    const config = await ideFolder(path.join(root, 'config'), 'IntelliJIdea2025.1', path.join(root, 'work'), [{ name: 'alpha' }]);
    await config.writeLock(ide.pid);
    harness = await startHarness(upstream, [config.configDir], new RecordedFocus(), { knownProjects: () => [] });
    await harness.waitForIdes(1);
    await ide.childRequest(harness.url, { cwd: await tempDir('interceptor-cwd-tool-') });
    expect(seen(upstream)).toMatchObject({ project: projectSlug(config.projects.alpha as string), rule: 'single' });
  });

  it("a child of the IDE working in another project's folder: that folder decides; one that only inherited the IDE's folder does not", async () => {
    const root = await tempDir('interceptor-cwd-ide-tool-');
    const repo = await folder(root, 'ide-started-here');
    gitInit(repo);
    // An IDE started from a terminal inside a repository: its children inherit that folder.
    const ide = await startFakeIde({ cwd: repo });
    const config = await ideFolder(path.join(root, 'config'), 'IntelliJIdea2025.1', path.join(root, 'work'), [{ name: 'alpha' }]);
    await config.writeLock(ide.pid);
    const registered = await folder(root, 'registered');
    harness = await startHarness(upstream, [config.configDir], new RecordedFocus(), { knownProjects: () => [registered] });
    await harness.waitForIdes(1);
    await ide.childRequest(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(config.projects.alpha as string), rule: 'single' });
    // The IDE itself (AI Assistant in its JVM) is never judged by its folder.
    await ide.request(harness.url);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(config.projects.alpha as string), rule: 'single' });
    await ide.childRequest(harness.url, { cwd: registered });
    expect(seen(upstream)).toMatchObject({ project: projectSlug(registered), rule: 'cwd' });
  });

  it("a tool started in / by an agent: the agent's folder speaks for it (walking up within the session)", async () => {
    const root = await tempDir('interceptor-cwd-walk-');
    const alpha = await folder(root, 'alpha');
    const { url } = await shared([alpha]);
    // A terminal's session: its shell leads (and is skipped), an agent (node) works in alpha and
    // starts a tool in /, which sends the request.
    const script = `require('child_process').spawn(process.execPath, [${JSON.stringify(FAKE_IDE_SCRIPT)}, '--child', ${JSON.stringify(JSON.stringify({ url }))}], { cwd: '/', stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 1))`;
    // "; exit": the shell stays (it would otherwise replace itself with node).
    const leader = spawn('sh', ['-c', `"${process.execPath}" -e "$0"; exit $?`, script], { cwd: alpha, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    leader.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    await new Promise((resolve) => leader.once('close', resolve));
    expect(JSON.parse(out.trim())).toMatchObject({ status: 200 });
    expect(seen(upstream)).toMatchObject({ project: projectSlug(alpha), rule: 'cwd' });
    expect(lastEntry()?.decidedBy).toEqual({ process: 'node', folder: alpha });
  });
});

describe('bad input: a defined answer, never a delayed request', () => {
  async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
    const started = Date.now();
    const value = await work;
    return { value, ms: Date.now() - started };
  }

  it('a peer that exited before the lookup while another process keeps its connection open: unattributed, at once', async () => {
    const root = await tempDir('interceptor-cwd-gone-shared-');
    const alpha = await folder(root, 'alpha');
    // The process the socket lookup names is killed before its facts are read: it exits between the
    // two, as a short-lived launcher does. The other holder of the socket keeps the connection open.
    const killed: number[] = [];
    const real: ProcessTable = new ProcFsTable();
    const processes: ProcessTable = {
      info: async (pid, deadline) => {
        if (killed.length === 0) {
          killed.push(pid);
          process.kill(pid, 'SIGKILL');
          await waitFor(`process ${pid} gone`, async () => (await real.info(pid, deadline)) === undefined, 2000);
        }
        return real.info(pid, deadline);
      },
    };
    const { url } = await shared([alpha], { processes });
    const port = new URL(url).port;
    // The sender shares its socket with a child it leaves behind (as a launcher's child holds it).
    const script = [
      `const s=require('net').connect(${port},'127.0.0.1',()=>{`,
      `const h=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1e6)'],{stdio:['ignore','ignore','ignore',s],detached:true});`,
      `h.unref();process.stdout.write(h.pid+'\\n');s.write(Buffer.from('${requestBase64(port)}','base64'));});`,
      `s.on('data',()=>{});setInterval(()=>{},1e6);`,
    ].join('');
    const started = Date.now();
    const sender = spawn(process.execPath, ['-e', script], { cwd: alpha, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    let holder = 0;
    sender.stdout.setEncoding('utf8').on('data', (chunk: string) => (holder = Number(chunk.trim()) || holder));
    try {
      await waitFor('the request logged', () => (harness?.idePort.recent().length ?? 0) > 0, 5000);
      expect(Date.now() - started).toBeLessThan(PROMPT_MS);
      expect(killed).toHaveLength(1);
      expect(lastEntry()).toMatchObject({ attribution: 'unattributed', status: 200 });
      expect(lastEntry()?.project).toBeUndefined();
      expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
    } finally {
      for (const pid of [sender.pid, holder]) {
        try {
          if (pid) process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone (the one the lookup killed).
        }
      }
    }
  });

  it('a folder deleted while the agent runs in it: it says nothing (unattributed), answered at once', async () => {
    const root = await tempDir('interceptor-cwd-deleted-');
    const alpha = await folder(root, 'alpha');
    const doomed = await folder(alpha, 'scratch');
    const { url } = await shared([alpha]);
    const { value, ms } = await timed(agentRequest(url, doomed, { removeCwd: true }));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
  });

  it("a folder we may not read: the IDE rules decide, answered at once", async () => {
    const root = await tempDir('interceptor-cwd-unreadable-');
    const ide = await startFakeIde();
    const config = await ideFolder(path.join(root, 'config'), 'IntelliJIdea2025.1', path.join(root, 'work'), [{ name: 'alpha' }]);
    await config.writeLock(ide.pid);
    const registered = await folder(root, 'registered');
    // This machine runs the tests as root, who may read every process's folder: the kernel's refusal
    // for another account's process (EACCES) is given for every process but the IDE.
    const real: CwdReader = new ProcCwdReader();
    const cwds: CwdReader = {
      read: async (pids, deadline) => {
        const readings = await real.read(pids, deadline);
        for (const pid of pids) if (pid !== ide.pid) readings.set(pid, { missing: 'unreadable' });
        return readings;
      },
    };
    harness = await startHarness(upstream, [config.configDir], new RecordedFocus(), { knownProjects: () => [registered], cwds });
    await harness.waitForIdes(1);
    const { value, ms } = await timed(ide.childRequest(harness.url, { cwd: registered }));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(seen(upstream)).toMatchObject({ project: projectSlug(config.projects.alpha as string), rule: 'single' });
  });

  it('a folder lookup that never answers: the request goes on when the bound passes, by the next rules', async () => {
    const root = await tempDir('interceptor-cwd-stalled-');
    const alpha = await folder(root, 'alpha');
    const stalled: CwdReader = { read: () => new Promise(() => {}) };
    const { url } = await shared([alpha], { cwds: stalled, lookupTimeoutMs: 300 });
    const { value, ms } = await timed(agentRequest(url, alpha));
    expect(value.status).toBe(200);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(seen(upstream)).toMatchObject({ project: 'unattributed', rule: 'unattributed' });
  });

  it('keep-alive: the folder is read once per connection, not per request', async () => {
    const root = await tempDir('interceptor-cwd-keepalive-');
    const alpha = await folder(root, 'alpha');
    const real: CwdReader = new ProcCwdReader();
    let reads = 0;
    const counting: CwdReader = {
      read: (pids, deadline) => {
        reads += 1;
        return real.read(pids, deadline);
      },
    };
    const { url } = await shared([alpha], { cwds: counting });
    const from = upstream.requests.length;
    await agentRequest(url, alpha, { repeat: 5 });
    const sent = upstream.requests.slice(from);
    expect(sent).toHaveLength(5);
    for (const request of sent) expect(request.headers['x-interceptor-attribution']).toBe('cwd');
    expect(reads).toBe(1);
  });
});
