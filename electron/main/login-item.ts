// Applies "Start at login" for the platform: Electron's login items on macOS and Windows, an XDG
// autostart entry on Linux. Called by the engine when the setting changes, and once at start so a
// moved app (a new AppImage file, say) re-registers its current path.
import os from 'node:os';
import { app } from 'electron';
import { disableLinuxAutostart, enableLinuxAutostart, launchCommand } from './linux-autostart';
import { APP_ID, PRODUCT_NAME } from './app-identity';

export async function setStartAtLogin(enabled: boolean): Promise<void> {
  if (process.platform === 'darwin' || process.platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: enabled });
    return;
  }
  const where = { env: process.env, homedir: os.homedir(), appId: APP_ID };
  if (!enabled) return disableLinuxAutostart(where);
  const command = launchCommand({ isPackaged: app.isPackaged, execPath: process.execPath, appPath: app.getAppPath(), env: process.env });
  await enableLinuxAutostart({ ...where, name: PRODUCT_NAME, command });
}
