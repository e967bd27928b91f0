// Who is listening on a port: the answer a user needs when a project's port is taken. Best effort,
// "when the OS says": Linux answers from /proc without spawning anything; macOS and others ask lsof;
// Windows asks netstat. Any failure means "unknown", never an error.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { processName } from './peer/process-name';
import { findSocketOwner } from './peer/socket-owner';

export interface PortHolder {
  pid: number;
  command?: string;
}

const TCP_LISTEN = '0A';
/** Long enough to scan a busy desktop's processes; the answer only names a program in a message. */
const OWNER_SCAN_MS = 2000;

/** Socket inodes listening on `port`, from /proc/net/tcp and tcp6. */
async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (local?.endsWith(`:${hexPort}`) && fields[3] === TCP_LISTEN && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

async function linuxHolder(port: number): Promise<PortHolder | null> {
  const inodes = await listeningInodes(port);
  if (inodes.size === 0) return null;
  const pid = await findSocketOwner(inodes, { deadline: Date.now() + OWNER_SCAN_MS });
  if (pid === undefined) return null; // the socket belongs to a process we may not inspect (another user's)
  const command = await processName(pid);
  return { pid, ...(command ? { command } : {}) };
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 2000, windowsHide: true }, (_error, stdout) => resolve(String(stdout ?? '')));
  });
}

async function lsofHolder(port: number): Promise<PortHolder | null> {
  // -F pc: one field per line, p<pid> then c<command>.
  const out = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc']);
  const pid = /^p(\d+)$/m.exec(out)?.[1];
  if (!pid) return null;
  const command = /^c(.+)$/m.exec(out)?.[1];
  return { pid: Number(pid), ...(command ? { command } : {}) };
}

async function netstatHolder(port: number): Promise<PortHolder | null> {
  const out = await run('netstat', ['-ano', '-p', 'TCP']);
  for (const line of out.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'TCP' && fields[1]?.endsWith(`:${port}`) && fields[3] === 'LISTENING' && fields[4]) {
      return { pid: Number(fields[4]) };
    }
  }
  return null;
}

export async function findPortHolder(port: number, platform: NodeJS.Platform = process.platform): Promise<PortHolder | null> {
  try {
    if (platform === 'linux') return (await linuxHolder(port)) ?? (await lsofHolder(port));
    if (platform === 'win32') return await netstatHolder(port);
    return await lsofHolder(port);
  } catch {
    return null;
  }
}

export function describeHolder(holder: PortHolder | null): string {
  if (!holder) return 'another program';
  return holder.command ? `${holder.command} (pid ${holder.pid})` : `pid ${holder.pid}`;
}
