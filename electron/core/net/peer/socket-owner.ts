// Linux: which process holds a socket inode, found by reading /proc/<pid>/fd links. A process of
// another account cannot be inspected unless we are root: then the owner stays unknown. The scan
// is bounded by a deadline and tries likely processes first, since a desktop runs hundreds of
// processes with thousands of descriptors between them.
import { readdir, readlink } from 'node:fs/promises';

export interface OwnerScan {
  /** PIDs to try before all others (e.g. running IDEs and their children). */
  candidates?: readonly number[];
  /** Epoch milliseconds after which the scan gives up. */
  deadline: number;
  /** Where /proc is (tests point it elsewhere only to prove the bound). */
  procRoot?: string;
}

async function holds(procRoot: string, pid: number, links: ReadonlySet<string>): Promise<boolean> {
  const fds = await readdir(`${procRoot}/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    if (links.has(await readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => ''))) return true;
  }
  return false;
}

/**
 * The PID holding one of the socket inodes, or undefined (not found, not allowed to look, or out
 * of time).
 */
export async function findSocketOwner(inodes: Iterable<string>, scan: OwnerScan): Promise<number | undefined> {
  const procRoot = scan.procRoot ?? '/proc';
  const links = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const tried = new Set<number>();
  for (const pid of scan.candidates ?? []) {
    if (Date.now() > scan.deadline) return undefined;
    tried.add(pid);
    if (await holds(procRoot, pid, links)) return pid;
  }
  const names = await readdir(procRoot).catch(() => [] as string[]);
  // Newest first: the client of a fresh connection is more often a young process (a CLI agent,
  // a language server) than one of the system's oldest.
  const pids = names.filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => b - a);
  for (const pid of pids) {
    if (tried.has(pid)) continue;
    if (Date.now() > scan.deadline) return undefined;
    if (await holds(procRoot, pid, links)) return pid;
  }
  return undefined;
}
