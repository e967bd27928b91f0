// Windows: the foreground window, its owner process and its title from user32
// (GetForegroundWindow, GetWindowThreadProcessId, GetWindowText), called from one PowerShell helper
// kept running while the IDE port has traffic: starting PowerShell per reading would cost more
// than the reading. No permission is needed. The helper answers one line per line it is sent.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { FocusProvider, FocusReading } from './focus-provider';

const HELPER_SCRIPT = `
$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
Add-Type -TypeDefinition @"
using System; using System.Runtime.InteropServices; using System.Text;
public static class InterceptorForeground {
  [DllImport("user32.dll")] public static extern IntPtr GetForegroundWindow();
  [DllImport("user32.dll")] public static extern uint GetWindowThreadProcessId(IntPtr window, out uint pid);
  [DllImport("user32.dll", CharSet = CharSet.Unicode)] public static extern int GetWindowText(IntPtr window, StringBuilder text, int max);
}
"@
while ($null -ne ($line = [Console]::In.ReadLine())) {
  $window = [InterceptorForeground]::GetForegroundWindow()
  $owner = [uint32]0
  [void][InterceptorForeground]::GetWindowThreadProcessId($window, [ref]$owner)
  $text = New-Object System.Text.StringBuilder 1024
  [void][InterceptorForeground]::GetWindowText($window, $text, 1024)
  [Console]::Out.WriteLine("$owner\`t" + ($text.ToString() -replace "[\`r\`n\`t]", ' '))
  [Console]::Out.Flush()
}
`;

/** One helper answer: "pid<TAB>title"; pid 0 when no window is in front. */
export function parseWindowsReading(line: string): FocusReading {
  const tab = line.indexOf('\t');
  const pid = Number(tab === -1 ? line.trim() : line.slice(0, tab));
  if (!Number.isSafeInteger(pid) || pid <= 0) return { kind: 'none' };
  return { kind: 'window', pid, title: tab === -1 ? '' : line.slice(tab + 1).trim() };
}

export class WindowsFocus implements FocusProvider {
  private helper: ChildProcessWithoutNullStreams | undefined;
  private pending: Array<(line: string | undefined) => void> = [];
  private buffered = '';
  private failed: string | undefined;

  read(timeoutMs: number): Promise<FocusReading> {
    if (this.failed !== undefined) return Promise.resolve({ kind: 'unavailable', message: this.failed });
    const helper = this.start();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // A helper that stopped answering is replaced at the next reading.
        this.close();
        resolve({ kind: 'none' });
      }, Math.max(1, timeoutMs));
      this.pending.push((line) => {
        clearTimeout(timer);
        resolve(line === undefined ? { kind: 'none' } : parseWindowsReading(line));
      });
      helper.stdin.write('\n');
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.helper !== undefined) return this.helper;
    const encoded = Buffer.from(HELPER_SCRIPT, 'utf16le').toString('base64');
    const helper = spawn('powershell.exe', ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded], { windowsHide: true });
    helper.stdout.setEncoding('utf8');
    helper.stdout.on('data', (text: string) => {
      this.buffered += text;
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) !== -1) {
        const line = this.buffered.slice(0, newline).replace(/\r$/, '');
        this.buffered = this.buffered.slice(newline + 1);
        this.pending.shift()?.(line);
      }
    });
    helper.on('error', (error) => {
      this.failed = `PowerShell could not be started (${error.message}), so Interceptor cannot tell which IDE window is in front`;
      this.drop();
    });
    helper.on('exit', () => this.drop());
    helper.stdin.on('error', () => {});
    this.helper = helper;
    return helper;
  }

  private drop(): void {
    this.helper = undefined;
    this.buffered = '';
    for (const answer of this.pending.splice(0)) answer(undefined);
  }

  close(): void {
    const helper = this.helper;
    this.drop();
    helper?.kill();
  }
}
