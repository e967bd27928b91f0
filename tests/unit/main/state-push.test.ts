import { describe, expect, it } from 'vitest';
import { appPaths, trayIconFile } from '../../../electron/main/app-paths';
import { sendState } from '../../../electron/main/state-push';

function fakeWindow(options: { windowDestroyed?: boolean; contentsDestroyed?: boolean; crashed?: boolean; throws?: boolean } = {}) {
  const sent: unknown[][] = [];
  return {
    sent,
    window: {
      isDestroyed: () => options.windowDestroyed === true,
      webContents: {
        isDestroyed: () => options.contentsDestroyed === true,
        isCrashed: () => options.crashed === true,
        send: (...args: unknown[]) => {
          if (options.throws) throw new Error('Object has been destroyed');
          sent.push(args);
        },
      },
    },
  };
}

describe('sendState', () => {
  it('sends to a live window', () => {
    const { window, sent } = fakeWindow();
    expect(sendState(window, 'interceptor:state', { v: 1 })).toBe(true);
    expect(sent).toEqual([['interceptor:state', { v: 1 }]]);
  });

  it('drops the push when there is no window, or it or its page is gone', () => {
    expect(sendState(undefined, 'c', 1)).toBe(false);
    for (const options of [{ windowDestroyed: true }, { contentsDestroyed: true }, { crashed: true }, { throws: true }]) {
      const { window, sent } = fakeWindow(options);
      expect(sendState(window, 'c', 1), JSON.stringify(options)).toBe(false);
      expect(sent).toEqual([]);
    }
  });
});

describe('appPaths', () => {
  it('finds the page, the preload and the tray icons in a checkout and in a package', () => {
    expect(appPaths({ mainDir: '/src/dist/main', isPackaged: false, resourcesPath: '/ignored' })).toEqual({
      rendererDir: '/src/dist/renderer',
      preloadPath: '/src/dist/preload/preload.cjs',
      trayIconsDir: '/src/build/icons/tray',
      windowIcon: '/src/build/icons/tray/window-256.png',
      cliScript: '/src/dist/cli/interceptor.js',
    });
    expect(appPaths({ mainDir: '/opt/X/resources/app.asar/dist/main', isPackaged: true, resourcesPath: '/opt/X/resources' })).toMatchObject({
      rendererDir: '/opt/X/resources/app.asar/dist/renderer',
      trayIconsDir: '/opt/X/resources/icons',
      cliScript: '/opt/X/resources/app.asar.unpacked/dist/cli/interceptor.js',
    });
  });

  it('picks the tray image format each platform wants', () => {
    expect(trayIconFile('darwin', '/i')).toBe('/i/trayTemplate.png');
    expect(trayIconFile('win32', '/i')).toBe('/i/tray.ico');
    expect(trayIconFile('linux', '/i')).toBe('/i/tray-32.png');
  });
});
