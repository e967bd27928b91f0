// Linux: which process holds a socket inode, found by reading /proc/<pid>/fd links. A process of
// another account cannot be inspected unless we are root: then the owner stays unknown. The scan
// is bounded by a deadline and tries likely processes first, since a desktop runs hundreds of
// processes with thousands of descriptors between them.
import { readdir, readlink } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { SharedReads } from './shared-reads';

export interface OwnerScan {
  /** PIDs to try before all others (e.g. running IDEs and their children). */
  candidates?: readonly number[];
  /** Epoch milliseconds after which the scan gives up. */
  deadline: number;
  /** Where /proc is (tests point it elsewhere only to prove the bound). */
  procRoot?: string;
}

/** A process's socket descriptors as their link text ("socket:[123]"); empty when it cannot be read. */
async function socketLinks(fdDir: string): Promise<ReadonlySet<string>> {
  const fds = await readdir(fdDir).catch(() => [] as string[]);
  const links = new Set<string>();
  for (const fd of fds) {
    const link = await readlink(`${fdDir}/${fd}`).catch(() => '');
    if (link.startsWith('socket:')) links.add(link);
  }
  return links;
}

/** Concurrent lookups (connections arriving together) read each process's descriptors once. */
const descriptors = new SharedReads<ReadonlySet<string>>(socketLinks);

function anyOf(held: ReadonlySet<string>, links: ReadonlySet<string>): boolean {
  for (const link of links) if (held.has(link)) return true;
  return false;
}

/**
 * Whether the process holds one of the sockets. A likely owner (`joinOlder`) may answer from a read
 * that began before we asked, and is read again if that one lacks the socket; every other process
 * only from a read that began after (most do not hold it, and reading each twice would double a scan).
 */
async function holds(procRoot: string, pid: number, links: ReadonlySet<string>, since: number, joinOlder: boolean): Promise<boolean> {
  const fdDir = `${procRoot}/${pid}/fd`;
  if (!joinOlder) return anyOf(await descriptors.again(fdDir, since), links);
  const read = await descriptors.get(fdDir, since);
  if (anyOf(read.value, links)) return true;
  return !read.fresh && anyOf(await descriptors.again(fdDir, since), links);
}

/**
 * The PID holding one of the socket inodes, or undefined (not found, not allowed to look, or out
 * of time).
 */
export async function findSocketOwner(inodes: Iterable<string>, scan: OwnerScan): Promise<number | undefined> {
  const procRoot = scan.procRoot ?? '/proc';
  const since = performance.now();
  const links = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const tried = new Set<number>();
  for (const pid of scan.candidates ?? []) {
    if (Date.now() > scan.deadline) return undefined;
    tried.add(pid);
    if (await holds(procRoot, pid, links, since, true)) return pid;
  }
  const names = await readdir(procRoot).catch(() => [] as string[]);
  // Newest first: the client of a fresh connection is more often a young process (a CLI agent,
  // a language server) than one of the system's oldest.
  const pids = names.filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => b - a);
  for (const pid of pids) {
    if (tried.has(pid)) continue;
    if (Date.now() > scan.deadline) return undefined;
    if (await holds(procRoot, pid, links, since, false)) return pid;
  }
  return undefined;
}
