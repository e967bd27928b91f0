// Electron main: wires core's engine to the tray, the window, IPC and the OS. Thin glue only; every
// decision lives in a module that is tested without Electron.
import { app, clipboard, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import type { AppSnapshot } from '../../shared/api';
import { appCliArgv } from '../core/clients/token-command';
import { InterceptorError } from '../core/errors';
import { installShutdownHandler } from '../core/graceful-signals';
import { createInterceptorService } from '../core/service/interceptor-service';
import type { InterceptorService } from '../core/service/service-types';
import { APP_ID, PRODUCT_NAME } from './app-identity';
import { isOwnOrigin } from './app-page';
import { appPaths, trayIconFile } from './app-paths';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { cliArguments, cliEntryFile, runAsCli } from './cli-mode';
import { registerIpc } from './ipc';
import { describeKeyVault, keychainVault } from './keychain-vault';
import { setStartAtLogin } from './login-item';
import { Notifier } from './notifier';
import { createQuitGuard } from './quit-guard';
import { claimSingleInstance } from './single-instance';
import { TrayController } from './tray';
import { runTrayAction, type TrayActionDeps } from './tray-actions';
import { buildTrayMenu, type TrayAction, type TrayMenuModel } from './tray-menu';
import { decideTrayMode, probeTrayHost, type TrayMode } from './tray-support';
import { createNavigationGuard, isPermissionAllowed } from './web-contents-guards';
import { WindowController } from './window';

const log = (line: string) => console.log(`[interceptor] ${line}`);
const platform = process.platform;

/** Only the end-to-end tests read this, and only when they ask for it with INTERCEPTOR_E2E=1. */
interface E2eHooks {
  trayModel(): TrayMenuModel | undefined;
  trayMode: TrayMode;
  runTrayAction(action: TrayAction): Promise<void>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function revealFolder(folder: string): Promise<void> {
  const failure = await shell.openPath(folder);
  if (failure) throw new InterceptorError('INTERNAL', `cannot open ${folder}: ${failure}`);
}

async function pickFolder(windows: WindowController): Promise<string | null> {
  const options = { title: 'Open project folder', properties: ['openDirectory' as const, 'createDirectory' as const] };
  const parent = windows.current();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function confirmRemove(name: string, port: number): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Remove', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: PRODUCT_NAME,
    message: `Remove the mapping of ${name} (port ${port})?`,
    detail: 'The port is freed and a folder opened with "Open project folder…" is unpinned. A project still open in an IDE gets a port again.',
  });
  return response === 0;
}

function hardenSessions(): void {
  app.on('web-contents-created', (_event, contents) => {
    const guard = createNavigationGuard({ openExternal: (url) => void shell.openExternal(url), log });
    contents.on('will-navigate', (event) => guard.onNavigate(event, event.url));
    contents.on('will-redirect', (event) => guard.onNavigate(event, event.url));
    contents.on('will-attach-webview', (event) => guard.onAttachWebview(event));
    contents.setWindowOpenHandler((details) => guard.onWindowOpen(details));
  });
}

