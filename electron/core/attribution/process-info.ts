// What attribution needs to know about one process: its parent, when it started (to tell an IDE
// from a program that later got its PID) and its short name. Linux reads /proc/<pid>/stat; macOS
// and others read one `ps` listing of every process; Windows one listing through PowerShell (CIM).
// A process that is gone, or that we may not inspect, is simply unknown.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface ProcessInfo {
  pid: number;
  /** 0 when the process has no parent (the system's first process). */
  ppid: number;
  /** Epoch milliseconds when it started, when the OS says (to about a second). */
  startedAt?: number;
  /** Short name ("java", "node"), when known. */
  name?: string;
  /** Its session (the PID of the session's leader: a terminal's shell, a desktop session), when the OS says. */
  sid?: number;
}

/** Reads processes one PID at a time; every answer is bounded by the caller's deadline. */
export interface ProcessTable {
  info(pid: number, deadline: number): Promise<ProcessInfo | undefined>;
}

// ---- Linux ---------------------------------------------------------------------------------

/** USER_HZ: the unit of /proc/<pid>/stat's start time. 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Parses /proc/<pid>/stat. The name is in parentheses and may itself hold spaces and ')', so the
 * fields are counted from the last ')'. `bootTimeMs` turns the start time (ticks after boot) into
 * epoch milliseconds.
 */
export function parseProcStat(text: string, bootTimeMs: number | undefined): ProcessInfo | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const name = text.slice(open + 1, close);
  // After ')': state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice num_threads itrealvalue starttime ...
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const ppid = Number(fields[1]);
  const sid = Number(fields[3]);
  const ticks = Number(fields[19]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !Number.isSafeInteger(ppid) || ppid < 0) return undefined;
  const info: ProcessInfo = { pid, ppid, name };
  if (Number.isSafeInteger(sid) && sid >= 0) info.sid = sid;
  if (bootTimeMs !== undefined && Number.isFinite(ticks) && ticks >= 0) info.startedAt = bootTimeMs + (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  return info;
}

/** The `btime` line of /proc/stat: when the machine booted, epoch seconds. */
export function parseBootTime(procStat: string): number | undefined {
  const match = /^btime\s+(\d+)\s*$/m.exec(procStat);
  return match ? Number(match[1]) * 1000 : undefined;
}

export class ProcFsTable implements ProcessTable {
  private bootTime: Promise<number | undefined> | undefined;

  constructor(private readonly procRoot = '/proc') {}

  async info(pid: number): Promise<ProcessInfo | undefined> {
    this.bootTime ??= readFile(`${this.procRoot}/stat`, 'latin1').then(parseBootTime, () => undefined);
    const [text, boot] = await Promise.all([readFile(`${this.procRoot}/${pid}/stat`, 'utf8').catch(() => undefined), this.bootTime]);
    return text === undefined ? undefined : parseProcStat(text, boot);
  }
}

// ---- listings of every process (macOS, Windows) --------------------------------------------

/** How long one listing of every process is reused: the processes in a chain are long-lived. */
const LISTING_FRESH_MS = 2000;

/**
 * `ps -A -o pid=,ppid=,lstart=,comm=` lines: "  501     1 Mon Jan  6 09:14:03 2025 /Applications/…".
 * lstart is local time in the C locale; `comm` may hold spaces (a path), so it is the rest of the line.
 */
export function parsePsListing(text: string): Map<number, ProcessInfo> {
  const table = new Map<number, ProcessInfo>();
  const line = /^\s*(\d+)\s+(\d+)\s+(\w{3}\s+\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}:\d{2}\s+\d{4})\s+(.*)$/;
  for (const row of text.split(/\r?\n/)) {
    const match = line.exec(row);
    if (!match) continue;
    const pid = Number(match[1]);
    const info: ProcessInfo = { pid, ppid: Number(match[2]) };
    const started = Date.parse((match[3] as string).replace(/\s+/g, ' '));
    if (Number.isFinite(started)) info.startedAt = started;
    const command = (match[4] as string).trim();
    if (command) info.name = command.split('/').pop() as string;
    table.set(pid, info);
  }
  return table;
}

