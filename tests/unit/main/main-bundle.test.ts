// The built main bundle (dist/main/main.cjs) run under Node against a stand-in `electron` module
// (main-bundle/fake-electron.mjs), with the real engine behind it: main's wiring is exercised here
// even though no Electron runtime can be installed. The real runtime is covered by tests/e2e/electron
// wherever one exists.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { API_METHOD_NAMES, ipcChannel } from '../../../shared/api';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/app-page';
import { fakeSafeStorage } from '../../helpers/fake-safe-storage.mjs';
import { claimPortRange, freePort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const mainBundle = path.join(root, 'dist/main/main.cjs');
const driver = path.join(import.meta.dirname, 'main-bundle', 'drive-main.mjs');

/** The shared IDE port the app serves in these scenarios: a port of this file's own, outside the project range. */
let idePort = 0;

async function scenario(name: string, extraEnv: Record<string, string> = {}): Promise<Record<string, unknown> & { stdout: string }> {
  expect(existsSync(mainBundle), 'dist/main/main.cjs is missing: run `npm run build` first').toBe(true);
  const range = await claimPortRange();
  idePort = await freePort();
  const home = await tempDir('main-bundle-home-');
  const project = path.join(home, 'projects', 'my-project');
  await mkdir(project, { recursive: true });
  const { stdout } = await run(process.execPath, [driver, mainBundle, name], {
    cwd: root,
    timeout: 60_000,
    maxBuffer: 8 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      INTERCEPTOR_PORT_MIN: String(range.start),
      INTERCEPTOR_PORT_MAX: String(range.end),
      INTERCEPTOR_IDE_PORT: String(idePort),
      FAKE_ELECTRON_PICKED_FOLDER: project,
      ...extraEnv,
    },
  });
  const line = stdout.split('\n').find((entry) => entry.startsWith('REPORT '));
  if (!line) throw new Error(`the driver printed no report:\n${stdout}`);
  const report = JSON.parse(line.slice('REPORT '.length)) as Record<string, unknown>;
  expect(report.error, String(report.error)).toBeUndefined();
  expect(report.timedOut).toBeUndefined();
  return { ...report, stdout };
}

