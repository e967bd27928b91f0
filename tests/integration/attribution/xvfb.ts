// A private X display for tests: Xvfb picks a free display number itself (-displayfd), windows are
// plain xmessage windows whose EWMH properties (_NET_WM_PID, _NET_WM_NAME) are set with xprop, and
// the root's _NET_ACTIVE_WINDOW is set the way a window manager would, so the real X11 focus code
// reads a desktop that behaves like one.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why the X11 tests cannot run here, or undefined when they can. */
export function xvfbMissing(): string | undefined {
  for (const tool of ['Xvfb', 'xprop', 'xwininfo', 'xmessage']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (Debian: apt-get install xvfb x11-utils; .ci/run installs them)`;
  }
  return undefined;
}

export interface XDisplay {
  /** ":N" */
  display: string;
  env: NodeJS.ProcessEnv;
  /** A top-level window owned (per _NET_WM_PID) by `pid` with this title; returns its id. */
  window(title: string, pid: number): Promise<number>;
  /** Makes the window the active one, as the window manager does when the user clicks it. */
  activate(window: number): Promise<void>;
  close(): Promise<void>;
}

export async function startXvfb(): Promise<XDisplay> {
  // -noreset: by default the server resets when its last client leaves, and a client connecting
  // during that reset is refused ("Can't open display"); the readiness probe below is such a client.
  const server = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp', '-noreset'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const displayNumber = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not report a display within 10 s')), 10_000);
    (server.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  const display = `:${displayNumber}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
  delete env.WAYLAND_DISPLAY;
  // The server answers clients (a loaded machine may take a while after it reported its display).
  const ready = Date.now() + 20_000;
  while ((await run('xwininfo', ['-root'], { env }).then(() => true, () => false)) === false) {
    if (Date.now() > ready) throw new Error(`Xvfb on ${display} does not answer`);
    await sleep(100);
  }
  const clients: ChildProcess[] = [];
  let counter = 0;
  return {
    display,
    env,
    async window(title, pid) {
      const name = `interceptor-test-${process.pid}-${++counter}`;
      const client = spawn('xmessage', ['-title', name, name], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      clients.push(client);
      let stderr = '';
      client.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      let id = 0;
      // Bounded: a loaded machine can take seconds to start a client.
      const deadline = Date.now() + 30_000;
      while (id === 0 && Date.now() < deadline && client.exitCode === null) {
        const info = await run('xwininfo', ['-name', name], { env }).catch(() => ({ stdout: '' }));
        const match = /Window id: (0x[0-9a-f]+)/i.exec(info.stdout);
        if (match) id = Number.parseInt(match[1] as string, 16);
        else await sleep(50);
      }
      if (id === 0) throw new Error(`window ${name} did not appear${client.exitCode === null ? '' : ` (xmessage exited ${client.exitCode}: ${stderr.trim()})`}`);
      const hex = `0x${id.toString(16)}`;
      await run('xprop', ['-id', hex, '-f', '_NET_WM_PID', '32c', '-set', '_NET_WM_PID', String(pid)], { env });
      await run('xprop', ['-id', hex, '-f', '_NET_WM_NAME', '8u', '-set', '_NET_WM_NAME', title], { env });
      return id;
    },
    async activate(window) {
      await run('xprop', ['-root', '-f', '_NET_ACTIVE_WINDOW', '32x', '-set', '_NET_ACTIVE_WINDOW', `0x${window.toString(16)}`], { env });
    },
    async close() {
      for (const client of clients) client.kill('SIGKILL');
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    },
  };
}
