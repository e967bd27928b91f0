// The port registry: the seed's port_registry.json, shared safely by every process. Reads go
// straight to the file (writes replace it atomically, so a read never sees half a file); every
// change is lock → read → modify → atomic write → unlock. A corrupt file is set aside and salvaged
// under the lock; a newer format is shown but never written.
import path from 'node:path';
import { InterceptorError, isInterceptorError, systemErrorCode } from '../errors';
import { isPortFree as probeIsPortFree } from '../net/port-probe';
import { ensureFolder, readIfExists, removeOrphanTemps, writeBackup, writeFileAtomic } from './atomic-file';
import { choosePort, portAfter } from './choose-port';
import { folderIsGone } from './folder-gone';
import type { RegistryChange } from './mapping-diff';
import { formatRange, isPort } from './port-range';
import { normalizeProjectPath, plainAbsolutePath } from './project-key';
import { REGISTRY_VERSION, emptyDocument, projectForPort, serializeRegistry } from './registry-document';
import type { RegistryDocument } from './registry-document';
import { withRegistryLock } from './registry-lock';
import type { RegistryOptions } from './registry-options';
import { parseRegistry } from './registry-parse';
import type { ParsedRegistry, SalvageReport } from './registry-parse';
import { buildView } from './registry-view';
import type { RegistryView } from './registry-view';
import { watchRegistry, type RegistryWatch } from './registry-watch';

export interface AllocationResult {
  /** The registry key the port belongs to (normalised path). */
  project: string;
  port: number;
  /** False when the project already had this port. */
  created: boolean;
}

export interface RemovedMapping {
  project: string;
  port: number;
}

export type RemoveTarget = { project: string } | { port: number };

export interface ResetResult {
  /** Where the previous file was copied before the reset; null when there was no file. */
  backupPath: string | null;
  /** How many mappings the reset removed. */
  removed: number;
}

export interface PortRegistry {
  readonly file: string;
  readonly options: Readonly<RegistryOptions>;
  /** Guide steps 1–4: the existing mapping, else the next usable port in range, persisted. */
  allocate(projectPath: string): Promise<AllocationResult>;
  /** allocate() for many projects in one locked transaction (the app starting 200 projects at once). */
  allocateMany(projectPaths: readonly string[]): Promise<AllocationResult[]>;
  lookup(projectPath: string): Promise<number | undefined>;
  read(): Promise<RegistryView>;
  remove(target: RemoveTarget): Promise<RemovedMapping | undefined>;
  /** Backs the file up, then empties it. */
  reset(): Promise<ResetResult>;
  /** Mappings whose folders no longer exist: listed (dryRun) or removed. */
  prune(options: { dryRun: boolean }): Promise<RemovedMapping[]>;
  /** Reports every change to the mappings, by any process; returns the unsubscribe function. */
  watch(listener: (change: RegistryChange) => void): () => void;
}

/** A registry file as loaded under the lock, ready to be modified. */
interface LockedState {
  exists: boolean;
  doc: RegistryDocument;
  readOnlyReason: string | null;
  salvage: SalvageReport | null;
}

/** How long to let a foreign, non-atomic writer (the seed, an editor) finish before calling a file corrupt. */
const TORN_READ_SETTLE_MS = 100;
const TORN_READ_ATTEMPTS = 3;

function readOnlyReason(version: string): string {
  return `the registry was written by a newer Interceptor (format "${version}", this one understands "${REGISTRY_VERSION}"); it is shown read-only and will not be modified`;
}

function readOnlyError(reason: string): InterceptorError {
  return new InterceptorError('REGISTRY_READ_ONLY', `cannot change the registry: ${reason}`);
}

function ioError(error: unknown, action: string, file: string): unknown {
  if (isInterceptorError(error)) return error;
  const code = systemErrorCode(error);
  const detail = code === 'EISDIR' ? 'it is a folder' : code === 'ENOTDIR' ? 'a part of the path is not a folder' : (error as Error)?.message ?? String(error);
  return new InterceptorError('REGISTRY_IO', `cannot ${action} the registry ${file}: ${detail}`, { cause: error });
}

