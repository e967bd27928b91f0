// Is the IDE that owns a config folder running right now? recentProjects.xml cannot say: after a quit
// (or a crash) it still lists the projects to reopen next time as opened="true".
// - 2020+ IDEs keep a `.lock` file in the config folder holding their process id while they run;
//   a crash leaves it behind, so the PID itself is checked.
//   If the .lock names no PID, the IDE's single-instance socket (`.port` in the system folder, a Unix
//   socket) answering is taken as proof instead.
// - Older IDEs keep a `port` file (in the system folder, sometimes the config folder too) naming the
//   local port their single-instance server listens on; running means that port accepts connections.
import { isProcessAlive } from '../../process-alive';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { systemErrorCode } from '../../errors';
import { pathApi } from '../path-flavour';
import type { IdeConfigFolder } from './ide-config-folders';

export const LOCK_FILE = '.lock';
export const PORT_FILE = 'port';
export const INSTANCE_SOCKET = '.port';

export interface IdeLiveness {
  running: boolean;
  /** Which evidence decided: the .lock PID, the instance socket, the port file, or nothing found. */
  via: 'lock' | 'socket' | 'port' | 'none';
  pid?: number;
  port?: number;
  /** One line a user can read in `interceptor detect`. */
  reason: string;
}

export interface LivenessOptions {
  platform: NodeJS.Platform;
  /** How long a connection to an old IDE's port may take before we call it dead. */
  connectTimeoutMs?: number;
}

/**
 * The PID in a .lock file. The IDE writes just the number; tolerate a trailing newline, a
 * "pid=1234" style line or other lines around it, but never guess from a number inside a word.
 */
export function parseLockPid(text: string): number | undefined {
  const trimmed = text.trim();
  const candidates = [
    /^(\d+)$/.exec(trimmed)?.[1],
    /\bpid\s*[=:]\s*(\d+)\b/i.exec(trimmed)?.[1],
    /^\s*(\d+)\s*$/m.exec(trimmed)?.[1],
  ];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const pid = Number(candidate);
    // 0 and negative values would signal a whole process group: never accept them.
    if (Number.isSafeInteger(pid) && pid > 0 && pid < 2 ** 31) return pid;
  }
  return undefined;
}

export function parsePortFile(text: string): number | undefined {
  const match = /^\s*(\d{1,5})\s*$/m.exec(text);
  if (!match) return undefined;
  const port = Number(match[1]);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** True when something accepts a connection (TCP on 127.0.0.1:port, or a Unix socket path) in time. */
export function acceptsConnections(target: number | string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = typeof target === 'number' ? net.connect({ host: '127.0.0.1', port: target }) : net.connect({ path: target });
    const done = (result: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function readSmallFile(file: string): Promise<{ text?: string; code?: string }> {
  try {
    const text = await readFile(file, 'utf8');
    return { text: text.slice(0, 4096) };
  } catch (error) {
    return { code: systemErrorCode(error) ?? 'EIO' };
  }
}

export async function checkIdeLiveness(
  folder: Pick<IdeConfigFolder, 'configDir' | 'systemDir'>,
  options: LivenessOptions,
): Promise<IdeLiveness> {
  const p = pathApi(options.platform);
  const lock = await readSmallFile(p.join(folder.configDir, LOCK_FILE));
  let lockNote: string | undefined;
  if (lock.text !== undefined) {
    const pid = parseLockPid(lock.text);
    if (pid !== undefined) {
      return isProcessAlive(pid)
        ? { running: true, via: 'lock', pid, reason: `process ${pid} named in .lock is running` }
        : { running: false, via: 'lock', pid, reason: `process ${pid} named in .lock is gone (left by a crash)` };
    }
    lockNote = '.lock holds no process id';
    if (folder.systemDir !== undefined && options.platform !== 'win32') {
      const socketPath = p.join(folder.systemDir, INSTANCE_SOCKET);
      if (await acceptsConnections(socketPath, options.connectTimeoutMs ?? 300)) {
        return { running: true, via: 'socket', reason: `.lock present and the IDE's ${INSTANCE_SOCKET} socket answers` };
      }
    }
  } else if (lock.code === 'EBUSY' || ((lock.code === 'EPERM' || lock.code === 'EACCES') && options.platform === 'win32')) {
    // Windows refuses to read a file another process holds a lock on: the IDE is holding it.
    return { running: true, via: 'lock', reason: '.lock is held open by a running process' };
  } else if (lock.code !== 'ENOENT' && lock.code !== 'ENOTDIR') {
    lockNote = `.lock unreadable (${lock.code})`;
  }

  const portFiles = [folder.systemDir, folder.configDir]
    .filter((dir): dir is string => dir !== undefined)
    .map((dir) => p.join(dir, PORT_FILE));
  for (const file of portFiles) {
    const read = await readSmallFile(file);
    if (read.text === undefined) continue;
    const port = parsePortFile(read.text);
    if (port === undefined) {
      lockNote = `${file} holds no port number`;
      continue;
    }
    return (await acceptsConnections(port, options.connectTimeoutMs ?? 300))
      ? { running: true, via: 'port', port, reason: `port ${port} from the port file accepts connections` }
      : { running: false, via: 'port', port, reason: `nothing listens on port ${port} from the port file (left by a crash)` };
  }
  return {
    running: false,
    via: 'none',
    reason: lockNote === undefined ? 'no .lock or port file: the IDE is not running' : `${lockNote}: the IDE is not running`,
  };
}
