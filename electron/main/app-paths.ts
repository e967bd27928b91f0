// Where main finds its files. The bundle runs from dist/main/ both in development and inside the
// package (app.asar/dist/main/); tray icons are loose files: extraResources when packaged, build/icons
// in a checkout.
import path from 'node:path';

export interface PathContext {
  /** __dirname of the main bundle (dist/main). */
  mainDir: string;
  isPackaged: boolean;
  /** process.resourcesPath (only meaningful when packaged). */
  resourcesPath: string;
}

export interface AppPaths {
  rendererDir: string;
  preloadPath: string;
  /** Tray images (tray-*.png, trayTemplate*.png, tray.ico). */
  trayIconsDir: string;
  /** A 256 px PNG of the app icon for the window (Linux, Windows). */
  windowIcon: string;
  /** The CLI script, outside the archive when packaged: clients run it (with ELECTRON_RUN_AS_NODE) for the token. */
  cliScript: string;
}

export function appPaths(context: PathContext): AppPaths {
  const trayIconsDir = context.isPackaged
    ? path.join(context.resourcesPath, 'icons')
    : path.join(context.mainDir, '..', '..', 'build', 'icons', 'tray');
  return {
    rendererDir: path.join(context.mainDir, '..', 'renderer'),
    preloadPath: path.join(context.mainDir, '..', 'preload', 'preload.cjs'),
    trayIconsDir,
    windowIcon: path.join(trayIconsDir, 'window-256.png'),
    cliScript: context.isPackaged
      ? path.join(context.resourcesPath, 'app.asar.unpacked', 'dist', 'cli', 'interceptor.js')
      : path.join(context.mainDir, '..', 'cli', 'interceptor.js'),
  };
}

/** macOS: a template image (black + alpha, Electron picks @2x itself); Windows: ICO; Linux: PNG. */
export function trayIconFile(platform: NodeJS.Platform, trayIconsDir: string): string {
  if (platform === 'darwin') return path.join(trayIconsDir, 'trayTemplate.png');
  if (platform === 'win32') return path.join(trayIconsDir, 'tray.ico');
  return path.join(trayIconsDir, 'tray-32.png');
}
