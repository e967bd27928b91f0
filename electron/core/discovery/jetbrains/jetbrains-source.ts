// The JetBrains project source: keeps the view of every IDE config folder current and publishes the
// projects that are open in a running IDE.
// - Each folder's options/ directory is watched for the recent-project files (the IDE replaces them
//   on save), and the folder itself for its .lock appearing or going away; events are debounced.
// - The roots (…/JetBrains, …/Google, folders the user added) are watched so a newly installed IDE
//   version is picked up; the pre-2020 layouts and roots that do not exist yet are rescanned slowly.
// - A poll re-checks liveness, since a crashed IDE leaves its .lock (and its PID dies silently), and
//   re-stats the files and watches as a safety net for events the OS did not deliver.
// IDE files are only ever read.
import { ProjectsEmitter } from '../projects-emitter';
import type { DiscoveredProject, ProjectSource, ProjectsListener } from '../project-source';
import { configFilesChanged, optionsDir, readConfigFolderFiles, WATCHED_OPTION_FILES, type ConfigFolderFiles } from './config-folder-files';
import { searchRoots } from './config-roots';
import { buildDetectReport, type DetectReport, type FolderSnapshot } from './detect-jetbrains';
import { watchDirectory, watchStillValid, type DirectoryWatch } from './directory-watch';
import { resolveEnvironment, type DiscoveryEnvironment } from './discovery-environment';
import { findIdeConfigFolders, type IdeConfigFolder, type RootScan } from './ide-config-folders';
import { checkIdeLiveness, LOCK_FILE, PORT_FILE, INSTANCE_SOCKET, type IdeLiveness } from './ide-liveness';

export interface JetBrainsSourceOptions extends Partial<DiscoveryEnvironment> {
  /** Folders the user added: IDE config folders, or folders holding them. */
  extraConfigDirs?: readonly string[];
  /** Quiet time after a file event before reading (IDEs write several files in a burst). */
  debounceMs?: number;
  /** Liveness and safety-net poll (default 1 s: a crashed IDE is noticed within it). */
  pollIntervalMs?: number;
  /** Every this many polls, the roots are listed again (for layouts that are not watched). */
  rescanEveryPolls?: number;
  connectTimeoutMs?: number;
}

export interface IdeSummary {
  product: string;
  productName: string;
  version?: string;
  running: boolean;
  configDir: string;
}

interface FolderWatchState {
  folder: IdeConfigFolder;
  files: ConfigFolderFiles;
  liveness: IdeLiveness;
  configWatch?: DirectoryWatch;
  optionsWatch?: DirectoryWatch;
  watchError?: string;
  filesTimer?: NodeJS.Timeout;
  livenessTimer?: NodeJS.Timeout;
  reading: boolean;
  readAgain: boolean;
  checking: boolean;
  checkAgain: boolean;
  /** An ensureWatches() in progress, so two callers never attach two watches. */
  attaching?: Promise<void>;
}

const OPTION_FILE_PREFIXES = WATCHED_OPTION_FILES;
const LIVENESS_FILES = new Set([LOCK_FILE, PORT_FILE, INSTANCE_SOCKET]);

function folderKey(env: DiscoveryEnvironment, dir: string): string {
  return env.platform === 'win32' ? dir.toLowerCase() : dir;
}

function sameLiveness(a: IdeLiveness, b: IdeLiveness): boolean {
  return a.running === b.running && a.via === b.via && a.pid === b.pid && a.port === b.port && a.reason === b.reason;
}

export class JetBrainsSource implements ProjectSource {
  readonly kind = 'jetbrains';
  private readonly env: DiscoveryEnvironment;
  private extraConfigDirs: readonly string[];
  private readonly debounceMs: number;
  private readonly pollIntervalMs: number;
  private readonly rescanEveryPolls: number;
  private readonly connectTimeoutMs: number;
  private readonly emitter = new ProjectsEmitter();
  private readonly folders = new Map<string, FolderWatchState>();
  private readonly rootWatches = new Map<string, DirectoryWatch>();
  private roots: RootScan[] = [];
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  /** Set once the first full look is done: nothing is published before the initial list. */
  private ready = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private polls = 0;
  private polling = false;
  private rescanning: Promise<void> | undefined;
  private rescanAgain = false;

