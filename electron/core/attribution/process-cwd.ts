// The folder a process works in: what tells which project a command-line agent (Claude Code, Codex,
// the Continue CLI) works on. Linux reads the /proc/<pid>/cwd link; macOS asks lsof once for a whole
// parent chain; Windows offers no cheap way (another process's working folder lives in its memory),
// so there the folder is unknown and attribution goes on to the IDE rules. Never throws: a process
// that exited, a folder that was deleted or a process we may not inspect each has its own answer.
import { execFile } from 'node:child_process';
import { readlink, stat } from 'node:fs/promises';
import { systemErrorCode } from '../errors';

export type CwdReading =
  | { folder: string }
  /** gone: the process exited; deleted: its folder was removed; unreadable: not ours to inspect; unsupported: this OS. */
  | { missing: 'gone' | 'deleted' | 'unreadable' | 'unsupported' };

export interface CwdReader {
  /** The working folder of each PID, read by `deadline`; a PID missing from the answer is unknown. */
  read(pids: readonly number[], deadline: number): Promise<Map<number, CwdReading>>;
}

/** The kernel marks the link of a removed folder with this suffix. */
const DELETED_SUFFIX = ' (deleted)';

export class ProcCwdReader implements CwdReader {
  constructor(private readonly procRoot = '/proc') {}

  async read(pids: readonly number[]): Promise<Map<number, CwdReading>> {
    const readings = await Promise.all(pids.map(async (pid) => [pid, await this.one(pid)] as const));
    return new Map(readings);
  }

  private async one(pid: number): Promise<CwdReading> {
    let link: string;
    try {
      link = await readlink(`${this.procRoot}/${pid}/cwd`);
    } catch (error) {
      const code = systemErrorCode(error);
      return { missing: code === 'EACCES' || code === 'EPERM' ? 'unreadable' : 'gone' };
    }
    if (!link.startsWith('/')) return { missing: 'unreadable' };
    if (link.endsWith(DELETED_SUFFIX)) {
      // A folder really named "x (deleted)" exists; a removed one does not.
      const exists = await stat(link).then((info) => info.isDirectory(), () => false);
      if (!exists) return { missing: 'deleted' };
    }
    return { folder: link };
  }
}

/** The arguments: the cwd descriptor of these PIDs only, PIDs and names as fields. */
export function lsofCwdArgs(pids: readonly number[]): string[] {
  return ['-a', '-p', pids.join(','), '-d', 'cwd', '-Fn'];
}

/** From `lsof -a -p … -d cwd -Fn` output (`p<pid>`, then `fcwd`, then `n<path>`), each PID's folder. */
export function parseLsofCwd(output: string): Map<number, CwdReading> {
  const readings = new Map<number, CwdReading>();
  let pid: number | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (line.startsWith('p')) {
      const value = Number(line.slice(1));
      pid = Number.isInteger(value) && value > 0 ? value : undefined;
    } else if (line.startsWith('n') && pid !== undefined && !readings.has(pid)) {
      const folder = line.slice(1);
      // lsof names a folder it cannot stat with a note in parentheses after the path.
      if (folder.startsWith('/') && !/ \((?:deleted|stat: [^)]*)\)$/.test(folder)) readings.set(pid, { folder });
      else readings.set(pid, { missing: folder.includes('(deleted)') ? 'deleted' : 'unreadable' });
    }
  }
  return readings;
}

export class LsofCwdReader implements CwdReader {
  async read(pids: readonly number[], deadline: number): Promise<Map<number, CwdReading>> {
    if (pids.length === 0) return new Map();
    const output = await new Promise<string>((resolve) => {
      execFile('lsof', lsofCwdArgs(pids), { timeout: Math.max(1, deadline - Date.now()), maxBuffer: 1024 * 1024 }, (_error, stdout) => resolve(String(stdout ?? '')));
    });
    const readings = parseLsofCwd(output);
    // lsof leaves out processes that are gone and those it may not inspect alike.
    for (const pid of pids) if (!readings.has(pid)) readings.set(pid, { missing: 'gone' });
    return readings;
  }
}

export const unsupportedCwdReader: CwdReader = {
  read: async (pids) => new Map(pids.map((pid) => [pid, { missing: 'unsupported' as const }])),
};

export function cwdReaderFor(platform: NodeJS.Platform = process.platform): CwdReader {
  if (platform === 'linux') return new ProcCwdReader();
  if (platform === 'win32') return unsupportedCwdReader;
  return new LsofCwdReader();
}
