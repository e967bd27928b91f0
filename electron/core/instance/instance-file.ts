// One running Interceptor (app or `serve`) per user. The running one records itself in
// interceptor-instance.json beside the registry; a second one finds it there and can say where the
// first one's dashboard is instead of fighting it for the ports. `interceptor status` reads it too.
//
// Every check-and-write happens under a proper-lockfile lock, so two instances starting together
// cannot both win, and a file left by a process that died is recognised (its PID is gone) and
// replaced. The file is 0600: the dashboard URL in it carries the dashboard's token.
// Limit: after a crash, the dead PID may in rare cases be reused by an unrelated process; pass
// `isAlive` (for example a probe of the dashboard) to check more than the PID.
import fs from 'node:fs';
import path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { InterceptorError, systemErrorCode } from '../errors';
import { writePrivateFileAtomic } from '../settings/private-file';
import { isProcessAlive, processStartedAt } from '../process-alive';

export const INSTANCE_FILE_NAME = 'interceptor-instance.json';

export interface InstanceInfo {
  pid: number;
  /** Epoch milliseconds. Together with pid it identifies one run. */
  startedAt: number;
  /** The dashboard's URL with its token. */
  dashboardUrl?: string;
  /** A loopback port for control requests, if the instance offers one. */
  controlPort?: number;
  version?: string;
  /** Which front end runs the engine: the tray app or `interceptor serve` (for `interceptor status`). */
  kind?: InstanceKind;
}

export type InstanceKind = 'app' | 'serve';

export type InstanceUpdate = Partial<Omit<InstanceInfo, 'pid' | 'startedAt'>>;

export interface InstanceOptions {
  /** The config folder (the registry's folder). */
  dir: string;
  /** Decides whether a recorded instance still runs; by default its PID is checked. */
  isAlive?: (info: InstanceInfo) => boolean | Promise<boolean>;
}

export interface InstanceHandle {
  readonly file: string;
  info(): InstanceInfo;
  /** Records new details (the dashboard URL once it listens). */
  update(patch: InstanceUpdate): Promise<void>;
  /** Removes the record if it is still ours. Safe to call more than once. */
  release(): Promise<void>;
}

export type AcquireResult =
  | { acquired: true; instance: InstanceHandle }
  | { acquired: false; existing: InstanceInfo; file: string };

const LOCK_SETTINGS = Object.freeze({
  stale: 10_000,
  update: 2_000,
  retries: Object.freeze({ retries: 40, factor: 1.3, minTimeout: 10, maxTimeout: 250, randomize: true }),
});

export function instanceFilePath(dir: string): string {
  return path.join(path.resolve(dir), INSTANCE_FILE_NAME);
}

function ioError(action: string, file: string, error: unknown): InterceptorError {
  const reason = systemErrorCode(error) ?? (error as Error).message;
  return new InterceptorError('INSTANCE_IO', `cannot ${action} ${file} (${reason})`, { cause: error });
}

function parseInfo(text: string): InstanceInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const { pid, startedAt, dashboardUrl, controlPort, version, kind } = record;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return null;
  if (typeof startedAt !== 'number' || !Number.isFinite(startedAt)) return null;
  const info: InstanceInfo = { pid, startedAt };
  if (typeof dashboardUrl === 'string') info.dashboardUrl = dashboardUrl;
  if (kind === 'app' || kind === 'serve') info.kind = kind;
  if (typeof controlPort === 'number' && Number.isInteger(controlPort)) info.controlPort = controlPort;
  if (typeof version === 'string') info.version = version;
  return info;
}

function readInfo(file: string): InstanceInfo | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return null;
    throw ioError('read', file, error);
  }
  // An unreadable record cannot name a running instance: treat it as absent (it gets replaced).
  return parseInfo(text);
}

async function defaultIsAlive(info: InstanceInfo): Promise<boolean> {
  if (info.pid === process.pid) {
    // Our own PID in a record older than this process: written by an earlier process that had the
    // same PID (common in containers, where every run is PID 1). One second of slack for rounding.
    return info.startedAt >= processStartedAt() - 1000;
  }
  return isProcessAlive(info.pid);
}

function sameRun(a: InstanceInfo | null, b: InstanceInfo): boolean {
  return a !== null && a.pid === b.pid && a.startedAt === b.startedAt;
}

async function withInstanceLock<T>(file: string, action: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      stale: LOCK_SETTINGS.stale,
      update: LOCK_SETTINGS.update,
      retries: { ...LOCK_SETTINGS.retries },
      realpath: false,
      // Held for milliseconds around a read and an atomic write: losing it (machine asleep) cannot
      // leave a torn file, so it is ignored rather than thrown from a timer.
      onCompromised: () => undefined,
    });
  } catch (error) {
    if (systemErrorCode(error) === 'ELOCKED') {
      throw new InterceptorError('LOCK_TIMEOUT', `another Interceptor is starting or stopping right now (${file}.lock is held); try again`, {
        cause: error,
      });
    }
    throw ioError('lock', file, error);
  }
  try {
    return await action();
  } finally {
    await release().catch(() => undefined);
  }
}

function writeInfo(file: string, info: InstanceInfo): void {
  try {
    writePrivateFileAtomic(file, `${JSON.stringify(info, null, 2)}\n`);
  } catch (error) {
    throw ioError('write', file, error);
  }
}

/**
 * Records this process as the running instance, unless a live one is recorded already: then
 * `{ acquired: false, existing }` tells where that one is.
 */
export async function acquireInstance(options: InstanceOptions & { info: InstanceInfo }): Promise<AcquireResult> {
  const file = instanceFilePath(options.dir);
  const isAlive = options.isAlive ?? defaultIsAlive;
  let mine: InstanceInfo = { ...options.info };

  const outcome = await withInstanceLock(file, async () => {
    const existing = readInfo(file);
    if (existing !== null && !sameRun(existing, mine) && (await isAlive(existing))) {
      return { acquired: false as const, existing, file };
    }
    writeInfo(file, mine);
    return { acquired: true as const };
  });
  if (!outcome.acquired) return outcome;

  let released = false;
  const handle: InstanceHandle = {
    file,
    info: () => ({ ...mine }),
    async update(patch) {
      if (released) throw new InterceptorError('INSTANCE_IO', 'the instance record was already released');
      await withInstanceLock(file, async () => {
        const current = readInfo(file);
        if (current !== null && !sameRun(current, mine)) {
          throw new InterceptorError('INSTANCE_IO', `${file} now names another instance (pid ${current.pid}); this one no longer owns it`);
        }
        mine = { ...mine, ...patch, pid: mine.pid, startedAt: mine.startedAt };
        writeInfo(file, mine);
      });
    },
    async release() {
      if (released) return;
      released = true;
      await withInstanceLock(file, async () => {
        // Never delete a successor's record.
        if (!sameRun(readInfo(file), mine)) return;
        try {
          fs.rmSync(file, { force: true });
        } catch (error) {
          throw ioError('remove', file, error);
        }
      });
    },
  };
  return { acquired: true, instance: handle };
}

/** The running instance, if any (a record whose process is gone counts as none). */
export async function readInstance(options: InstanceOptions): Promise<InstanceInfo | null> {
  const file = instanceFilePath(options.dir);
  const info = readInfo(file);
  if (info === null) return null;
  return (await (options.isAlive ?? defaultIsAlive)(info)) ? info : null;
}
