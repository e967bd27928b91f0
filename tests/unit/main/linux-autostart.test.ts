import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  autostartDir,
  autostartFile,
  disableLinuxAutostart,
  enableLinuxAutostart,
  isLinuxAutostartEnabled,
  launchCommand,
} from '../../../electron/main/linux-autostart';
import { isInterceptorError } from '../../../electron/core/errors';
import { tempDir } from '../../helpers/temp';

const APP_ID = 'dev.litellm.interceptor';

describe('autostartDir', () => {
  it('follows XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe('/cfg/autostart');
    expect(autostartDir({ XDG_CONFIG_HOME: 'relative/cfg' }, '/home/u')).toBe('/home/u/.config/autostart');
    expect(autostartDir({ XDG_CONFIG_HOME: '' }, '/home/u')).toBe('/home/u/.config/autostart');
    expect(autostartDir({}, '/home/u')).toBe('/home/u/.config/autostart');
  });
});

describe('launchCommand', () => {
  const base = { execPath: '/opt/LiteLLM Interceptor/litellm-interceptor', appPath: '/src/app', env: {} };
  it('starts the AppImage file, the packaged executable, or Electron with the app folder', () => {
    expect(launchCommand({ ...base, isPackaged: true, env: { APPIMAGE: '/home/u/Apps/Interceptor.AppImage' } })).toEqual(['/home/u/Apps/Interceptor.AppImage']);
    expect(launchCommand({ ...base, isPackaged: true })).toEqual(['/opt/LiteLLM Interceptor/litellm-interceptor']);
    expect(launchCommand({ ...base, isPackaged: false, execPath: '/src/node_modules/electron/dist/electron' })).toEqual(['/src/node_modules/electron/dist/electron', '/src/app']);
    expect(launchCommand({ ...base, isPackaged: true, env: { APPIMAGE: 'relative.AppImage' } })).toEqual([base.execPath]);
  });
});

describe('enable / disable', () => {
  it('writes the entry under XDG_CONFIG_HOME, reads it back as enabled, and removes it', async () => {
    const home = await tempDir();
    const env = { XDG_CONFIG_HOME: path.join(home, 'cfg') };
    const where = { env, homedir: home, appId: APP_ID };
    expect(await isLinuxAutostartEnabled(where)).toBe(false);
    const file = await enableLinuxAutostart({ ...where, name: 'LiteLLM Interceptor', command: ['/opt/LiteLLM Interceptor/litellm-interceptor'] });
    expect(file).toBe(path.join(home, 'cfg', 'autostart', `${APP_ID}.desktop`));
    expect(file).toBe(autostartFile(where));
    const text = await readFile(file, 'utf8');
    expect(text).toContain('Exec="/opt/LiteLLM Interceptor/litellm-interceptor"\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await isLinuxAutostartEnabled(where)).toBe(true);
    // Enabling again rewrites in place (a moved AppImage gets its new path).
    await enableLinuxAutostart({ ...where, name: 'LiteLLM Interceptor', command: ['/new/place.AppImage'] });
    expect(await readFile(file, 'utf8')).toContain('Exec=/new/place.AppImage\n');
    await disableLinuxAutostart(where);
    expect(await isLinuxAutostartEnabled(where)).toBe(false);
    await disableLinuxAutostart(where);
  });

  it('treats an entry the user switched off as disabled', async () => {
    const home = await tempDir();
    const where = { env: {}, homedir: home, appId: APP_ID };
    await mkdir(autostartDir({}, home), { recursive: true });
    await writeFile(autostartFile(where), '[Desktop Entry]\nType=Application\nExec=x\nHidden=true\n');
    expect(await isLinuxAutostartEnabled(where)).toBe(false);
    await writeFile(autostartFile(where), '[Desktop Entry]\nExec=x\nX-GNOME-Autostart-enabled=false\n');
    expect(await isLinuxAutostartEnabled(where)).toBe(false);
  });

  it('reports an unwritable folder as a one-line SETTINGS_IO error and leaves no temp file', async () => {
    const home = await tempDir();
    const blocker = path.join(home, 'cfg');
    await writeFile(blocker, 'a file where the config folder should be');
    const where = { env: { XDG_CONFIG_HOME: blocker }, homedir: home, appId: APP_ID };
    const error = await enableLinuxAutostart({ ...where, name: 'X', command: ['/x'] }).catch((caught: unknown) => caught);
    expect(isInterceptorError(error) && error.code).toBe('SETTINGS_IO');
    expect((error as Error).message).toMatch(/^cannot write the autostart entry .*dev\.litellm\.interceptor\.desktop: /);
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses a command that cannot be written safely', async () => {
    const home = await tempDir();
    const error = await enableLinuxAutostart({ env: {}, homedir: home, appId: APP_ID, name: 'X', command: ['/x\n[Desktop Entry]'] }).catch((caught: unknown) => caught);
    expect(isInterceptorError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect(await isLinuxAutostartEnabled({ env: {}, homedir: home, appId: APP_ID })).toBe(false);
  });
});