describe('main bundle with a stand-in electron', () => {
  it('runs the tray app: menu, window, page, IPC, state, copy, second instance and a graceful quit', async () => {
    const report = await scenario('tray', { INTERCEPTOR_TRAY: 'on' });
    expect(report.menu).toEqual([
      'No open projects',
      'Open a project in a JetBrains IDE, or use Open project folder…',
      'separator',
      `One URL for every client: http://127.0.0.1:${idePort}/v1`,
      'separator',
      'Open window…',
      'Open project folder…',
      'separator',
      'Detect JetBrains projects',
      'Start at login',
      'separator',
      'Quit',
    ]);
    expect(report.tooltip).toBe('LiteLLM Interceptor — no proxies running');
    expect(report.trayImage).toBe(path.join(root, 'build/icons/tray/tray-32.png'));
    expect(report.channels).toEqual([...API_METHOD_NAMES.map(ipcChannel), 'interceptor:pickFolder'].sort());
    expect(report.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, bypassCSP: false } }]);

    expect(report.window).toMatchObject({
      url: 'app://interceptor/index.html',
      webPreferences: { preload: path.join(root, 'dist/preload/preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
    });
    expect(report.page).toEqual({ status: 200, csp: CONTENT_SECURITY_POLICY, type: 'text/html; charset=utf-8', hasHtml: true });
    expect(report.pageRefusals).toEqual([404, 404, 404, 404]);
    expect(report.permissions).toEqual({ clipboardOwn: true, clipboardForeign: false, media: false });
    expect(report.navigationPrevented).toBe(true);
    expect(report.windowOpen).toEqual({ action: 'deny' });

    expect(report.snapshotCall).toMatchObject({ ok: true, value: { projects: [] } });
    expect(report.foreignFrameCall).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(report.subFrameCall).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(report.junkCall).toEqual({ ok: false, code: 'INVALID_ARGUMENT', message: 'startProject: project must be a path (got a number)' });
    expect(report.unknownChannel).toEqual({ noHandler: 'interceptor:eval' });

    expect(report.opened).toEqual({ ok: true, name: 'my-project' });
    expect(report.portAnswered).toBe(true);
    expect(report.projectItem).toEqual(['Running · 0 requests', expect.stringMatching(/projects\/my-project$/), 'separator', 'Copy base URL', 'Copy ProxyAI endpoint', 'Open folder', 'Stop', 'separator', 'Remove mapping…']);
    expect(report.tooltipWithProject).toBe('LiteLLM Interceptor — 1 proxy running');
    expect(report.statePushed).toBe(true);
    expect(report.copied).toBe(true);

    // Closing the window keeps the app in the tray; a second launch brings a window back.
    expect(report.quitAfterWindowClosed).toBe(0);
    expect(report.secondInstanceShowed).toBe(true);
    // Quit is held back until the engine closed: the proxy port is free when the app exits.
    expect(report.exitCode).toBe(0);
    expect(report.portAnsweredAfterQuit).toBe(false);
    expect(report.quitRequests).toBe(2);
  });

  it('without a tray, opens the window, says why, and quits when it closes', async () => {
    const report = await scenario('no-tray', { INTERCEPTOR_TRAY: 'off' });
    expect(report.trays).toBe(0);
    expect(report.title).toBe('LiteLLM Interceptor — no tray icon: closing this window quits');
    expect(report.notifications).toEqual([{ title: 'LiteLLM Interceptor', body: expect.stringContaining('closing this window quits') }]);
    expect(report.exitCode).toBe(0);
  });

  it('a second instance quits at once without starting anything', async () => {
    const report = await scenario('locked', { FAKE_ELECTRON_LOCK_TAKEN: '1' });
    expect(report).toMatchObject({ exitCode: 0, quitRequests: 1, channels: 0, trays: 0, windows: 0 });
  });

  it('an engine that cannot start is reported in a dialog and the app exits 1', async () => {
    const report = await scenario('bad-env', { INTERCEPTOR_PORT_MIN: 'abc' });
    expect(report.exitCode).toBe(1);
    expect(report.errorBoxes).toEqual([['LiteLLM Interceptor cannot start', expect.stringContaining('INTERCEPTOR_PORT_MIN')]]);
  });

  it('moves an API key kept as text into the OS keychain on first start, and never logs it', async () => {
    const key = 'sk-main-bundle-0123456789abcdef';
    const registry = path.join(await tempDir('main-bundle-key-'), 'port_registry.json');
    const settingsFile = path.join(path.dirname(registry), 'interceptor-settings.json');
    await writeFile(settingsFile, JSON.stringify({ apiKey: key, bodyLimitMb: 16 }), { mode: 0o600 });
    const report = await scenario('no-tray', { INTERCEPTOR_TRAY: 'off', INTERCEPTOR_REGISTRY: registry });
    expect(report.exitCode).toBe(0);
    const onDisk = await readFile(settingsFile, 'utf8');
    expect(onDisk).not.toContain(key);
    const stored = JSON.parse(onDisk) as Record<string, unknown>;
    expect(stored).toEqual({ bodyLimitMb: 16, apiKeyEncrypted: expect.any(String) });
    expect(fakeSafeStorage().decryptString(Buffer.from(stored.apiKeyEncrypted as string, 'base64'))).toBe(key);
    expect(report.stdout).toContain('API key storage: the OS keychain');
    expect(report.stdout).not.toContain(key);
  });

  // Electron asks for the Linux backend only on Linux, and main passes the real platform.
  it.skipIf(process.platform !== 'linux')('without a keyring (Linux "basic_text"), keeps the key as text and logs why', async () => {
    const key = 'sk-main-bundle-0123456789abcdef';
    const registry = path.join(await tempDir('main-bundle-key-'), 'port_registry.json');
    const settingsFile = path.join(path.dirname(registry), 'interceptor-settings.json');
    await writeFile(settingsFile, JSON.stringify({ apiKey: key }), { mode: 0o600 });
    const report = await scenario('no-tray', { INTERCEPTOR_TRAY: 'off', INTERCEPTOR_REGISTRY: registry, FAKE_SAFE_STORAGE_BACKEND: 'basic_text' });
    expect(JSON.parse(await readFile(settingsFile, 'utf8'))).toEqual({ apiKey: key });
    expect(report.stdout).toMatch(/API key storage: the settings file \(no keyring/);
    expect(report.stdout).not.toContain(key);
  });
});
