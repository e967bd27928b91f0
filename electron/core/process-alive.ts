// Whether a process id belongs to a running process. Signal 0 checks without sending anything.

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user; that still counts as running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When this process started, in epoch milliseconds (to the precision of process.uptime()). */
export function processStartedAt(): number {
  return Date.now() - process.uptime() * 1000;
}