/** Tab-separated "pid ppid creationFileTimeUtc name" lines from the PowerShell listing below. */
export function parseWindowsListing(text: string): Map<number, ProcessInfo> {
  const table = new Map<number, ProcessInfo>();
  for (const row of text.split(/\r?\n/)) {
    const [pidText, ppidText, fileTime, name] = row.split('\t');
    const pid = Number(pidText);
    const ppid = Number(ppidText);
    if (!Number.isSafeInteger(pid) || pid <= 0 || !Number.isSafeInteger(ppid) || ppid < 0) continue;
    const info: ProcessInfo = { pid, ppid };
    // FILETIME: 100 ns steps since 1601-01-01.
    const ticks = Number(fileTime);
    if (Number.isFinite(ticks) && ticks > 0) info.startedAt = ticks / 10_000 - 11_644_473_600_000;
    if (name?.trim()) info.name = name.trim();
    table.set(pid, info);
  }
  return table;
}

const WINDOWS_LISTING =
  'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId)`t$($_.ParentProcessId)`t$(if ($_.CreationDate) { $_.CreationDate.ToFileTimeUtc() } else { 0 })`t$($_.Name)" }';

function run(file: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: Math.max(1, timeoutMs), windowsHide: true, maxBuffer: 32 * 1024 * 1024, ...(env ? { env } : {}) }, (_error, stdout) =>
      resolve(String(stdout ?? '')),
    );
  });
}

/** One listing of every process, reused for LISTING_FRESH_MS and taken again for a PID it lacks. */
export class ListingTable implements ProcessTable {
  private listing: { at: number; table: Map<number, ProcessInfo> } | undefined;
  private pending: Promise<Map<number, ProcessInfo>> | undefined;

  constructor(private readonly list: (timeoutMs: number) => Promise<Map<number, ProcessInfo>>) {}

  async info(pid: number, deadline: number): Promise<ProcessInfo | undefined> {
    const now = Date.now();
    const cached = this.listing;
    if (cached !== undefined && now - cached.at < LISTING_FRESH_MS) {
      const known = cached.table.get(pid);
      // A young process may be missing from a listing taken just before it started.
      if (known !== undefined || now - cached.at < 100) return known;
    }
    this.pending ??= this.list(deadline - now).finally(() => {
      this.pending = undefined;
    });
    const table = await this.pending;
    this.listing = { at: Date.now(), table };
    return table.get(pid);
  }
}

export function processTableFor(platform: NodeJS.Platform = process.platform): ProcessTable {
  if (platform === 'linux') return new ProcFsTable();
  if (platform === 'win32') {
    return new ListingTable(async (timeoutMs) => parseWindowsListing(await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_LISTING], timeoutMs)));
  }
  // LC_ALL=C: lstart in the one format parsePsListing reads.
  return new ListingTable(async (timeoutMs) => parsePsListing(await run('ps', ['-A', '-o', 'pid=,ppid=,lstart=,comm='], timeoutMs, { ...process.env, LC_ALL: 'C' })));
}

/**
 * The process and its ancestors, the process first, up to the system's first process, a PID that
 * cannot be read (it exited, or is not ours to inspect) or the deadline. Bounded in depth: a
 * cycle in a broken listing cannot loop.
 */
export async function parentChain(pid: number, table: ProcessTable, deadline: number, maxDepth = 64): Promise<ProcessInfo[]> {
  const chain: ProcessInfo[] = [];
  const seen = new Set<number>();
  let next = pid;
  while (next > 0 && !seen.has(next) && chain.length < maxDepth && Date.now() <= deadline) {
    seen.add(next);
    const info = await table.info(next, deadline);
    if (info === undefined) break;
    chain.push(info);
    next = info.ppid;
  }
  return chain;
}
