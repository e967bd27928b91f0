import { describe, expect, it } from 'vitest';
import { decideTrayMode, parseNameHasOwner, probeTrayHost, PROBE_COMMANDS, WATCHER_NAME, type CommandRunner } from '../../../electron/main/tray-support';

describe('parseNameHasOwner', () => {
  it('reads gdbus and dbus-send answers', () => {
    expect(parseNameHasOwner('(true,)\n')).toBe(true);
    expect(parseNameHasOwner('(false,)\n')).toBe(false);
    expect(parseNameHasOwner('method return time=1.2 sender=org.freedesktop.DBus -> destination=:1.9 serial=3 reply_serial=2\n   boolean true\n')).toBe(true);
    expect(parseNameHasOwner('method return ...\n   boolean false\n')).toBe(false);
    expect(parseNameHasOwner('Error: no bus')).toBeNull();
    expect(parseNameHasOwner('')).toBeNull();
  });
});

describe('probeTrayHost', () => {
  it('asks the session bus about the StatusNotifier watcher', async () => {
    const asked: string[][] = [];
    const run: CommandRunner = async (command, args) => {
      asked.push([command, ...args]);
      return '(true,)';
    };
    expect(await probeTrayHost(run)).toBe('present');
    expect(asked).toEqual([[...PROBE_COMMANDS[0]!]]);
    expect(asked[0]).toContain(WATCHER_NAME);
  });

  it('falls back to dbus-send when gdbus is missing', async () => {
    const run: CommandRunner = async (command) => {
      if (command === 'gdbus') throw Object.assign(new Error('spawn gdbus ENOENT'), { code: 'ENOENT' });
      return '   boolean false\n';
    };
    expect(await probeTrayHost(run)).toBe('absent');
  });

  it('says unknown when neither tool answers', async () => {
    const run: CommandRunner = async () => {
      throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
    };
    expect(await probeTrayHost(run)).toBe('unknown');
    expect(await probeTrayHost(async () => 'garbage')).toBe('unknown');
  });
});

describe('decideTrayMode', () => {
  it('always uses the tray on macOS and Windows', () => {
    expect(decideTrayMode('darwin', {}, 'unknown')).toEqual({ tray: true, openWindow: false });
    expect(decideTrayMode('win32', {}, 'absent')).toEqual({ tray: true, openWindow: false });
  });

  it('on Linux: tray when a host exists, window with the reason when none does', () => {
    expect(decideTrayMode('linux', {}, 'present')).toEqual({ tray: true, openWindow: false });
    const none = decideTrayMode('linux', {}, 'absent');
    expect(none).toMatchObject({ tray: false, openWindow: true });
    expect(none.reason).toMatch(/no tray icons.*AppIndicator.*closing this window quits/);
  });

  it('on Linux without a way to ask: tray, and the window too so the app is never invisible', () => {
    const mode = decideTrayMode('linux', {}, 'unknown');
    expect(mode).toMatchObject({ tray: true, openWindow: true });
    expect(mode.reason).toContain('INTERCEPTOR_TRAY=off');
  });

  it('obeys INTERCEPTOR_TRAY', () => {
    expect(decideTrayMode('linux', { INTERCEPTOR_TRAY: 'on' }, 'absent')).toEqual({ tray: true, openWindow: false });
    expect(decideTrayMode('darwin', { INTERCEPTOR_TRAY: ' OFF ' }, 'present')).toMatchObject({ tray: false, openWindow: true });
  });
});