  constructor(options: JetBrainsSourceOptions = {}) {
    this.env = resolveEnvironment(options);
    this.extraConfigDirs = [...(options.extraConfigDirs ?? [])];
    this.debounceMs = options.debounceMs ?? 250;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.rescanEveryPolls = Math.max(1, options.rescanEveryPolls ?? 5);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 300;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    await this.rescan();
    if (this.isStopped()) return;
    this.pollTimer = setInterval(() => void this.poll(), this.pollIntervalMs);
    this.ready = true;
    this.publish(true);
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearInterval(this.pollTimer);
    clearTimeout(this.rescanTimer);
    for (const watch of this.rootWatches.values()) watch.close();
    this.rootWatches.clear();
    for (const folder of this.folders.values()) this.release(folder);
    await this.rescanning?.catch(() => undefined);
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

  /** The same report `interceptor detect` prints, from the live state. */
  report(): DetectReport {
    return buildDetectReport(this.env, this.roots, this.snapshots());
  }

  /** The IDE installs found and whether each runs, for status displays. */
  ides(): IdeSummary[] {
    return [...this.folders.values()].map(({ folder, liveness }) => {
      const summary: IdeSummary = {
        product: folder.product,
        productName: folder.productName,
        running: liveness.running,
        configDir: folder.configDir,
      };
      if (folder.version !== undefined) summary.version = folder.version;
      return summary;
    });
  }

  /** Replaces the folders the user added (from settings) and looks at them right away. */
  async setExtraConfigDirs(dirs: readonly string[]): Promise<void> {
    this.extraConfigDirs = [...dirs];
    if (this.state === 'running') await this.rescan();
  }

  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private snapshots(): FolderSnapshot[] {
    return [...this.folders.values()].map((f) => {
      const snapshot: FolderSnapshot = { folder: f.folder, files: f.files, liveness: f.liveness };
      if (f.watchError !== undefined) snapshot.watchError = f.watchError;
      return snapshot;
    });
  }

  private publish(force = false): void {
    if (this.isStopped() || !this.ready) return;
    this.emitter.publish(this.report().projects, force);
  }

  // ---- roots -------------------------------------------------------------------------------------

  /** Lists the roots, adds new IDE folders, drops vanished ones. Concurrent calls coalesce. */
  private rescan(): Promise<void> {
    if (this.rescanning) {
      this.rescanAgain = true;
      return this.rescanning;
    }
    this.rescanning = (async () => {
      do {
        this.rescanAgain = false;
        await this.rescanOnce();
      } while (this.rescanAgain && !this.isStopped());
    })().finally(() => {
      this.rescanning = undefined;
    });
    return this.rescanning;
  }

  private async rescanOnce(): Promise<void> {
    const scan = await findIdeConfigFolders(this.env, this.extraConfigDirs);
    if (this.isStopped()) return;
    this.roots = scan.roots;
    const wanted = new Map(scan.folders.map((f) => [folderKey(this.env, f.configDir), f]));
    let changed = false;
    for (const [key, state] of this.folders) {
      if (!wanted.has(key)) {
        this.release(state);
        this.folders.delete(key);
        changed = true;
      }
    }
    const added = [...wanted].filter(([key]) => !this.folders.has(key));
    await Promise.all(added.map(([key, folder]) => this.addFolder(key, folder)));
    if (added.length > 0) changed = true;
    await this.watchRoots(scan.folders);
    if (changed) this.publish();
  }

  private async watchRoots(folders: readonly IdeConfigFolder[]): Promise<void> {
    // Roots whose children appear when an IDE version is installed; a user folder that is itself
    // an IDE config folder is already watched as one.
    const dirs = [
      ...searchRoots(this.env)
        .filter((r) => r.kind === 'jetbrains' || r.kind === 'google')
        .map((r) => r.dir),
      ...this.extraConfigDirs.filter((dir) => !folders.some((f) => folderKey(this.env, f.configDir) === folderKey(this.env, dir))),
    ];
    const wanted = new Set(dirs.map((dir) => folderKey(this.env, dir)));
    for (const [key, watch] of this.rootWatches) {
      if (!wanted.has(key) || !(await watchStillValid(watch))) {
        watch.close();
        this.rootWatches.delete(key);
      }
    }
    for (const dir of dirs) {
      const key = folderKey(this.env, dir);
      if (this.rootWatches.has(key) || this.isStopped()) continue;
      const result = await watchDirectory(dir, () => this.scheduleRescan());
      if (!result.ok) continue;
      if (this.isStopped()) {
        result.watch.close();
        return;
      }
      this.rootWatches.set(key, result.watch);
    }
  }

  private scheduleRescan(): void {
    if (this.isStopped()) return;
    clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => void this.rescan(), this.debounceMs);
  }

  // ---- one IDE config folder ---------------------------------------------------------------------

  private async addFolder(key: string, folder: IdeConfigFolder): Promise<void> {
    const [files, liveness] = await Promise.all([
      readConfigFolderFiles(folder, undefined, { platform: this.env.platform, holdVanished: true }),
      checkIdeLiveness(folder, { platform: this.env.platform, connectTimeoutMs: this.connectTimeoutMs }),
    ]);
    if (this.isStopped() || this.folders.has(key)) return;
    const state: FolderWatchState = { folder, files, liveness, reading: false, readAgain: false, checking: false, checkAgain: false };
    this.folders.set(key, state);
    await this.ensureWatches(state);
  }

  private release(state: FolderWatchState): void {
    clearTimeout(state.filesTimer);
    clearTimeout(state.livenessTimer);
    state.configWatch?.close();
    state.optionsWatch?.close();
    state.configWatch = undefined;
    state.optionsWatch = undefined;
  }

