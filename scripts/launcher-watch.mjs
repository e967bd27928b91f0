// Tells `npm start` (scripts/start.mjs) that the process a user started — npm — was asked to stop,
// although the signal never reaches it. npm runs a script as `sh -c '<script>'` and passes SIGINT
// and SIGTERM on to that shell only; it dies of a SIGHUP without passing it on at all. What the
// shell then does depends on which one /bin/sh is:
// - SIGTERM: the shell dies, so this process gets a new parent;
// - SIGHUP: npm dies, so the shell's parent (this process's grandparent) is gone;
// - SIGINT: Debian's and Ubuntu's dash catches it and holds it until its child (this process) has
//   exited, and nothing below it sees anything. But dash sleeps until a signal it catches arrives,
//   and it catches only SIGINT and SIGCHLD (this process changing state): so dash waking up while
//   this process runs is npm passing a SIGINT on. Linux counts a process's sleeps in
//   /proc/<pid>/status (voluntary_ctxt_switches). (A Ctrl-Z also wakes it; npm start is not a job
//   one suspends.) Shells that exec a lone command (bash, macOS's sh) leave no shell in between:
//   npm's SIGINT and SIGTERM then reach this process directly, and a SIGHUP orphans it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const POLL_MS = 250;

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function ps(pid, field) {
  try {
    return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }).trim();
  } catch {
    return '';
  }
}

/** The parent of `pid`, or undefined when the OS will not say. */
function parentOf(pid) {
  if (process.platform === 'linux') {
    // /proc/<pid>/stat: "pid (comm) state ppid ...", and comm may hold spaces or parentheses.
    const stat = readProc(pid, 'stat');
    return stat === undefined ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return Number(ps(pid, 'ppid')) || undefined;
}

/** The program name of `pid` ("sh", "node"), or '' when the OS will not say. */
function commandOf(pid) {
  const command = process.platform === 'linux' ? (readProc(pid, 'comm') ?? '') : ps(pid, 'comm');
  return command.trim().split('/').pop() ?? '';
}

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ksh', 'mksh', 'ash', 'busybox']);

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** How often a dash parent has gone back to sleep, or undefined when the parent is not dash on Linux. */
function dashSleeps(pid) {
  if (process.platform !== 'linux') return undefined;
  const command = commandOf(pid);
  if (command !== 'sh' && command !== 'dash') return undefined;
  const status = readProc(pid, 'status');
  const count = status === undefined ? undefined : /^voluntary_ctxt_switches:\s*(\d+)$/m.exec(status)?.[1];
  return count === undefined ? undefined : Number(count);
}

/**
 * Calls `onStop(signal)` once when the launcher was asked to stop: SIGTERM, SIGHUP or SIGINT, by
 * what it saw (see above). Only under a package manager (npm sets npm_lifecycle_event): run by
 * hand, the terminal's signals reach this process as they are. Not on Windows: no such signals.
 */
export function watchLauncher(onStop) {
  if (process.platform === 'win32' || !process.env.npm_lifecycle_event) return () => undefined;
  const parent = process.ppid;
  // With a shell in between, npm is the grandparent. Without one the parent is npm, and the
  // grandparent is whoever started npm: no business of ours (`nohup npm start &` outlives it).
  const grandparent = SHELLS.has(commandOf(parent)) ? parentOf(parent) : undefined;
  // A shell in between sleeps from the moment it started this process; anything else is not watched.
  const sleepsAtStart = dashSleeps(parent);
  const timer = setInterval(() => {
    let signal;
    if (process.ppid !== parent) signal = 'SIGTERM';
    else if (grandparent !== undefined && grandparent > 1 && !isRunning(grandparent)) signal = 'SIGHUP';
    else if (sleepsAtStart !== undefined && dashSleeps(parent) !== sleepsAtStart) signal = 'SIGINT';
    if (signal === undefined) return;
    clearInterval(timer);
    onStop(signal);
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
