// `npm start` stops everything it started when its outermost process — npm, the one a process
// manager, an IDE run configuration or `timeout` started — gets SIGTERM, SIGINT or SIGHUP. A real
// `npm start` (the headless fallback: no Electron runtime here) serves a pinned project; then npm's
// own PID is signalled, and no process it started (the shell, scripts/start.mjs, `interceptor
// serve`) may survive, and the dashboard's and the project's ports must be free again.
//
// It runs in a copy of the checkout (node_modules linked, not copied) so its build never rewrites
// the dist/ the other test files are using.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, symlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronRuntime } from '../electron/electron-runtime';
import { cliEnv, runCli } from '../../helpers/cli';
import { REPO_ROOT } from '../../helpers/paths';
import { claimPortRange } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';

const runtime = await electronRuntime();
const skipReason =
  process.platform !== 'linux'
    ? 'finds the processes npm started through /proc (Linux only)'
    : 'executable' in runtime
      ? 'an Electron runtime is installed, so npm start would open the tray app instead of the headless mode'
      : null;

/** Everything the test waits for is bounded; together well under the test timeout. */
const READY_MS = 60_000;
const EXIT_MS = 20_000;

const started: ChildProcess[] = [];
const descendantsSeen = new Set<number>();

afterEach(() => {
  // Whatever a failed test left running is ended here, by its own PID.
  for (const pid of descendantsSeen) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  descendantsSeen.clear();
});

function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Running means: exists and is not a zombie waiting for a parent that may never reap it. */
function isRunning(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

async function descendantsOf(root: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

async function commandLine(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ').trim();
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** A copy of the checkout to run `npm start` in: sources copied, node_modules linked. */
async function checkoutCopy(): Promise<string> {
  const copy = path.join(await tempDir('interceptor-npm-start-'), 'checkout');
  const skip = new Set(['node_modules', 'dist', '.git', 'test-results', 'release', '.tsbuild', 'bench-results']);
  await mkdir(copy);
  for (const entry of await readdir(REPO_ROOT)) {
    if (skip.has(entry)) continue;
    await cp(path.join(REPO_ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

let copy: Promise<string> | undefined;

describe.skipIf(skipReason !== null)(`npm start, stopped through npm's own PID${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    '%s to npm stops start.mjs and interceptor serve, and frees their ports',
    async (signal) => {
      const checkout = await (copy ??= checkoutCopy());
      const dir = await tempDir('interceptor-npm-start-run-');
      const home = path.join(dir, 'home');
      const project = path.join(dir, 'project');
      await mkdir(home, { recursive: true });
      await mkdir(project, { recursive: true });
      const range = await claimPortRange();
      const env = {
        INTERCEPTOR_REGISTRY: path.join(home, '.config', 'litellm', 'port_registry.json'),
        INTERCEPTOR_PORT_MIN: String(range.start),
        INTERCEPTOR_PORT_MAX: String(range.end),
        XDG_CONFIG_HOME: path.join(home, '.config'),
        // Electron's download, should a runtime be missing, goes nowhere but a closed local port.
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
      };
      const pinned = await runCli(['--json', 'open', project], { home, env });
      expect(pinned.code, pinned.stderr).toBe(0);
      const projectPort = (JSON.parse(pinned.stdout) as { port: number }).port;

      const npm = spawn('npm', ['start'], { cwd: checkout, env: cliEnv({ home, env }), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      started.push(npm);
      let output = '';
      npm.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      npm.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const npmExited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));

      await waitFor(`npm start to serve the project\n${output}`, () => output.includes(`on http://127.0.0.1:${projectPort}/v1`) && /dashboard: http:\/\/127\.0\.0\.1:\d+\//.test(output), READY_MS, 100);
      const dashboardPort = Number(/dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)![1]);
      const tree = await descendantsOf(npm.pid!);
      for (const pid of tree) descendantsSeen.add(pid);
      const commands = await Promise.all(tree.map(commandLine));
      expect(commands.some((c) => c.includes('scripts/start.mjs')), commands.join('\n')).toBe(true);
      expect(commands.some((c) => c.includes('interceptor.js serve')), commands.join('\n')).toBe(true);
      expect(await portIsFree(dashboardPort)).toBe(false);
      expect(await portIsFree(projectPort)).toBe(false);

      process.kill(npm.pid!, signal);

      await Promise.race([npmExited, new Promise((resolve) => setTimeout(resolve, EXIT_MS))]);
      expect(npm.exitCode !== null || npm.signalCode !== null, `npm still runs ${EXIT_MS} ms after ${signal}`).toBe(true);
      await waitFor(
        `every process npm start started to end after ${signal}`,
        async () => {
          const alive = tree.filter(isRunning);
          return alive.length === 0 || undefined;
        },
        EXIT_MS,
        100,
      ).catch(async (error: Error) => {
        const alive = tree.filter(isRunning);
        throw new Error(`${error.message}; still running:\n${(await Promise.all(alive.map(async (pid) => `${pid} ${await commandLine(pid)}`))).join('\n')}\noutput:\n${output}`);
      });
      // Asked to stop, not killed: serve let requests in flight finish and said so.
      expect(output).toContain('stopping: letting requests in flight finish');
      expect(output).toMatch(/^stopped\.$/m);
      expect(await portIsFree(dashboardPort), 'the dashboard port is free').toBe(true);
      expect(await portIsFree(projectPort), "the project's port is free").toBe(true);
    },
    READY_MS + 3 * EXIT_MS,
  );
});
