// The one window: created on demand from secureWindowOptions(), destroyed when closed (the app keeps
// running in the tray), focused when asked for again. State pushes are dropped while it is closed.
import { BrowserWindow } from 'electron';
import { IPC_STATE_CHANNEL, type AppSnapshot } from '../../shared/api';
import { PAGE_URL } from './app-page';
import { sendState } from './state-push';
import { secureWindowOptions, type WindowOptionsInput } from './window-options';

export interface WindowControllerOptions extends WindowOptionsInput {
  log: (line: string) => void;
}

export class WindowController {
  private window: BrowserWindow | undefined;

  constructor(private options: WindowControllerOptions) {}

  /** The webContents id IPC trusts; undefined while no window is open. */
  contentsId(): number | undefined {
    const window = this.window;
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return undefined;
    return window.webContents.id;
  }

  current(): BrowserWindow | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined;
  }

  setTitle(title: string): void {
    this.options = { ...this.options, title };
    this.current()?.setTitle(title);
  }

  show(): void {
    const existing = this.current();
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    const window = new BrowserWindow(secureWindowOptions(this.options));
    this.window = window;
    window.once('ready-to-show', () => {
      window.show();
      window.focus();
    });
    // The page sets its own document title; keep ours (it may explain the missing tray).
    window.on('page-title-updated', (event) => event.preventDefault());
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    window.webContents.on('render-process-gone', (_event, details) => this.options.log(`window renderer gone: ${details.reason}`));
    window.loadURL(PAGE_URL).catch((error: unknown) => this.options.log(`window failed to load ${PAGE_URL}: ${(error as Error).message}`));
  }

  pushState(snapshot: AppSnapshot): void {
    sendState(this.current(), IPC_STATE_CHANNEL, snapshot);
  }

  close(): void {
    this.current()?.destroy();
    this.window = undefined;
  }
}
