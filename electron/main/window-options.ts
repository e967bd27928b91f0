// The one set of BrowserWindow options the app uses: Electron's security checklist applied in full.
// tests/unit/security checks every `new BrowserWindow(` in electron/main is built from this.
import type { BrowserWindowConstructorOptions } from 'electron';
import { PRODUCT_NAME } from './app-identity';

export interface WindowOptionsInput {
  /** Our bundled preload (dist/preload/preload.cjs); no other preload is ever given. */
  preloadPath: string;
  title?: string;
  /** The window's icon on Linux and Windows (macOS takes the app bundle's). */
  iconPath?: string;
}

export function secureWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: input.title ?? PRODUCT_NAME,
    width: 1040,
    height: 760,
    minWidth: 560,
    minHeight: 420,
    // Shown once the page has painted, so it never flashes white in dark mode.
    show: false,
    autoHideMenuBar: true,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}
