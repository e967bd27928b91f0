// Observes the registry file for edits by any process (this one, the CLI, the seed's tool, an
// editor). fs.watch on the folder (the file itself is replaced by rename, which a file watch loses)
// filtered to the file name and debounced, plus a slow stat poll because fs.watch can miss renames
// or stop after the folder is recreated. Each look diffs against the last one; only real changes
// reach the listener. Nothing spins: one debounce timer and one poll interval, both unref'd.
import { watch as watchFolder } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { diffMappings, isEmptyChange } from './mapping-diff';
import type { RegistryChange } from './mapping-diff';

export interface WatchSource {
  file: string;
  /** The mappings now; undefined when the file cannot be understood at the moment (skip that look). */
  snapshot(): Promise<ReadonlyMap<string, number> | undefined>;
}

export interface WatchTiming {
  debounceMs: number;
  pollMs: number;
}

export const WATCH_TIMING: Readonly<WatchTiming> = Object.freeze({ debounceMs: 75, pollMs: 2_000 });

async function statKey(file: string): Promise<string> {
  try {
    const info = await stat(file, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch {
    return 'missing';
  }
}

export interface RegistryWatch {
  /** Looks now, without the debounce: this process just wrote the file (so the baseline follows its writes). */
  refresh(): Promise<void>;
  /** Stops watching and releases every watcher and timer. */
  stop(): void;
}

/** Starts watching the registry file. */
export function watchRegistry(
  source: WatchSource,
  listener: (change: RegistryChange) => void,
  timing: WatchTiming = WATCH_TIMING,
): RegistryWatch {
  const folder = path.dirname(source.file);
  const name = path.basename(source.file);
  let closed = false;
  let baseline: Map<string, number> | undefined;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let lastStat: string | undefined;

  const deliver = (change: RegistryChange) => {
    try {
      listener(change);
    } catch (error) {
      // A faulty listener must not stop the watch (nor crash the app from a timer): make it visible.
      process.emitWarning(`registry watch listener failed: ${(error as Error)?.stack ?? String(error)}`);
    }
  };

  const refresh = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const next = await source.snapshot().catch(() => undefined);
        if (closed) return;
        if (next === undefined) continue;
        const previous = baseline;
        baseline = new Map(next);
        if (previous === undefined) continue;
        const change = diffMappings(previous, baseline);
        if (!isEmptyChange(change)) deliver(change);
      } while (again && !closed);
    } finally {
      running = false;
    }
  };

  const schedule = () => {
    if (closed) return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      void refresh();
    }, timing.debounceMs);
    debounce.unref();
  };

  const attach = () => {
    if (watcher || closed) return;
    try {
      watcher = watchFolder(folder, { persistent: false }, (_event, filename) => {
        // No file name (some platforms) means "something changed here": look.
        if (filename === null || filename.toString() === name) schedule();
      });
      watcher.on('error', () => {
        // The folder went away or the watch broke: drop it, the poll re-attaches later.
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined; // the folder does not exist yet; the poll keeps trying
    }
  };

  const poll = setInterval(() => {
    attach();
    void statKey(source.file).then((key) => {
      if (closed || key === lastStat) return;
      lastStat = key;
      schedule();
    });
  }, timing.pollMs);
  poll.unref();

  attach();
  void statKey(source.file).then((key) => {
    lastStat ??= key;
  });
  void refresh();

  const stop = () => {
    if (closed) return;
    closed = true;
    clearInterval(poll);
    if (debounce) clearTimeout(debounce);
    watcher?.close();
    watcher = undefined;
  };

  return { refresh, stop };
}
