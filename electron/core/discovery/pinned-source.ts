// Folders the user adds by hand ("Open project folder…", `interceptor open PATH`): served for as long
// as they stay pinned, across restarts. The list itself lives in settings, reached through a
// load/save pair so this module does not depend on how settings are stored.
import { stat } from 'node:fs/promises';
import { InterceptorError } from '../errors';
import { compareProjectPaths, pathApi, projectPathKey, withoutTrailingSeparator } from './path-flavour';
import { ProjectsEmitter } from './projects-emitter';
import type { DiscoveredProject, ProjectSource, ProjectsListener } from './project-source';

export interface PinnedProjectsStore {
  load(): string[];
  save(paths: string[]): void;
}

export interface PinnedSourceOptions {
  platform?: NodeJS.Platform;
  /** Check that a folder exists before pinning it (on by default). */
  requireExistingFolder?: boolean;
}

export interface RejectedPin {
  value: string;
  reason: string;
}

export class PinnedSource implements ProjectSource {
  readonly kind = 'pinned';
  private readonly platform: NodeJS.Platform;
  private readonly requireExistingFolder: boolean;
  private readonly emitter = new ProjectsEmitter();
  private paths: string[] | undefined;
  private rejectedOnLoad: RejectedPin[] = [];
  /** Stored values we cannot use, written back unchanged so a save never loses what the user had. */
  private unusable: string[] = [];
  private started = false;

  constructor(
    private readonly store: PinnedProjectsStore,
    options: PinnedSourceOptions = {},
  ) {
    this.platform = options.platform ?? process.platform;
    this.requireExistingFolder = options.requireExistingFolder ?? true;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.load();
    this.emitter.publish(this.projects(), true);
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  current(): readonly DiscoveredProject[] {
    return this.emitter.current();
  }

  on(_event: 'change', listener: ProjectsListener): () => void {
    return this.emitter.on(listener);
  }

  off(_event: 'change', listener: ProjectsListener): void {
    this.emitter.off(listener);
  }

  /** Pinned paths, normalised, in pin order. */
  pinned(): string[] {
    return [...this.load()];
  }

  /** Stored values that are not usable paths; they are kept in the store as they are. */
  rejected(): RejectedPin[] {
    this.load();
    return [...this.rejectedOnLoad];
  }

  /** Pins a folder; returns false when it was already pinned. The store is written before anyone is told. */
  async pin(folder: string): Promise<boolean> {
    const normalised = this.normalise(folder);
    if (normalised === undefined) {
      throw new InterceptorError('INVALID_ARGUMENT', `cannot pin "${folder}": not an absolute folder path`);
    }
    if (this.requireExistingFolder) {
      const info = await stat(normalised).catch(() => undefined);
      if (!info?.isDirectory()) {
        throw new InterceptorError('NOT_FOUND', `cannot pin ${normalised}: no such folder`);
      }
    }
    const paths = this.load();
    const key = projectPathKey(this.platform, normalised);
    if (paths.some((p) => projectPathKey(this.platform, p) === key)) return false;
    this.commit([...paths, normalised]);
    return true;
  }

  /** Unpins a folder; returns false when it was not pinned. */
  async unpin(folder: string): Promise<boolean> {
    const normalised = this.normalise(folder) ?? folder;
    const key = projectPathKey(this.platform, normalised);
    const paths = this.load();
    const remaining = paths.filter((p) => projectPathKey(this.platform, p) !== key);
    if (remaining.length === paths.length) return false;
    this.commit(remaining);
    return true;
  }

  /** Re-reads the store (another process, e.g. `interceptor close`, changed the settings file). */
  reload(): void {
    this.paths = undefined;
    if (this.started) this.emitter.publish(this.projects());
  }

  private commit(paths: string[]): void {
    // If saving throws, nothing changed: memory follows the store, never the other way round.
    this.store.save([...paths, ...this.unusable]);
    this.paths = paths;
    if (this.started) this.emitter.publish(this.projects());
  }

  private load(): string[] {
    if (this.paths) return this.paths;
    const paths: string[] = [];
    const seen = new Set<string>();
    this.rejectedOnLoad = [];
    this.unusable = [];
    for (const value of this.store.load()) {
      const normalised = typeof value === 'string' ? this.normalise(value) : undefined;
      if (normalised === undefined) {
        this.rejectedOnLoad.push({ value: String(value), reason: 'not an absolute folder path' });
        if (typeof value === 'string') this.unusable.push(value);
        continue;
      }
      const key = projectPathKey(this.platform, normalised);
      if (seen.has(key)) continue;
      seen.add(key);
      paths.push(normalised);
    }
    this.paths = paths;
    return paths;
  }

  private normalise(folder: string): string | undefined {
    const p = pathApi(this.platform);
    const trimmed = folder.trim();
    if (trimmed === '' || !p.isAbsolute(trimmed) || trimmed.includes('\0')) return undefined;
    return withoutTrailingSeparator(this.platform, trimmed);
  }

  private projects(): DiscoveredProject[] {
    return this.load()
      .map((path): DiscoveredProject => ({ path, open: true, source: { kind: 'pinned' } }))
      .sort(compareProjectPaths);
  }
}
