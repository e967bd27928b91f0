// What each platform's focus reader makes of the text its tool prints (recorded outputs).
import { describe, expect, it } from 'vitest';
import { MACOS_PERMISSION_ADVICE, parseMacReading } from '../../../electron/core/attribution/focus/macos-focus';
import { parseWindowsReading } from '../../../electron/core/attribution/focus/windows-focus';
import { decodeXpropString, parseActiveWindow, parseWindowProperties } from '../../../electron/core/attribution/focus/x11-focus';

describe('xprop', () => {
  it('the active window, as WINDOW or CARDINAL; none when 0 or missing', () => {
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW: window id # 0x1a00007\n')).toBe(0x1a00007);
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW(WINDOW): window id # 0x3e00004, 0x0\n')).toBe(0x3e00004);
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW = 2097200\n')).toBe(2097200);
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW: window id # 0x0\n')).toBe(0);
    expect(parseActiveWindow('_NET_ACTIVE_WINDOW:  not found.\n')).toBe(0);
  });

  it('owner and title; octal-escaped UTF-8 and quotes decoded; WM_NAME when there is no _NET_WM_NAME', () => {
    expect(parseWindowProperties('_NET_WM_PID = 4242\n_NET_WM_NAME = "alpha \\342\\200\\223 Main.kt"\nWM_NAME = "x"\n')).toEqual({ pid: 4242, title: 'alpha – Main.kt' });
    expect(parseWindowProperties('_NET_WM_PID = 7\n_NET_WM_NAME:  not found.\nWM_NAME = "say \\"hi\\""\n')).toEqual({ pid: 7, title: 'say "hi"' });
    expect(parseWindowProperties('_NET_WM_PID:  not found.\n')).toEqual({});
    expect(decodeXpropString('caf\\303\\251')).toBe('café');
  });
});

describe('osascript (macOS)', () => {
  it('the frontmost process and its window title', () => {
    expect(parseMacReading('{"pid":812,"title":"alpha – Main.kt"}\n', '')).toEqual({ kind: 'window', pid: 812, title: 'alpha – Main.kt' });
    expect(parseMacReading('{"pid":812,"title":""}\n', '')).toEqual({ kind: 'window', pid: 812, title: '' });
  });

  it('a missing permission is unavailable, with the steps', () => {
    expect(parseMacReading('', 'execution error: Not authorized to send Apple events to System Events. (-1743)')).toEqual({ kind: 'unavailable', message: MACOS_PERMISSION_ADVICE });
    expect(parseMacReading('', 'execution error: osascript is not allowed assistive access. (-1719)')).toMatchObject({ kind: 'unavailable' });
    expect(MACOS_PERMISSION_ADVICE).toMatch(/Accessibility/);
  });

  it('anything else is no window this time', () => {
    expect(parseMacReading('not json', 'some other error')).toEqual({ kind: 'none' });
  });
});

describe('the PowerShell helper (Windows)', () => {
  it('"pid<TAB>title" lines', () => {
    expect(parseWindowsReading('5120\talpha – Main.kt')).toEqual({ kind: 'window', pid: 5120, title: 'alpha – Main.kt' });
    expect(parseWindowsReading('0\t')).toEqual({ kind: 'none' });
    expect(parseWindowsReading('garbage')).toEqual({ kind: 'none' });
  });
});