  private isCurrent(state: FolderWatchState): boolean {
    return !this.isStopped() && this.folders.get(folderKey(this.env, state.folder.configDir)) === state;
  }

  /** Attaches (or re-attaches) the folder's two watches when missing, failed or pointing at a replaced directory. */
  private ensureWatches(state: FolderWatchState): Promise<void> {
    state.attaching ??= this.attachWatches(state).finally(() => {
      state.attaching = undefined;
    });
    return state.attaching;
  }

  private async attachWatches(state: FolderWatchState): Promise<void> {
    const errors: string[] = [];
    if (state.configWatch && !(await watchStillValid(state.configWatch))) {
      state.configWatch.close();
      state.configWatch = undefined;
    }
    if (!state.configWatch && this.isCurrent(state)) {
      const result = await watchDirectory(state.folder.configDir, (name) => this.onConfigDirEvent(state, name));
      if (result.ok) {
        if (this.isCurrent(state)) state.configWatch = result.watch;
        else result.watch.close();
      } else if (!result.missing) errors.push(result.error);
    }
    if (state.optionsWatch && !(await watchStillValid(state.optionsWatch))) {
      state.optionsWatch.close();
      state.optionsWatch = undefined;
      this.scheduleRead(state);
    }
    if (!state.optionsWatch && this.isCurrent(state)) {
      const result = await watchDirectory(optionsDir(state.folder, this.env.platform), (name) => this.onOptionsEvent(state, name));
      if (result.ok) {
        if (this.isCurrent(state)) {
          state.optionsWatch = result.watch;
          // Files may have appeared between the last read and the watch starting.
          if (await configFilesChanged(state.files)) this.scheduleRead(state);
        } else result.watch.close();
      } else if (!result.missing) errors.push(result.error);
    }
    state.watchError = errors.length > 0 ? errors.join('; ') : undefined;
  }

  private onConfigDirEvent(state: FolderWatchState, name: string | null): void {
    if (name === null || LIVENESS_FILES.has(name)) this.scheduleLiveness(state);
    if (name === null || name === 'options') {
      void this.ensureWatches(state);
      this.scheduleRead(state);
    }
  }

  private onOptionsEvent(state: FolderWatchState, name: string | null): void {
    // Also the IDE's temporary names around a save, e.g. "recentProjects.xml.___jb_tmp___".
    if (name === null || OPTION_FILE_PREFIXES.some((file) => name.startsWith(file))) this.scheduleRead(state);
  }

  private scheduleRead(state: FolderWatchState, delay = this.debounceMs): void {
    if (!this.isCurrent(state)) return;
    clearTimeout(state.filesTimer);
    state.filesTimer = setTimeout(() => {
      state.filesTimer = undefined;
      void this.readFiles(state);
    }, delay);
  }

  private scheduleLiveness(state: FolderWatchState): void {
    if (!this.isCurrent(state)) return;
    clearTimeout(state.livenessTimer);
    state.livenessTimer = setTimeout(() => void this.checkLiveness(state), this.debounceMs);
  }

  private async readFiles(state: FolderWatchState): Promise<void> {
    if (state.reading) {
      state.readAgain = true;
      return;
    }
    state.reading = true;
    try {
      do {
        state.readAgain = false;
        const files = await readConfigFolderFiles(state.folder, state.files, { platform: this.env.platform, holdVanished: true });
        if (!this.isCurrent(state)) return;
        state.files = files;
        // A file that just vanished is kept until a second look confirms it is really gone.
        if ([...files.recent, files.macros].some((f) => f.vanishing)) this.scheduleRead(state);
        this.publish();
      } while (state.readAgain && this.isCurrent(state));
    } finally {
      state.reading = false;
    }
  }

  private async checkLiveness(state: FolderWatchState): Promise<void> {
    if (state.checking) {
      state.checkAgain = true;
      return;
    }
    state.checking = true;
    try {
      do {
        state.checkAgain = false;
        const liveness = await checkIdeLiveness(state.folder, { platform: this.env.platform, connectTimeoutMs: this.connectTimeoutMs });
        if (!this.isCurrent(state)) return;
        if (!sameLiveness(liveness, state.liveness)) {
          state.liveness = liveness;
          this.publish();
        }
      } while (state.checkAgain && this.isCurrent(state));
    } finally {
      state.checking = false;
    }
  }

  // ---- poll --------------------------------------------------------------------------------------

  private async poll(): Promise<void> {
    if (this.polling || this.isStopped()) return;
    this.polling = true;
    try {
      this.polls++;
      if (this.polls % this.rescanEveryPolls === 0) await this.rescan();
      await Promise.all(
        [...this.folders.values()].map(async (state) => {
          await this.checkLiveness(state);
          await this.ensureWatches(state);
          // Only when no read is already on its way (a vanishing file waits out its own delay).
          if (state.filesTimer === undefined && !state.reading && (await configFilesChanged(state.files))) {
            this.scheduleRead(state, 0);
          }
        }),
      );
    } finally {
      this.polling = false;
    }
  }
}
