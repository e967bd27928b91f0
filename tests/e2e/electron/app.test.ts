// The tray app end to end with Playwright's Electron driver: the real main bundle, preload, page and
// engine. Runs wherever an Electron runtime is present; elsewhere the suite is reported as skipped
// with the reason in its name. Main exposes a read-only view of its tray model (and a way to click
// a menu item) only when INTERCEPTOR_E2E=1, because a Tray's menu cannot be read back from Electron.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrayAction, TrayMenuItem, TrayMenuModel } from '../../../electron/main/tray-menu';
import type { InterceptorBridge } from '../../../electron/preload/bridge-contract';
import type { ApiResult, AppSnapshot, ProjectState } from '../../../shared/api';
import { tempDir } from '../../helpers/temp';
import { claimPortRange } from '../../helpers/ports';
import { electronRuntime, missingRuntimeReason, projectRoot } from './electron-runtime';

const skipReason = await missingRuntimeReason();

interface Hooks {
  trayModel(): TrayMenuModel | undefined;
  trayMode: { tray: boolean; openWindow: boolean; reason?: string };
  runTrayAction(action: TrayAction): Promise<void>;
}
type HookGlobal = typeof globalThis & { __interceptorE2E?: Hooks };
type PageWindow = Window & { interceptor: InterceptorBridge };

function labels(items: readonly TrayMenuItem[] | undefined): string[] {
  return (items ?? []).map((item) => item.label ?? '---');
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(skipReason !== null)(`Electron tray app end to end${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  let app: ElectronApplication;
  let executable: string;
  let env: Record<string, string>;
  let projectDir: string;
  const args = [projectRoot, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];

  const trayModel = () => app.evaluate(() => (globalThis as HookGlobal).__interceptorE2E?.trayModel());
  const trayMode = () => app.evaluate(() => (globalThis as HookGlobal).__interceptorE2E?.trayMode);
  const runTrayAction = (action: TrayAction) => app.evaluate((_electron, clicked) => (globalThis as HookGlobal).__interceptorE2E?.runTrayAction(clicked), action);

  beforeAll(async () => {
    const runtime = await electronRuntime();
    if (!('executable' in runtime)) throw new Error(runtime.missing);
    executable = runtime.executable;
    const home = await tempDir('electron-e2e-home-');
    projectDir = path.join(await tempDir('electron-e2e-project-'), 'e2e-project');
    await mkdir(projectDir);
    const range = await claimPortRange();
    env = {
      ...(process.env as Record<string, string>),
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      APPDATA: path.join(home, 'AppData', 'Roaming'),
      INTERCEPTOR_E2E: '1',
      // The tray must exist for the menu checks even on a CI desktop without a StatusNotifier host.
      INTERCEPTOR_TRAY: 'on',
      // Ports of this file's own: the project range, and the shared IDE port outside it.
      INTERCEPTOR_PORT_MIN: String(range.start),
      INTERCEPTOR_PORT_MAX: String(range.end - 1),
      INTERCEPTOR_IDE_PORT: String(range.end),
    };
    app = await _electron.launch({ executablePath: executable, args, env, timeout: 60_000 });
    await until('main to start', async () => ((await app.evaluate(() => Boolean((globalThis as HookGlobal).__interceptorE2E))) ? true : undefined), 60_000);
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
  });

  let page: Page;
  let served: ProjectState;

  it('builds the tray menu from the engine’s state', async () => {
    const model = await until('the tray model', trayModel);
    expect(labels(model.template)).toEqual(expect.arrayContaining(['No open projects', 'Open window…', 'Open project folder…', 'Detect JetBrains projects', 'Start at login', 'Quit']));
    expect(model.tooltip).toBe('LiteLLM Interceptor — no proxies running');
    expect((await trayMode())?.tray).toBe(true);
  });

  it('opens the window on our own page from the tray', async () => {
    await runTrayAction({ kind: 'open-window' });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe('app://interceptor/index.html');
    // The page is sandboxed: no Node, no Electron internals, only the bridge.
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    expect(await page.evaluate(() => Object.keys((window as unknown as PageWindow).interceptor).sort())).toContain('pickFolder');
  });

  it('answers IPC from the page, refuses junk, and pushes state changes', async () => {
    const snapshot = await page.evaluate(() => (window as unknown as PageWindow).interceptor.getSnapshot());
    expect(snapshot).toMatchObject({ ok: true, value: { projects: [] } });
    const junk = await page.evaluate(() => (window as unknown as PageWindow).interceptor.startProject({ project: 42 } as never));
    expect(junk).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });

    const pushed = page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const off = (window as unknown as PageWindow).interceptor.onState((state: AppSnapshot) => {
            if (state.projects.length > 0) {
              off();
              resolve(state.projects.length);
            }
          });
        }),
    );
    const opened = (await page.evaluate((folder) => (window as unknown as PageWindow).interceptor.openProjectFolder({ path: folder }), projectDir)) as ApiResult<ProjectState>;
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    served = opened.value;
    expect(await pushed).toBe(1);
  });

  it('lists the opened project in the tray as "name — :port" and serves its port', async () => {
    const port = await until('a port', async () => {
      const result = await page.evaluate(() => (window as unknown as PageWindow).interceptor.getSnapshot());
      return result.ok ? (result.value.projects[0]?.status === 'running' ? (result.value.projects[0].port ?? undefined) : undefined) : undefined;
    });
    expect(served.name).toBe('e2e-project');
    const label = `e2e-project — :${port}`;
    const model = await until('the project in the tray', async () => {
      const current = await trayModel();
      return labels(current?.template).includes(label) ? current : undefined;
    });
    expect(model.tooltip).toBe('LiteLLM Interceptor — 1 proxy running');
    expect(labels(model.template.find((item) => item.label === label)?.submenu)).toEqual(expect.arrayContaining(['Copy base URL', 'Copy ProxyAI endpoint', 'Open folder', 'Stop', 'Remove mapping…']));
    expect(await portAnswers(port)).toBe(true);
  });

  it('a second launch focuses the first instance and exits', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().forEach((window) => window.close()));
    await until('the window to close', async () => ((await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)) === 0 ? true : undefined));
    const second = spawn(executable, args, { env, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the second instance did not exit')), 30_000);
      second.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(0);
    const visible = await until('the first instance to show its window', async () => {
      const states = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((window) => window.isVisible()));
      return states.length === 1 && states[0] ? states : undefined;
    });
    expect(visible).toEqual([true]);
  });

  it('Quit stops the proxies before the app exits', async () => {
    const current = app.windows().at(-1);
    if (!current) throw new Error('no window');
    const result = await current.evaluate(() => (window as unknown as PageWindow).interceptor.getSnapshot());
    const port = result.ok ? result.value.projects[0]?.port : undefined;
    expect(typeof port).toBe('number');
    const closed = new Promise<void>((resolve) => app.process().once('exit', () => resolve()));
    // The evaluate itself may be cut off by the exit.
    await runTrayAction({ kind: 'quit' }).catch(() => undefined);
    await closed;
    expect(await portAnswers(port as number)).toBe(false);
  });
});
