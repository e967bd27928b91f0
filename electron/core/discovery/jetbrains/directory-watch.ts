// A non-recursive fs.watch on one directory that remembers which directory it was attached to (its
// inode), so a poll can tell when the directory was deleted or replaced and the watch must be
// re-attached. Watching directories rather than files matters: IDEs save by replacing files, which
// detaches a watch on the file itself.
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface DirectoryWatch {
  readonly dir: string;
  readonly ino: number;
  /** Set when the OS reported an error: the watch delivers nothing more. */
  readonly failed: boolean;
  close(): void;
}

export type WatchResult = { ok: true; watch: DirectoryWatch } | { ok: false; error: string; missing: boolean };

export async function watchDirectory(dir: string, onChange: (filename: string | null) => void): Promise<WatchResult> {
  let ino: number;
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) return { ok: false, error: `${dir} is not a folder`, missing: true };
    ino = info.ino;
  } catch {
    return { ok: false, error: `${dir} does not exist`, missing: true };
  }
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { persistent: true }, (_event, filename) => onChange(filename === null ? null : String(filename)));
  } catch (error) {
    // ENOSPC: the inotify watch limit is reached. Polling still notices changes, only later.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `cannot watch ${dir}: ${message}`, missing: false };
  }
  let failed = false;
  let closed = false;
  const handle: DirectoryWatch = {
    dir,
    ino,
    get failed() {
      return failed;
    },
    close() {
      if (closed) return;
      closed = true;
      watcher.close();
    },
  };
  watcher.on('error', () => {
    failed = true;
    handle.close();
  });
  return { ok: true, watch: handle };
}

/** False when the watched directory is gone, replaced by another one, or the watch failed. */
export async function watchStillValid(handle: DirectoryWatch): Promise<boolean> {
  if (handle.failed) return false;
  try {
    return (await stat(handle.dir)).ino === handle.ino;
  } catch {
    return false;
  }
}
