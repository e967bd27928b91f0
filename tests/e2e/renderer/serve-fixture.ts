// The real engine for the page to talk to: `interceptor serve --json` as a child process, with its
// own registry folder, a fake LiteLLM upstream, and a port range of its own so parallel suites never
// meet. Also runs other CLI verbs against it and reads the files it writes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DASHBOARD, type ApiMethodName, type ApiResult } from '../../../shared/api';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-upstream';
import { claimPortRange, freePort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';

export const CLI = path.resolve('dist/cli/interceptor.js');
const RENDERER_PAGE = path.resolve('dist/renderer/index.html');
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 8_000;

export interface ServeEvent {
  event: string;
  [key: string]: unknown;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Served {
  /** The address with the token, as printed: what a user opens. */
  dashboardUrl: string;
  origin: string;
  token: string;
  registryFile: string;
  settingsFile: string;
  /** The folder new project folders are made in. */
  projectsRoot: string;
  portRange: { start: number; end: number };
  /** The shared IDE port serve was given. */
  idePort: number;
  upstream: FakeUpstream;
  events: ServeEvent[];
  /** Makes a project folder and returns its real path (the registry's key). */
  makeProject(name: string): Promise<string>;
  /** Runs `interceptor <args>` against the same registry and environment. */
  cli(...args: string[]): Promise<CliResult>;
  /** The mappings in the registry file on disk (empty when there is no file). */
  registryMappings(): Promise<Record<string, number>>;
  /** Writes a mapping into the registry file behind the engine's back, atomically, as another tool would. */
  addMappingFromOutside(project: string, port: number): Promise<void>;
  readSettingsFile(): Promise<Record<string, unknown>>;
  /** Calls the dashboard API directly, as the page does. */
  api<T>(method: ApiMethodName, arg?: unknown): Promise<ApiResult<T>>;
  stop(): Promise<void>;
}


function assertBuilt(): void {
  for (const file of [CLI, RENDERER_PAGE]) {
    if (!existsSync(file)) throw new Error(`${path.relative(process.cwd(), file)} is missing: run \`npm run build\` first`);
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startServe(): Promise<Served> {
  assertBuilt();
  const root = await tempDir('interceptor-e2e-');
  const configDir = path.join(root, 'config');
  const projectsRoot = path.join(root, 'projects');
  await mkdir(configDir, { recursive: true });
  await mkdir(projectsRoot, { recursive: true });
  const registryFile = path.join(configDir, 'port_registry.json');
  const portRange = await claimPortRange(); // released when the test file ends

  const upstream = await startFakeUpstream();
  const idePort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    INTERCEPTOR_DASHBOARD_PORT: '0',
    INTERCEPTOR_PORT_MIN: String(portRange.start),
    INTERCEPTOR_PORT_MAX: String(portRange.end),
    // The shared IDE port on a port of this file's own, never the default every run would share.
    INTERCEPTOR_IDE_PORT: String(idePort),
    TARGET_LLM_URL: upstream.url,
    NO_COLOR: '1',
  };
  const child = spawn(process.execPath, [CLI, '--registry', registryFile, 'serve', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const events: ServeEvent[] = [];
  const lines = createInterface({ input: child.stdout! });

  const readyEvent = new Promise<ServeEvent>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no ready event in ${READY_TIMEOUT_MS} ms; stderr: ${stderr}`)), READY_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before it was ready; stderr: ${stderr}`));
    });
    lines.on('line', (line) => {
      let event: ServeEvent;
      try {
        event = JSON.parse(line) as ServeEvent;
      } catch {
        return;
      }
      events.push(event);
      if (event.event === 'ready') {
        clearTimeout(timer);
        resolve(event);
      }
    });
  });
  let ready: ServeEvent;
  try {
    ready = await readyEvent;
  } catch (error) {
    child.kill('SIGKILL');
    await upstream.close();
    throw error;
  }
  const dashboardUrl = ready.dashboardUrl;
  if (typeof dashboardUrl !== 'string') throw new Error(`serve is ready but printed no dashboard URL: ${JSON.stringify(ready)}`);
  const url = new URL(dashboardUrl);
  const token = url.searchParams.get(DASHBOARD.tokenQuery) ?? '';

  let stopping: Promise<void> | undefined;
  const served: Served = {
    dashboardUrl,
    origin: url.origin,
    token,
    registryFile,
    settingsFile: path.join(configDir, 'interceptor-settings.json'),
    projectsRoot,
    portRange,
    idePort,
    upstream,
    events,
    async makeProject(name) {
      const folder = path.join(projectsRoot, name);
      await mkdir(folder, { recursive: true });
      return realpath(folder);
    },
    cli(...args) {
      return new Promise((resolve, reject) => {
        const run = spawn(process.execPath, [CLI, '--registry', registryFile, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        run.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        run.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
        run.once('error', reject);
        run.once('close', (code) => resolve({ code, stdout: out, stderr: err }));
      });
    },
    async registryMappings() {
      if (!existsSync(registryFile)) return {};
      const document = JSON.parse(await readFile(registryFile, 'utf8')) as { mappings?: Record<string, number> };
      return document.mappings ?? {};
    },
    async addMappingFromOutside(project, port) {
      const document = JSON.parse(await readFile(registryFile, 'utf8')) as { mappings: Record<string, number> };
      document.mappings[project] = port;
      const temp = `${registryFile}.e2e-${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(document, null, 2)}\n`);
      await rename(temp, registryFile);
    },
    async readSettingsFile() {
      const file = path.join(configDir, 'interceptor-settings.json');
      if (!existsSync(file)) return {};
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    },
    async api<T>(method: ApiMethodName, arg?: unknown) {
      const response = await fetch(`${url.origin}${DASHBOARD.apiPrefix}${method}`, {
        method: 'POST',
        headers: { [DASHBOARD.tokenHeader]: token, 'content-type': 'application/json' },
        body: arg === undefined ? '' : JSON.stringify(arg),
      });
      return (await response.json()) as ApiResult<T>;
    },
    stop() {
      stopping ??= (async () => {
        lines.close();
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
            child.kill('SIGKILL');
            await waitForExit(child, STOP_TIMEOUT_MS);
          }
        }
        await upstream.close();
      })();
      return stopping;
    },
  };
  return served;
}
