// Real pieces for IDE-port tests: a fake IDE process (its PID in a config folder's .lock, its open
// projects in recentProjects.xml), discovery watching that folder, and an IdePort forwarding to a
// fake upstream. Only the window in front is given (RecordedFocus) unless a test brings a real one.
import { spawn } from 'node:child_process';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FocusProvider } from '../../../electron/core/attribution/focus/focus-provider';
import { JetBrainsSource } from '../../../electron/core/discovery/jetbrains/jetbrains-source';
import { IdePort, type IdePortOptions } from '../../../electron/core/ide-port/ide-port';
import { DEFAULT_HEADER_PROFILE } from '../../../electron/core/proxy';
import { normalizeProjectPath } from '../../../electron/core/registry';
import { recentProjectsXml } from '../../fixtures/jetbrains/fixtures';
import type { FakeUpstream } from '../../helpers/fake-upstream';
import { freePort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

/** The fake IDE's script; with `--child <json>` it is a one-shot client (see the fixture). */
export const FAKE_IDE_SCRIPT = fileURLToPath(new URL('./fixtures/fake-ide.mjs', import.meta.url));
const FAKE_IDE = FAKE_IDE_SCRIPT;

export interface RequestResult {
  status?: number;
  error?: string;
  /** The process that sent it (the IDE, or its child). */
  pid: number;
}

export interface FakeIde {
  pid: number;
  /** The IDE process sends one request; `keepAlive` reuses one pooled connection. */
  request(url: string, options?: { keepAlive?: boolean; stream?: boolean; headers?: Record<string, string>; onFirstChunk?: () => void }): Promise<RequestResult>;
  /** The IDE sends one HTTP/1.0 request (served by the proxy's hand-off path). */
  http10(url: string): Promise<RequestResult>;
  /** A child process of the IDE sends one request; it works in the IDE's folder unless `cwd` is given. */
  childRequest(url: string, options?: { cwd?: string; stream?: boolean; headers?: Record<string, string> }): Promise<RequestResult>;
  kill(): Promise<void>;
}

const running: FakeIde[] = [];

export async function killFakeIdes(): Promise<void> {
  await Promise.all(running.splice(0).map((ide) => ide.kill()));
}

/**
 * In a session of its own, as an IDE started from a desktop launcher is (so no test process's folder
 * speaks for it or its children). `cwd`: its working folder (default: the system's temp folder,
 * outside any git work tree).
 */
export async function startFakeIde(options: { cwd?: string } = {}): Promise<FakeIde> {
  const child = spawn(process.execPath, [FAKE_IDE], { stdio: ['pipe', 'pipe', 'inherit'], cwd: options.cwd ?? os.tmpdir(), detached: true });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const waiting = new Map<number, { resolve: (value: RequestResult) => void; onFirstChunk?: (() => void) | undefined }>();
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const answer = JSON.parse(line) as RequestResult & { id: number; event?: string };
    const entry = waiting.get(answer.id);
    if (answer.event === 'first-chunk') {
      entry?.onFirstChunk?.();
      return;
    }
    waiting.delete(answer.id);
    entry?.resolve(answer);
  });
  let nextId = 1;
  const command = (op: string, fields: Record<string, unknown>, onFirstChunk?: () => void): Promise<RequestResult> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, { resolve, onFirstChunk });
      child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  const ide: FakeIde = {
    pid: child.pid as number,
    request: (url, options = {}) =>
      command('request', { url, stream: options.stream ?? false, keepAliveAgent: options.keepAlive ?? false, headers: options.headers ?? {} }, options.onFirstChunk),
    childRequest: (url, options = {}) => command('child-request', { url, ...options }),
    http10: (url) => command('http10', { url }),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
  running.push(ide);
  return ide;
}

export interface AgentOptions {
  /** Its own session, as a command a terminal starts (default): no parent's folder speaks for it. */
  detached?: boolean;
  stream?: boolean;
  headers?: Record<string, string>;
  /** Requests on one keep-alive connection (default 1). */
  repeat?: number;
  /** Deletes its working folder before sending. */
  removeCwd?: boolean;
  /** Told the agent's PID once it runs (before it sends). */
  onSpawn?: (pid: number) => void;
}

/**
 * A command-line agent: a Node process started in `cwd` (no IDE anywhere in its parent chain) that
 * sends its requests to `url`, then exits.
 */
export function agentRequest(url: string, cwd: string, options: AgentOptions = {}): Promise<RequestResult & { code: number | null }> {
  const { detached = true, onSpawn, ...fields } = options;
  const child = spawn(process.execPath, [FAKE_IDE, '--child', JSON.stringify({ url, ...fields })], { cwd, detached, stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.pid !== undefined) onSpawn?.(child.pid);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ ...(JSON.parse(out.trim() || '{"error":"no answer","pid":0}') as RequestResult), code }));
  });
}

export interface ProjectSpec {
  name: string;
  opened?: boolean;
  /** activationTimestamp in recentProjects.xml. */
  activation?: number;
}