function findMapping(doc: RegistryDocument, keys: string[]): RemovedMapping | undefined {
  for (const key of keys) {
    const port = doc.mappings.get(key);
    if (port !== undefined) return { project: key, port };
  }
  return undefined;
}

class FilePortRegistry implements PortRegistry {
  readonly file: string;
  private readonly isPortFree: (port: number) => Promise<boolean>;

  /** Live watches of this object: told at once about its own writes, so they never miss one. */
  private readonly watches = new Set<RegistryWatch>();

  constructor(readonly options: Readonly<RegistryOptions>) {
    this.file = path.resolve(options.file);
    this.isPortFree = options.isPortFree ?? probeIsPortFree;
  }

  /** Keys a project may be stored under: ours (symlinks resolved), then the plain absolute path. */
  private async keysFor(projectPath: string): Promise<string[]> {
    const key = await normalizeProjectPath(projectPath);
    const plain = plainAbsolutePath(projectPath);
    return plain === key ? [key] : [key, plain];
  }

  /** Unlocked parse of the current file; `undefined` bytes means no file. */
  private async peek(): Promise<{ bytes: Buffer | undefined; parsed: ParsedRegistry }> {
    let bytes: Buffer | undefined;
    try {
      bytes = await readIfExists(this.file);
    } catch (error) {
      throw ioError(error, 'read', this.file);
    }
    return { bytes, parsed: bytes === undefined ? { kind: 'empty' } : parseRegistry(bytes, this.options.range) };
  }

