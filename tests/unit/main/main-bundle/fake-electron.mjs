// A stand-in for the `electron` module, just large enough to run the built main bundle
// (dist/main/main.cjs) under plain Node where the Electron runtime cannot be installed. It records
// what main asks of Electron (tray menus, windows, IPC handlers, protocol handlers) and lets the
// driver play the OS and the page: click menu items, invoke IPC, emit app events. The real thing is
// exercised by tests/e2e/electron wherever a runtime exists.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fakeSafeStorage } from '../../../helpers/fake-safe-storage.mjs';

export const record = {
  quitRequests: 0,
  exitCode: /** @type {number | null} */ (null),
  privilegedSchemes: /** @type {unknown[]} */ ([]),
  protocolHandlers: new Map(),
  permissionRequest: /** @type {Function | null} */ (null),
  permissionCheck: /** @type {Function | null} */ (null),
  ipcHandlers: new Map(),
  trays: /** @type {FakeTray[]} */ ([]),
  windows: /** @type {FakeBrowserWindow[]} */ ([]),
  errorBoxes: /** @type {string[][]} */ ([]),
  messageBoxes: /** @type {unknown[]} */ ([]),
  notifications: /** @type {unknown[]} */ ([]),
  clipboard: /** @type {string[]} */ ([]),
  loginItems: /** @type {unknown[]} */ ([]),
  dockHidden: false,
};

class FakeApp extends EventEmitter {
  // FAKE_ELECTRON_PACKAGED=1 plays an installed app (run-main.mjs also sets process.resourcesPath).
  isPackaged = process.env.FAKE_ELECTRON_PACKAGED === '1';
  dock = { hide: () => (record.dockHidden = true) };
  #ready = Promise.resolve();
  requestSingleInstanceLock() {
    return process.env.FAKE_ELECTRON_LOCK_TAKEN !== '1';
  }
  whenReady() {
    return this.#ready;
  }
  getAppPath() {
    return process.cwd();
  }
  setAppUserModelId() {}
  setLoginItemSettings(settings) {
    record.loginItems.push(settings);
  }
  quit() {
    record.quitRequests += 1;
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.exit(0);
  }
  exit(code = 0) {
    if (record.exitCode === null) record.exitCode = code;
    this.emit('fake-exit', code);
  }
}

export const app = new FakeApp();

let nextContentsId = 1;

class FakeWebContents extends EventEmitter {
  id = nextContentsId++;
  destroyed = false;
  sent = [];
  windowOpenHandler = null;
  mainFrame = { url: '', parent: null, detached: false };
  isDestroyed() {
    return this.destroyed;
  }
  isCrashed() {
    return false;
  }
  send(channel, ...args) {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push([channel, ...args]);
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return record.windows.filter((window) => !window.destroyed);
  }
  destroyed = false;
  visible = false;
  title = '';
  constructor(options) {
    super();
    this.options = options;
    this.title = options?.title ?? '';
    this.webContents = new FakeWebContents();
    record.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url) {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    queueMicrotask(() => this.emit('ready-to-show'));
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  show() {
    this.visible = true;
  }
  focus() {}
  setTitle(title) {
    this.title = title;
  }
  close() {
    this.destroy();
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

class FakeTray extends EventEmitter {
  destroyed = false;
  menus = [];
  tooltip = '';
  title = '';
  constructor(image) {
    super();
    this.image = image;
    record.trays.push(this);
  }
  setContextMenu(menu) {
    this.menus.push(menu);
  }
  setToolTip(text) {
    this.tooltip = text;
  }
  setTitle(text) {
    this.title = text;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
  }
}
export { FakeTray as Tray };

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
};

export const nativeImage = {
  createFromPath: (file) => ({ file, isEmpty: () => !existsSync(file), setTemplateImage() {} }),
};

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    record.notifications.push(this.options);
  }
}

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => record.privilegedSchemes.push(...schemes),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler) => (record.permissionRequest = handler),
    setPermissionCheckHandler: (handler) => (record.permissionCheck = handler),
    protocol: { handle: (scheme, handler) => record.protocolHandlers.set(scheme, handler) },
  },
};

export const ipcMain = {
  handle: (channel, listener) => {
    if (record.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    record.ipcHandlers.set(channel, listener);
  },
  removeHandler: (channel) => record.ipcHandlers.delete(channel),
};

export const dialog = {
  showErrorBox: (title, content) => record.errorBoxes.push([title, content]),
  showMessageBox: async (...args) => {
    record.messageBoxes.push(args.at(-1));
    return { response: 0 };
  },
  showOpenDialog: async () => ({ canceled: false, filePaths: [process.env.FAKE_ELECTRON_PICKED_FOLDER ?? '/nowhere'] }),
};

export const shell = {
  openPath: async () => '',
  openExternal: async () => undefined,
};

export const clipboard = {
  writeText: (text) => record.clipboard.push(text),
};

// The OS keychain: FAKE_SAFE_STORAGE=unavailable, FAKE_SAFE_STORAGE_BACKEND=basic_text play a
// desktop without one.
export const safeStorage = fakeSafeStorage({
  available: process.env.FAKE_SAFE_STORAGE !== 'unavailable',
  backend: process.env.FAKE_SAFE_STORAGE_BACKEND ?? 'gnome_libsecret',
});