export interface IdeFolder {
  configDir: string;
  /** Absolute project folders (created), by name, as registry keys. */
  projects: Record<string, string>;
  /** Rewrites recentProjects.xml. */
  writeProjects(specs: ProjectSpec[]): Promise<void>;
  /** Writes the .lock (with `pid`), optionally dated. */
  writeLock(pid: number, mtime?: Date): Promise<void>;
}

/** A JetBrains config folder (e.g. IntelliJIdea2025.1) under `root`, with project folders under `workspace`. */
export async function ideFolder(root: string, folderName: string, workspace: string, specs: ProjectSpec[]): Promise<IdeFolder> {
  const configDir = path.join(root, folderName);
  await mkdir(path.join(configDir, 'options'), { recursive: true });
  const projects: Record<string, string> = {};
  const folder: IdeFolder = {
    configDir,
    projects,
    async writeProjects(list) {
      const entries = [];
      for (const spec of list) {
        const dir = path.join(workspace, spec.name);
        await mkdir(dir, { recursive: true });
        projects[spec.name] = await normalizeProjectPath(dir);
        entries.push({ key: dir, opened: spec.opened ?? true, activation: spec.activation ?? 1_736_000_000_000 });
      }
      await writeFile(path.join(configDir, 'options', 'recentProjects.xml'), recentProjectsXml(entries));
    },
    async writeLock(pid, mtime) {
      const lock = path.join(configDir, '.lock');
      await writeFile(lock, String(pid));
      if (mtime !== undefined) await utimes(lock, mtime, mtime);
    },
  };
  await folder.writeProjects(specs);
  return folder;
}

export interface Harness {
  idePort: IdePort;
  url: string;
  source: JetBrainsSource;
  /** Waits until discovery sees `count` running IDEs with a PID. */
  waitForIdes(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Discovery over `configDirs`, an IdePort on a free port forwarding to `upstream`. */
export async function startHarness(
  upstream: FakeUpstream,
  configDirs: string[],
  focus: FocusProvider,
  options: Partial<
    Pick<IdePortOptions, 'lookupTimeoutMs' | 'stickyMs' | 'focusPollMs' | 'focusActiveForMs' | 'processes' | 'onFocusUnavailable' | 'knownProjects' | 'cwds' | 'home'>
  > = {},
): Promise<Harness> {
  const home = await tempDir('interceptor-ide-home-');
  const source = new JetBrainsSource({ env: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') }, homedir: home, extraConfigDirs: configDirs, debounceMs: 20, pollIntervalMs: 200 });
  await source.start();
  const port = await freePort();
  const idePort = new IdePort({
    port,
    range: { start: 65000, end: 65010 },
    proxy: { host: '127.0.0.1', target: upstream.url, headerProfile: { ...DEFAULT_HEADER_PROFILE }, allowedOrigins: [], bodyLimitBytes: 1024 * 1024 },
    report: () => source.report(),
    focus,
    lookupTimeoutMs: options.lookupTimeoutMs ?? 3000,
    ...(options.stickyMs !== undefined ? { stickyMs: options.stickyMs } : {}),
    focusPollMs: options.focusPollMs ?? 50,
    ...(options.focusActiveForMs !== undefined ? { focusActiveForMs: options.focusActiveForMs } : {}),
    ...(options.processes ? { processes: options.processes } : {}),
    ...(options.onFocusUnavailable ? { onFocusUnavailable: options.onFocusUnavailable } : {}),
    ...(options.knownProjects ? { knownProjects: options.knownProjects } : {}),
    ...(options.cwds ? { cwds: options.cwds } : {}),
    ...(options.home !== undefined ? { home: options.home } : {}),
  });
  await idePort.start();
  if (idePort.state().status !== 'running') throw new Error(`the IDE port did not start: ${idePort.state().error?.message}`);
  return {
    idePort,
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    source,
    async waitForIdes(count) {
      await waitFor(`${count} running IDE(s)`, async () => {
        await idePort.refreshIdes();
        return idePort.state().ides.length === count;
      });
    },
    async close() {
      await idePort.close({ graceMs: 0 });
      await source.stop();
    },
  };
}

/** The project path and rule the upstream saw on the request at `index` (-1: the last). */
export function seen(upstream: FakeUpstream, index = -1): { project: string | undefined; rule: string | undefined; ide: string | undefined; metadataRule: unknown } {
  const request = upstream.requests.at(index);
  if (request === undefined) throw new Error('the upstream saw no request');
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const metadata = JSON.parse(header('x-litellm-spend-logs-metadata') ?? '{}') as Record<string, unknown>;
  const tags = (header('x-litellm-tags') ?? '').split(',');
  return {
    project: tags.find((tag) => tag.startsWith('project:'))?.slice('project:'.length) ?? (metadata.interceptor_project as string | undefined),
    rule: header('x-interceptor-attribution'),
    ide: tags.find((tag) => tag.startsWith('ide:')),
    metadataRule: metadata.interceptor_attribution,
  };
}