async function start(windows: WindowController): Promise<void> {
  if (platform === 'darwin') app.dock?.hide();
  const paths = appPaths({ mainDir: __dirname, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl, isOwnOrigin)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, isOwnOrigin));
  serveAppScheme(ses, paths.rendererDir);

  let service: InterceptorService;
  try {
    // After 'ready': on Linux the keyring is picked then, and asked earlier it reports none.
    const keyVault = keychainVault(safeStorage, platform);
    log(describeKeyVault(keyVault));
    service = await createInterceptorService({
      env: process.env,
      kind: 'app',
      host: { revealFolder, setStartAtLogin },
      platform,
      keyVault,
      // Clients set up from the window get the token from this app started as the CLI (cli-mode.ts;
      // the RunAsNode fuse is off, so never in Node mode).
      cli: { argv: appCliArgv(process.execPath, platform) },
    });
    service.onInternalError((report) => log(`internal error in ${report.text}`));
    await service.start();
  } catch (error) {
    dialog.showErrorBox(`${PRODUCT_NAME} cannot start`, message(error));
    app.exit(1);
    return;
  }

  const quitGuard = createQuitGuard({
    close: () => service.close({ graceMs: 3000 }),
    quit: () => app.quit(),
    forceExit: (code) => app.exit(code),
    deadlineMs: 10_000,
    log,
  });
  app.on('before-quit', (event) => quitGuard.beforeQuit(event));
  installShutdownHandler(() => app.quit());

  registerIpc(ipcMain, {
    handlers: service.handlers,
    trustedContents: () => windows.contentsId(),
    pickFolder: () => pickFolder(windows),
    log,
  });

  const notifier = new Notifier(() => windows.show(), log);
  service.onNotice((notice) => notifier.notify(notice));

  let prefs: { bindHost?: string; startAtLogin: boolean } = { startAtLogin: false };
  let latest: AppSnapshot = service.snapshot();
  const actionDeps: TrayActionDeps = {
    handlers: service.handlers,
    copy: (text) => clipboard.writeText(text),
    confirmRemove,
    pickFolder: () => pickFolder(windows),
    showWindow: () => windows.show(),
    quit: () => app.quit(),
    report: (title, text) => void dialog.showMessageBox({ type: 'error', title: PRODUCT_NAME, message: title, detail: text }),
    settingsChanged: () => void reloadPrefs(),
    log,
  };
  const tray = new TrayController(
    platform,
    (action) => void runTrayAction(action, actionDeps).catch((error: unknown) => log(`tray action failed: ${message(error)}`)),
    () => windows.show(),
  );
  const rebuildTray = () => tray.update(buildTrayMenu(latest, { platform, ...prefs }));
  // The menu shows two settings; they are re-read on each state change (settings changes cause one).
  const reloadPrefs = async () => {
    try {
      const { values } = await service.handlers.getSettings(undefined);
      prefs = { bindHost: values.bindHost.value, startAtLogin: values.startAtLogin.value };
      rebuildTray();
    } catch (error) {
      log(`reading settings for the tray failed: ${message(error)}`);
    }
  };

  let mode = decideTrayMode(platform, process.env, platform === 'linux' ? await probeTrayHost() : 'present');
  if (mode.tray) {
    try {
      tray.create(trayIconFile(platform, paths.trayIconsDir));
    } catch (error) {
      mode = { tray: false, openWindow: true, reason: `The tray icon could not be created (${message(error)}). Closing this window quits.` };
    }
  }
  // Without a tray icon the window is the only way back in: closing it quits.
  app.on('window-all-closed', () => {
    if (!tray.exists) app.quit();
  });
  app.on('activate', () => windows.show());

  service.onState((snapshot) => {
    latest = snapshot;
    windows.pushState(snapshot);
    rebuildTray();
    void reloadPrefs();
  });
  await reloadPrefs();
  rebuildTray();

  // Re-register start at login with the current executable (an AppImage may have moved).
  if (prefs.startAtLogin) setStartAtLogin(true).catch((error: unknown) => log(`start at login: ${message(error)}`));

  if (mode.reason) {
    log(mode.reason);
    if (!mode.tray) windows.setTitle(`${PRODUCT_NAME} — no tray icon: closing this window quits`);
    notifier.show(PRODUCT_NAME, mode.reason);
  }
  if (mode.openWindow) windows.show();
  log(`started (${mode.tray ? 'tray' : 'window only'}); registry ${latest.registry.file}`);

  if (process.env.INTERCEPTOR_E2E === '1') {
    const hooks: E2eHooks = { trayModel: () => tray.model(), trayMode: mode, runTrayAction: (action) => runTrayAction(action, actionDeps) };
    (globalThis as { __interceptorE2E?: E2eHooks }).__interceptorE2E = hooks;
  }
}

function main(): void {
  const paths = appPaths({ mainDir: __dirname, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
  const windows = new WindowController({
    preloadPath: paths.preloadPath,
    ...(platform === 'darwin' ? {} : { iconPath: paths.windowIcon }),
    log,
  });
  // A second launch shows the window, but only once the engine answers the page's calls.
  let engineStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (engineStarted = resolve));
  if (!claimSingleInstance(() => void started.then(() => windows.show()))) {
    app.quit();
    return;
  }
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
  registerAppScheme();
  hardenSessions();
  app
    .whenReady()
    .then(() => start(windows))
    .then(() => engineStarted())
    .catch((error: unknown) => {
      log(`start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      dialog.showErrorBox(`${PRODUCT_NAME} cannot start`, message(error));
      app.exit(1);
    });
}

// Started by the `interceptor` launcher (build/bin): be the CLI, not the tray app (cli-mode.ts).
const cliArgs = cliArguments(process.argv);
if (cliArgs) {
  const entry = cliEntryFile({ mainDir: __dirname, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
  void runAsCli(cliArgs, entry, (code) => app.exit(code));
} else {
  main();
}
