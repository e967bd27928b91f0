// Whether a tray icon will be visible. On Linux, Electron's tray is a StatusNotifierItem: it shows
// only when something on the session bus owns org.kde.StatusNotifierWatcher (KDE, Xfce/MATE/Cinnamon
// panels, GNOME with the AppIndicator extension). Stock GNOME has none, and creating the Tray still
// "succeeds" there while nothing appears, so the desktop's name (XDG_CURRENT_DESKTOP) cannot decide
// it and `new Tray()` failing cannot either. We ask the bus, with gdbus or dbus-send:
// - a watcher is there: tray only;
// - no watcher: no tray; the window opens instead and says why, and closing it quits;
// - the bus cannot be asked (neither tool, no session bus): tray, and the window opens once as well,
//   so the app is never invisible.
// INTERCEPTOR_TRAY=on|off overrides the check.
import { execFile } from 'node:child_process';

export type TrayHostProbe = 'present' | 'absent' | 'unknown';

export interface TrayMode {
  /** Create the tray icon. */
  tray: boolean;
  /** Open the window at start (the tray may be missing or unverified). */
  openWindow: boolean;
  /** Why the window opens at start; shown to the user. */
  reason?: string;
}

export const WATCHER_NAME = 'org.kde.StatusNotifierWatcher';

/** The two ways to ask the bus "does anyone own this name?", tried in order. */
export const PROBE_COMMANDS: ReadonlyArray<readonly [string, ...string[]]> = [
  ['gdbus', 'call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner', WATCHER_NAME],
  ['dbus-send', '--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${WATCHER_NAME}`],
];

/** Reads NameHasOwner's answer as printed by gdbus ("(true,)") or dbus-send ("boolean true"). */
export function parseNameHasOwner(stdout: string): boolean | null {
  const text = stdout.trim();
  if (/^\(\s*true\s*,?\s*\)$/.test(text) || /\bboolean\s+true\b/.test(text)) return true;
  if (/^\(\s*false\s*,?\s*\)$/.test(text) || /\bboolean\s+false\b/.test(text)) return false;
  return null;
}

export type CommandRunner = (command: string, args: readonly string[]) => Promise<string>;

export const runCommand: CommandRunner = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: 2000, maxBuffer: 64 * 1024, windowsHide: true }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });

export async function probeTrayHost(run: CommandRunner = runCommand): Promise<TrayHostProbe> {
  for (const [command, ...args] of PROBE_COMMANDS) {
    try {
      const answer = parseNameHasOwner(await run(command, args));
      if (answer !== null) return answer ? 'present' : 'absent';
    } catch {
      // Tool missing, no session bus, or a timeout: try the next way.
    }
  }
  return 'unknown';
}

export function decideTrayMode(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, probe: TrayHostProbe): TrayMode {
  const forced = env.INTERCEPTOR_TRAY?.trim().toLowerCase();
  if (forced === 'off') {
    return { tray: false, openWindow: true, reason: 'The tray icon is switched off (INTERCEPTOR_TRAY=off); closing this window quits.' };
  }
  if (forced === 'on' || platform !== 'linux') return { tray: true, openWindow: false };
  if (probe === 'present') return { tray: true, openWindow: false };
  if (probe === 'absent') {
    return {
      tray: false,
      openWindow: true,
      reason:
        'This desktop shows no tray icons (no StatusNotifier/AppIndicator host). On GNOME, install the "AppIndicator and KStatusNotifierItem Support" extension. Until then, closing this window quits.',
    };
  }
  return {
    tray: true,
    openWindow: true,
    reason: 'Could not check whether this desktop shows tray icons (gdbus and dbus-send are unavailable). If no tray icon appears, set INTERCEPTOR_TRAY=off.',
  };
}
