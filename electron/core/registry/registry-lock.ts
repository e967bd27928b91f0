// The registry lock: proper-lockfile on `<file>.lock`, with one settings object shared by every
// process (CLI, app, headless), held only around a read-modify-write. Inside one process, callers
// queue on a promise chain first, so they never compete through the file system with each other.
import { stat } from 'node:fs/promises';
import * as lockfile from 'proper-lockfile';
import { InterceptorError, systemErrorCode } from '../errors';
import { lockPathFor } from './paths';

/**
 * Identical everywhere. A holder refreshes its lock every `update` ms; a lock untouched for `stale`
 * ms belongs to a dead process and is taken over. Waiting is bounded two ways: a waiter gives up
 * when the *same* lock has been held for `stuckAfterMs` (a little over `stale`, so a lock left by a
 * killed process is always taken over first), or after `maxWaitMs` in total even while the lock keeps
 * changing hands (32 processes queuing on a slow disk make progress; they should not fail). Between
 * attempts, proper-lockfile backs off exponentially with jitter so waiters do not retry in step.
 */
export const REGISTRY_LOCK_SETTINGS = Object.freeze({
  stale: 10_000,
  update: 2_000,
  retries: Object.freeze({ retries: 20, factor: 1.35, minTimeout: 5, maxTimeout: 100, randomize: true }),
  stuckAfterMs: 13_000,
  maxWaitMs: 60_000,
});

export interface HeldLock {
  readonly lockPath: string;
  /** Throws LOCK_COMPROMISED if the lock was lost since it was taken; call before committing. */
  assertHeld(): void;
}

const queues = new Map<string, Promise<unknown>>();

function compromisedError(lockPath: string, cause: Error): InterceptorError {
  return new InterceptorError(
    'LOCK_COMPROMISED',
    `lost the registry lock ${lockPath} while holding it (${cause.message}); the change may not have been saved, run the command again`,
    { cause },
  );
}

/** Which lock instance holds the path: a new holder makes a new folder (new inode and birth time). */
async function lockIdentity(lockPath: string): Promise<string> {
  try {
    const info = await stat(lockPath, { bigint: true });
    return `${info.ino}:${info.birthtimeNs}`;
  } catch {
    return 'none';
  }
}

async function acquire(file: string, lockPath: string, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  const started = Date.now();
  let holder = await lockIdentity(lockPath);
  let heldSince = started;
  for (;;) {
    try {
      return await lockfile.lock(file, {
        stale: REGISTRY_LOCK_SETTINGS.stale,
        update: REGISTRY_LOCK_SETTINGS.update,
        retries: { ...REGISTRY_LOCK_SETTINGS.retries },
        realpath: false, // the registry file may not exist yet
        lockfilePath: lockPath,
        // The default throws from a timer, which would crash the app; record it and fail the operation instead.
        onCompromised,
      });
    } catch (error) {
      if (systemErrorCode(error) !== 'ELOCKED') {
        throw new InterceptorError('REGISTRY_IO', `cannot lock the registry (${lockPath}): ${(error as Error).message}`, { cause: error });
      }
      const now = Date.now();
      const current = await lockIdentity(lockPath);
      if (current !== holder) {
        holder = current; // the lock changed hands: the queue is moving
        heldSince = now;
      }
      const stuck = now - heldSince >= REGISTRY_LOCK_SETTINGS.stuckAfterMs;
      if (stuck || now - started >= REGISTRY_LOCK_SETTINGS.maxWaitMs) {
        const seconds = Math.round((now - (stuck ? heldSince : started)) / 1000);
        throw new InterceptorError(
          'LOCK_TIMEOUT',
          stuck
            ? `the registry is locked by another process (${lockPath}) and stayed locked for ${seconds}s; if no interceptor is running, delete that folder`
            : `gave up waiting for the registry lock (${lockPath}) after ${seconds}s: too many processes are changing the registry at once`,
          { cause: error },
        );
      }
    }
  }
}

async function runLocked<T>(file: string, action: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lockPath = lockPathFor(file);
  let lost: Error | undefined;
  const release = await acquire(file, lockPath, (error) => {
    lost = error;
  });
  const held: HeldLock = {
    lockPath,
    assertHeld() {
      if (lost) throw compromisedError(lockPath, lost);
    },
  };
  try {
    const result = await action(held);
    held.assertHeld();
    return result;
  } finally {
    // A compromised lock is already released (ERELEASED); a failed rmdir only delays others until
    // the lock goes stale. Neither must turn a committed change into a reported failure.
    await release().catch(() => undefined);
  }
}

/** Runs `action` while holding the registry lock for `file`. */
export function withRegistryLock<T>(file: string, action: (lock: HeldLock) => Promise<T>): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve();
  const run = previous.then(
    () => runLocked(file, action),
    () => runLocked(file, action),
  );
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(file, settled);
  void settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file);
  });
  return run;
}
