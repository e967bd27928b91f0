// The one interface every project source (JetBrains IDEs, folders pinned by hand, later others)
// implements. The supervisor consumes `current()` and 'change' events and serves every project whose
// `open` is true; a source never starts or stops anything itself.

/** Which IDE install reported a project: the folder-derived product and the build that last saved it. */
export interface JetBrainsProjectOrigin {
  kind: 'jetbrains';
  /** Product as spelled in the config folder name: 'IntelliJIdea', 'PyCharmCE', 'Rider', 'AndroidStudio'. */
  product: string;
  /** Human name: 'IntelliJ IDEA', 'PyCharm Community', 'Android Studio'. */
  productName: string;
  /** Version from the folder name ('2024.3'); absent for folders named without one. */
  version?: string;
  /** Build recorded with the project ('PY-243.21565.199'), when the IDE wrote one. */
  build?: string;
  /** The IDE config folder the project was read from. */
  configDir: string;
}

export interface PinnedProjectOrigin {
  kind: 'pinned';
}

export type ProjectOrigin = JetBrainsProjectOrigin | PinnedProjectOrigin;

export interface DiscoveredProject {
  /** Absolute folder path in the platform's own syntax (backslashes on Windows). */
  path: string;
  /** True while the project should be served. */
  open: boolean;
  source: ProjectOrigin;
  /** When the project's window was last active (ms since epoch), if known. */
  lastActivated?: number;
  /** The IDE window title, if recorded. */
  frameTitle?: string;
}

export type ProjectSourceKind = 'jetbrains' | 'pinned' | (string & {});

export type ProjectsListener = (projects: readonly DiscoveredProject[]) => void;

export interface ProjectSource {
  readonly kind: ProjectSourceKind;
  /** Reads the current state and begins watching; 'change' fires once with the initial list. */
  start(): Promise<void>;
  /** Stops watching and releases every handle; safe to call twice. */
  stop(): Promise<void>;
  /** The latest list, one entry per project path, sorted by path. Open and closed projects alike. */
  current(): readonly DiscoveredProject[];
  /** Called with the whole list whenever it differs from the last one; returns an unsubscribe function. */
  on(event: 'change', listener: ProjectsListener): () => void;
  off(event: 'change', listener: ProjectsListener): void;
}
