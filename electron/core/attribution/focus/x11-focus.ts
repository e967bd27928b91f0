// Linux and other X11 desktops: the window in front is the root window's _NET_ACTIVE_WINDOW (every
// EWMH window manager keeps it), its owner process the window's _NET_WM_PID, its title _NET_WM_NAME
// (WM_NAME for old clients). Read with `xprop` from x11-utils: two short commands per reading, and
// only while the IDE port has traffic. On Wayland only windows that run through XWayland are
// visible this way; JetBrains IDEs do unless started with the Wayland toolkit.
import { execFile } from 'node:child_process';
import type { FocusProvider, FocusReading } from './focus-provider';

interface Run {
  stdout: string;
  stderr: string;
  /** The command could not be started (not installed). */
  missing: boolean;
  failed: boolean;
}

function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    // C.UTF-8: titles come out as UTF-8 text rather than octal escapes where xprop can.
    execFile('xprop', args, { timeout: Math.max(1, timeoutMs), env: { ...env, LC_ALL: 'C.UTF-8' }, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      resolve({ stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), missing: code === 'ENOENT', failed: error !== null });
    });
  });
}

/**
 * The window id in `xprop -root _NET_ACTIVE_WINDOW` output; 0 when none is active or the property
 * is missing. Window managers store it as a WINDOW ("window id # 0x1a00007"); a property someone
 * set as a CARDINAL prints as a decimal number ("= 27262983").
 */
export function parseActiveWindow(output: string): number {
  const windowType = /_NET_ACTIVE_WINDOW(?:\([^)]*\))?[:=].*?#\s*(0x[0-9a-fA-F]+)/.exec(output);
  if (windowType) return Number.parseInt(windowType[1] as string, 16);
  const cardinal = /_NET_ACTIVE_WINDOW(?:\([^)]*\))?\s*=\s*(\d+)\s*$/m.exec(output);
  return cardinal ? Number(cardinal[1]) : 0;
}

/** xprop's quoted text: C escapes, and runs of octal escapes that are UTF-8 bytes. */
export function decodeXpropString(quoted: string): string {
  let out = '';
  const bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < quoted.length; i += 1) {
    const char = quoted[i] as string;
    if (char !== '\\') {
      flush();
      out += char;
      continue;
    }
    const octal = /^[0-7]{3}/.exec(quoted.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
      continue;
    }
    flush();
    const next = quoted[i + 1] ?? '';
    out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    i += 1;
  }
  flush();
  return out;
}

/** The owner PID and title from `xprop -id <w> _NET_WM_PID _NET_WM_NAME WM_NAME` output. */
export function parseWindowProperties(output: string): { pid?: number; title?: string } {
  const result: { pid?: number; title?: string } = {};
  const pid = /^_NET_WM_PID(?:\([^)]*\))?\s*=\s*(\d+)/m.exec(output);
  if (pid) result.pid = Number(pid[1]);
  const quoted = (name: string): string | undefined => {
    const match = new RegExp(`^${name}(?:\\([^)]*\\))?\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'm').exec(output);
    return match ? decodeXpropString(match[1] as string) : undefined;
  };
  const title = quoted('_NET_WM_NAME') ?? quoted('WM_NAME');
  if (title !== undefined) result.title = title;
  return result;
}

function isWaylandSession(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.WAYLAND_DISPLAY) || env.XDG_SESSION_TYPE === 'wayland';
}

export const WAYLAND_ADVICE =
  'the desktop runs Wayland and Interceptor sees no X11 display, so it cannot tell which IDE window is in front; ' +
  'IDE-port requests are attributed by the single open project or the project last in front instead. ' +
  'To let focus decide: run Interceptor in the desktop session (so DISPLAY is set for XWayland) and keep the IDE on XWayland (the default; not -Dawt.toolkit.name=WLToolkit)';

export class X11Focus implements FocusProvider {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async read(timeoutMs: number): Promise<FocusReading> {
    const deadline = Date.now() + timeoutMs;
    if (!this.env.DISPLAY) {
      return {
        kind: 'unavailable',
        message: isWaylandSession(this.env)
          ? WAYLAND_ADVICE
          : 'no X11 display (DISPLAY is not set), so Interceptor cannot tell which IDE window is in front; IDE-port requests are attributed by the single open project or the project last in front instead',
      };
    }
    const root = await run(['-root', '-notype', '_NET_ACTIVE_WINDOW'], this.env, deadline - Date.now());
    if (root.missing) {
      return { kind: 'unavailable', message: 'xprop is not installed, so Interceptor cannot tell which IDE window is in front: install x11-utils (Debian, Ubuntu) or xorg-xprop (Fedora, Arch)' };
    }
    if (root.failed) {
      return /unable to open display/i.test(root.stderr)
        ? { kind: 'unavailable', message: `cannot open the X11 display ${this.env.DISPLAY}, so Interceptor cannot tell which IDE window is in front` }
        : { kind: 'none' };
    }
    const window = parseActiveWindow(root.stdout);
    if (window === 0) return isWaylandSession(this.env) ? { kind: 'none', wayland: true } : { kind: 'none' };
    const props = await run(['-id', `0x${window.toString(16)}`, '-notype', '_NET_WM_PID', '_NET_WM_NAME', 'WM_NAME'], this.env, deadline - Date.now());
    // BadWindow: it closed between the two reads.
    if (props.failed) return { kind: 'none' };
    const { pid, title } = parseWindowProperties(props.stdout);
    return pid === undefined ? { kind: 'none' } : { kind: 'window', pid, title: title ?? '' };
  }

  close(): void {}
}
