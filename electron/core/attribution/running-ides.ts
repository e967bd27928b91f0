// The running JetBrains IDEs as attribution sees them: each one's process (the PID in its config
// folder's .lock), when that .lock was written (to tell the IDE from a later program given the
// same PID) and the projects open in it. Built from what JetBrains discovery already knows; IDEs
// whose liveness was proven without a PID (an old IDE's port file) cannot be matched to a process
// and are left out.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DetectReport } from '../discovery/jetbrains/detect-jetbrains';
import { LOCK_FILE } from '../discovery/jetbrains/ide-liveness';
import { normalizeProjectPath } from '../registry';

export interface OpenProject {
  /** The project's registry key (absolute, symlinks resolved): the same path its own port serves. */
  path: string;
  /** The folder as the IDE wrote it (before symlinks were resolved). */
  idePath: string;
  /** The folder's name, which the IDE shows first in its window title. */
  name: string;
  /** When the IDE last activated the project's window (recentProjects.xml), epoch ms. */
  lastActivated?: number;
  /** The window title the IDE last recorded for it. */
  frameTitle?: string;
}

export interface RunningIde {
  configDir: string;
  /** 'IntelliJIdea', 'PyCharm', ... (from the config folder's name). */
  product: string;
  productName: string;
  version?: string;
  /** The IDE's process, from its .lock. */
  pid: number;
  /** When the .lock was last written (epoch ms): the IDE started before that. */
  lockWrittenAt?: number;
  /** Open projects, most recently activated first. */
  openProjects: OpenProject[];
}

/** How long one view is reused: attribution asks per new connection, discovery changes in seconds. */
const VIEW_FRESH_MS = 1000;

/** A report's running IDEs with a PID, each with its open projects. */
export async function runningIdesFrom(report: DetectReport, keyOf: (folder: string) => Promise<string> = normalizeProjectPath): Promise<RunningIde[]> {
  const ides: RunningIde[] = [];
  for (const ide of report.ides) {
    const pid = ide.liveness.pid;
    if (!ide.running || ide.liveness.via !== 'lock' || pid === undefined) continue;
    const openProjects: OpenProject[] = [];
    for (const entry of report.entries) {
      if (entry.configDir !== ide.configDir || !entry.open || entry.path === undefined) continue;
      const key = await keyOf(entry.path).catch(() => entry.path as string);
      if (openProjects.some((project) => project.path === key)) continue;
      const project: OpenProject = { path: key, idePath: entry.path, name: path.basename(key) || key };
      if (entry.lastActivated !== undefined) project.lastActivated = entry.lastActivated;
      if (entry.frameTitle !== undefined) project.frameTitle = entry.frameTitle;
      openProjects.push(project);
    }
    openProjects.sort((a, b) => (b.lastActivated ?? 0) - (a.lastActivated ?? 0));
    const running: RunningIde = { configDir: ide.configDir, product: ide.product, productName: ide.productName, pid, openProjects };
    if (ide.version !== undefined) running.version = ide.version;
    const lock = await stat(path.join(ide.configDir, LOCK_FILE)).catch(() => undefined);
    if (lock !== undefined) running.lockWrittenAt = lock.mtimeMs;
    ides.push(running);
  }
  return ides;
}

/** The running IDEs, from the live discovery report, rebuilt at most once a second. */
export class RunningIdes {
  private view: { at: number; ides: RunningIde[] } | undefined;
  private building: Promise<RunningIde[]> | undefined;
  private readonly keys = new Map<string, string>();

  /** `report`: discovery's live report, or undefined while detection is off. */
  constructor(private readonly report: () => DetectReport | undefined) {}

  /** The latest view without waiting (possibly a second old; empty before the first build). */
  latest(): RunningIde[] {
    return this.view?.ides ?? [];
  }

  current(): Promise<RunningIde[]> {
    if (this.view !== undefined && Date.now() - this.view.at < VIEW_FRESH_MS) return Promise.resolve(this.view.ides);
    this.building ??= this.build().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async build(): Promise<RunningIde[]> {
    const report = this.report();
    const ides = report === undefined ? [] : await runningIdesFrom(report, (folder) => this.keyOf(folder));
    this.view = { at: Date.now(), ides };
    return ides;
  }

  /** Registry keys are realpaths; resolving one is not free, and project folders rarely move. */
  private async keyOf(folder: string): Promise<string> {
    let key = this.keys.get(folder);
    if (key === undefined) {
      key = await normalizeProjectPath(folder);
      if (this.keys.size > 10_000) this.keys.clear();
      this.keys.set(folder, key);
    }
    return key;
  }
}
