// Start at login on Linux: an XDG autostart entry ($XDG_CONFIG_HOME/autostart/<app id>.desktop),
// which GNOME, KDE, Xfce and most others run at login. Electron's setLoginItemSettings covers only
// macOS and Windows. Plain Node, so it is tested without Electron.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InterceptorError } from '../core/errors';
import { autostartDesktopEntry, DesktopEntryError } from './desktop-entry';

export interface LinuxAutostartOptions {
  env: NodeJS.ProcessEnv;
  homedir: string;
  /** The file name without ".desktop": the app id, so it never collides with another app's. */
  appId: string;
  name: string;
  /** The program and arguments that start the app. */
  command: readonly string[];
  icon?: string;
}

/** $XDG_CONFIG_HOME/autostart, or ~/.config/autostart (the spec ignores a relative XDG_CONFIG_HOME). */
export function autostartDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const configHome = env.XDG_CONFIG_HOME;
  const base = configHome && path.isAbsolute(configHome) ? configHome : path.join(homedir, '.config');
  return path.join(base, 'autostart');
}

export function autostartFile(options: Pick<LinuxAutostartOptions, 'env' | 'homedir' | 'appId'>): string {
  return path.join(autostartDir(options.env, options.homedir), `${options.appId}.desktop`);
}

export interface LaunchContext {
  isPackaged: boolean;
  /** process.execPath: the app's executable (or the development Electron binary). */
  execPath: string;
  /** app.getAppPath(): what the development Electron binary must be given. */
  appPath: string;
  env: NodeJS.ProcessEnv;
}

/** The command that starts this app at login, for the way it was installed. */
export function launchCommand(context: LaunchContext): string[] {
  // An AppImage runs from a temporary mount that changes on every start: start the image file.
  if (context.env.APPIMAGE && path.isAbsolute(context.env.APPIMAGE)) return [context.env.APPIMAGE];
  if (context.isPackaged) return [context.execPath];
  return [context.execPath, context.appPath];
}

function ioError(action: string, file: string, error: unknown): InterceptorError {
  const reason = error instanceof Error ? error.message : String(error);
  return new InterceptorError('SETTINGS_IO', `cannot ${action} the autostart entry ${file}: ${reason}`, { cause: error });
}

/** Writes (or rewrites) the autostart entry atomically; returns its path. */
export async function enableLinuxAutostart(options: LinuxAutostartOptions): Promise<string> {
  const file = autostartFile(options);
  let text: string;
  try {
    text = autostartDesktopEntry({
      name: options.name,
      comment: 'Stable localhost ports per project, proxied to LiteLLM',
      command: options.command,
      ...(options.icon ? { icon: options.icon } : {}),
    });
  } catch (error) {
    if (error instanceof DesktopEntryError) throw new InterceptorError('INVALID_ARGUMENT', `cannot start at login: ${error.message}`);
    throw error;
  }
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temp, text, { mode: 0o644 });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw ioError('write', file, error);
  }
  return file;
}

export async function disableLinuxAutostart(options: Pick<LinuxAutostartOptions, 'env' | 'homedir' | 'appId'>): Promise<void> {
  const file = autostartFile(options);
  try {
    await rm(file, { force: true });
  } catch (error) {
    throw ioError('remove', file, error);
  }
}

/** True when our entry exists and is not switched off (Hidden=true or X-GNOME-Autostart-enabled=false). */
export async function isLinuxAutostartEnabled(options: Pick<LinuxAutostartOptions, 'env' | 'homedir' | 'appId'>): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(autostartFile(options), 'utf8');
  } catch {
    return false;
  }
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  return !lines.includes('Hidden=true') && !lines.includes('X-GNOME-Autostart-enabled=false');
}