  /** Reads under the lock; a corrupt file is set aside and its salvage becomes the document. */
  private async loadLocked(): Promise<LockedState> {
    let { bytes, parsed } = await this.peek();
    // Our writers never leave a torn file, but the seed or an editor may be mid-write: give a
    // changing file a moment before declaring it corrupt.
    for (let attempt = 0; parsed.kind === 'corrupt' && attempt < TORN_READ_ATTEMPTS; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, TORN_READ_SETTLE_MS));
      const again = await this.peek();
      const changed = again.bytes === undefined || bytes === undefined || !again.bytes.equals(bytes);
      ({ bytes, parsed } = again);
      if (!changed) break;
    }
    const exists = bytes !== undefined;
    switch (parsed.kind) {
      case 'empty':
        return { exists, doc: emptyDocument(this.options.range), readOnlyReason: null, salvage: null };
      case 'valid':
        return { exists, doc: parsed.doc, readOnlyReason: null, salvage: null };
      case 'newer':
        return { exists, doc: parsed.doc, readOnlyReason: readOnlyReason(parsed.version), salvage: null };
      case 'corrupt': {
        const backupPath = await writeBackup(this.file, 'corrupt', bytes ?? new Uint8Array());
        const salvage: SalvageReport = {
          file: this.file,
          backupPath,
          problems: parsed.problems,
          salvaged: parsed.doc.mappings.size,
          dropped: parsed.dropped,
        };
        this.options.onSalvage?.(salvage);
        return { exists, doc: parsed.doc, readOnlyReason: null, salvage };
      }
    }
  }

  /**
   * Lock, load (setting a corrupt file aside and writing its salvage), let `change` modify the
   * document, write it back if it changed, unlock.
   */
  private async transact<T>(change: (state: LockedState) => Promise<{ result: T; write: boolean }>): Promise<T> {
    try {
      await ensureFolder(path.dirname(this.file));
      return await withRegistryLock(this.file, async (held) => {
        await removeOrphanTemps(this.file);
        const state = await this.loadLocked();
        if (state.salvage) {
          // Commit the salvage on its own first: it must stick even if the change below fails.
          held.assertHeld();
          await writeFileAtomic(this.file, serializeRegistry(state.doc));
        }
        const { result, write } = await change(state);
        if (write) {
          if (state.readOnlyReason) throw readOnlyError(state.readOnlyReason);
          held.assertHeld();
          await writeFileAtomic(this.file, serializeRegistry(state.doc));
        }
        return { result, wrote: write || state.salvage !== null };
      }).then(({ result, wrote }) => {
        if (wrote) this.notifyWatches();
        return result;
      });
    } catch (error) {
      throw ioError(error, 'update', this.file);
    }
  }

  /**
   * A write followed by another process's opposite write within the watch debounce would otherwise
   * look like no change at all; refreshing our watches right after our own writes keeps their
   * baseline in step with what this process did.
   */
  private notifyWatches(): void {
    for (const watch of this.watches) void watch.refresh();
  }

  private view(state: LockedState): RegistryView {
    return buildView({
      file: this.file,
      exists: state.exists || state.salvage !== null,
      doc: state.doc,
      range: this.options.range,
      reserved: this.options.reserved,
      readOnlyReason: state.readOnlyReason,
      salvage: state.salvage,
    });
  }

  async read(): Promise<RegistryView> {
    const { bytes, parsed } = await this.peek();
    if (parsed.kind === 'corrupt') return this.transact(async (state) => ({ result: this.view(state), write: false }));
    const exists = bytes !== undefined;
    if (parsed.kind === 'empty') {
      return this.view({ exists, doc: emptyDocument(this.options.range), readOnlyReason: null, salvage: null });
    }
    const reason = parsed.kind === 'newer' ? readOnlyReason(parsed.version) : null;
    return this.view({ exists, doc: parsed.doc, readOnlyReason: reason, salvage: null });
  }

  async lookup(projectPath: string): Promise<number | undefined> {
    const keys = await this.keysFor(projectPath);
    const { parsed } = await this.peek();
    if (parsed.kind === 'corrupt') {
      const view = await this.read();
      return view.mappings.find((m) => keys.includes(m.project))?.port;
    }
    return parsed.kind === 'empty' ? undefined : findMapping(parsed.doc, keys)?.port;
  }

  async allocate(projectPath: string): Promise<AllocationResult> {
    const [result] = await this.allocateMany([projectPath]);
    return result!;
  }

  async allocateMany(projectPaths: readonly string[]): Promise<AllocationResult[]> {
    const keyLists = await Promise.all(projectPaths.map((p) => this.keysFor(p)));

    // Step 1 without the lock: projects that already have a port need no write.
    const { parsed } = await this.peek();
    if (parsed.kind === 'valid' || parsed.kind === 'newer') {
      const existing = keyLists.map((keys) => findMapping(parsed.doc, keys));
      if (existing.every((m) => m !== undefined)) return existing.map((m) => ({ ...m!, created: false }));
    }

    return this.transact<AllocationResult[]>(async (state) => {
      const results: AllocationResult[] = [];
      let write = false;
      for (const keys of keyLists) {
        const existing = findMapping(state.doc, keys);
        if (existing) {
          results.push({ ...existing, created: false });
          continue;
        }
        if (state.readOnlyReason) throw readOnlyError(state.readOnlyReason);
        results.push(await this.assignNewPort(state.doc, keys[0]!));
        write = true;
      }
      return { result: results, write };
    });
  }

  /** Guide steps 2–4 for one project, on a document loaded under the lock. */
  private async assignNewPort(doc: RegistryDocument, project: string): Promise<AllocationResult> {
    const { range } = this.options;
    const choice = await choosePort({
      range,
      nextAvailable: doc.nextAvailable,
      taken: new Set(doc.mappings.values()),
      reserved: this.options.reserved,
      isPortFree: this.isPortFree,
    });
    if (choice.port === undefined) {
      const { mapped, reserved, busy } = choice.skipped;
      throw new InterceptorError(
        'RANGE_EXHAUSTED',
        `no free port left in ${formatRange(range)} for ${project} (${mapped} mapped, ${reserved} reserved, ${busy} in use by other programs); widen the range with --port-max or INTERCEPTOR_PORT_MAX, or free ports with "interceptor prune" or "interceptor remove"`,
      );
    }
    doc.mappings.set(project, choice.port);
    doc.nextAvailable = portAfter(range, choice.port);
    doc.portRange = { ...range };
    return { project, port: choice.port, created: true };
  }

  async remove(target: RemoveTarget): Promise<RemovedMapping | undefined> {
    let find: (doc: RegistryDocument) => RemovedMapping | undefined;
    if ('port' in target) {
      const { port } = target;
      if (!isPort(port)) {
        throw new InterceptorError('INVALID_ARGUMENT', `${JSON.stringify(port)} is not a port number (expected a whole number from 1 to 65535)`);
      }
      find = (doc) => {
        const project = projectForPort(doc, port);
        return project === undefined ? undefined : { project, port };
      };
    } else {
      const keys = await this.keysFor(target.project);
      find = (doc) => findMapping(doc, keys);
    }
    return this.transact(async (state) => {
      const found = find(state.doc);
      if (!found) return { result: undefined, write: false };
      if (state.readOnlyReason) throw readOnlyError(state.readOnlyReason);
      state.doc.mappings.delete(found.project);
      return { result: found, write: true };
    });
  }

  async reset(): Promise<ResetResult> {
    try {
      await ensureFolder(path.dirname(this.file));
      return await withRegistryLock(this.file, async (held) => {
        await removeOrphanTemps(this.file);
        // The raw bytes are the backup, whatever state they are in: a reset must be undoable exactly.
        const bytes = await readIfExists(this.file);
        let removed = 0;
        if (bytes !== undefined) {
          const parsed = parseRegistry(bytes, this.options.range);
          if (parsed.kind === 'newer') throw readOnlyError(readOnlyReason(parsed.version));
          if (parsed.kind !== 'empty') removed = parsed.doc.mappings.size;
        }
        const backupPath = bytes === undefined ? null : await writeBackup(this.file, 'backup', bytes);
        held.assertHeld();
        await writeFileAtomic(this.file, serializeRegistry(emptyDocument(this.options.range)));
        return { backupPath, removed };
      }).then((result) => {
        this.notifyWatches();
        return result;
      });
    } catch (error) {
      throw ioError(error, 'reset', this.file);
    }
  }

  async prune(options: { dryRun: boolean }): Promise<RemovedMapping[]> {
    const view = await this.read();
    // Checking folders can be slow (network drives): do it before taking the lock.
    const gone: RemovedMapping[] = [];
    for (const { project, port } of view.mappings) if (await folderIsGone(project)) gone.push({ project, port });
    if (options.dryRun || gone.length === 0) return gone;
    return this.transact(async (state) => {
      // Only what is still mapped exactly as seen: another process may have changed it meanwhile.
      const removed = gone.filter(({ project, port }) => state.doc.mappings.get(project) === port);
      if (removed.length === 0) return { result: removed, write: false };
      if (state.readOnlyReason) throw readOnlyError(state.readOnlyReason);
      for (const { project } of removed) state.doc.mappings.delete(project);
      return { result: removed, write: true };
    });
  }

  watch(listener: (change: RegistryChange) => void): () => void {
    const watch = watchRegistry(
      {
        file: this.file,
        snapshot: async () => {
          // Never salvage from a watcher: a half-saved hand edit is not a reason to move the file.
          const { parsed } = await this.peek();
          if (parsed.kind === 'corrupt') return undefined;
          return parsed.kind === 'empty' ? new Map() : parsed.doc.mappings;
        },
      },
      listener,
    );
    this.watches.add(watch);
    return () => {
      this.watches.delete(watch);
      watch.stop();
    };
  }
}

export function openRegistry(options: RegistryOptions): PortRegistry {
  return new FilePortRegistry(options);
}
