// macOS: the frontmost application's process and its focused window's title, asked of System Events
// through `osascript` (JavaScript for Automation) — no native code of ours, nothing to ship. macOS
// answers only when the user allowed it: Accessibility for Interceptor (or the terminal running
// `interceptor serve`), and Automation of "System Events". Without that the reading is
// 'unavailable' with those steps, and attribution falls back to the other rules.
import { execFile } from 'node:child_process';
import type { FocusProvider, FocusReading } from './focus-provider';

/** Prints {"pid":…, "title":…} for the frontmost process; the title is '' when it has no window. */
export const FRONT_WINDOW_SCRIPT = `
var se = Application('System Events');
var p = se.applicationProcesses.whose({ frontmost: true })[0];
var title = '';
try { title = p.attributes.byName('AXFocusedWindow').value().attributes.byName('AXTitle').value(); } catch (e) {
  try { title = p.windows[0].name(); } catch (e2) {}
}
JSON.stringify({ pid: p.unixId(), title: title || '' });
`;

export const MACOS_PERMISSION_ADVICE =
  'macOS does not let Interceptor read which window is in front: in System Settings → Privacy & Security, allow Interceptor ' +
  '(or the terminal that runs `interceptor serve`) under Accessibility, and under Automation allow it to control "System Events"; ' +
  'until then IDE-port requests are attributed by the single open project or the project last in front';

/** The reading for osascript's output; `stderr` decides between a refusal and a passing failure. */
export function parseMacReading(stdout: string, stderr: string): FocusReading {
  // -1743: not authorised to send Apple events; -1719 / -25211: no assistive (Accessibility) access.
  if (/-1743|-1719|-25211|not allowed assistive|not authori[sz]ed/i.test(stderr)) return { kind: 'unavailable', message: MACOS_PERMISSION_ADVICE };
  try {
    const value = JSON.parse(stdout.trim()) as { pid?: unknown; title?: unknown };
    if (typeof value.pid === 'number' && Number.isSafeInteger(value.pid) && value.pid > 0) {
      return { kind: 'window', pid: value.pid, title: typeof value.title === 'string' ? value.title : '' };
    }
  } catch {
    // Not JSON: no frontmost process could be read this time.
  }
  return { kind: 'none' };
}

export class MacFocus implements FocusProvider {
  read(timeoutMs: number): Promise<FocusReading> {
    return new Promise((resolve) => {
      execFile('osascript', ['-l', 'JavaScript', '-e', FRONT_WINDOW_SCRIPT], { timeout: Math.max(1, timeoutMs) }, (_error, stdout, stderr) =>
        resolve(parseMacReading(String(stdout ?? ''), String(stderr ?? ''))),
      );
    });
  }

  close(): void {}
}
