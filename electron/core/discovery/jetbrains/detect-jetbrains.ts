// One look at every JetBrains IDE config folder: which IDEs exist and run, which projects they list
// and which of those are served, with the reason for each. `interceptor detect` prints this; the
// watching source answers the same report from its live state, built by the same functions.
import type { DiscoveredProject } from '../project-source';
import { readConfigFolderFiles, type ConfigFolderFiles } from './config-folder-files';
import { resolveEnvironment, type DiscoveryEnvironment } from './discovery-environment';
import { findIdeConfigFolders, type IdeConfigFolder, type RootScan } from './ide-config-folders';
import { checkIdeLiveness, type IdeLiveness } from './ide-liveness';
import { folderEntries, ideReport, type IdeReport, type ProjectEntryReport } from './ide-state';
import { jetBrainsProjects } from './jetbrains-projects';

export interface DetectOptions extends Partial<DiscoveryEnvironment> {
  /** Folders the user added: IDE config folders, or folders holding them. */
  extraConfigDirs?: readonly string[];
  connectTimeoutMs?: number;
}

export interface DetectReport {
  platform: NodeJS.Platform;
  homedir: string;
  /** Every place searched, whether it exists. */
  roots: RootScan[];
  ides: IdeReport[];
  /** Every entry of every IDE, most recently active first within an IDE. */
  entries: ProjectEntryReport[];
  /** One per project folder, as a source publishes them. */
  projects: DiscoveredProject[];
}

/** The live facts about one config folder, as held by the source or gathered once by detect. */
export interface FolderSnapshot {
  folder: IdeConfigFolder;
  files: ConfigFolderFiles;
  liveness: IdeLiveness;
  watchError?: string;
}

export function buildDetectReport(env: DiscoveryEnvironment, roots: RootScan[], snapshots: readonly FolderSnapshot[]): DetectReport {
  const ides: IdeReport[] = [];
  const entries: ProjectEntryReport[] = [];
  for (const snapshot of snapshots) {
    const folderEntriesList = folderEntries(snapshot.folder, snapshot.files, snapshot.liveness, env);
    ides.push(ideReport(snapshot.folder, snapshot.files, snapshot.liveness, folderEntriesList, snapshot.watchError));
    entries.push(...folderEntriesList);
  }
  return {
    platform: env.platform,
    homedir: env.homedir,
    roots,
    ides,
    entries,
    projects: jetBrainsProjects(entries, env.platform),
  };
}

export async function detectJetBrains(options: DetectOptions = {}): Promise<DetectReport> {
  const env = resolveEnvironment(options);
  const scan = await findIdeConfigFolders(env, options.extraConfigDirs ?? []);
  const snapshots = await Promise.all(
    scan.folders.map(async (folder): Promise<FolderSnapshot> => {
      const [files, liveness] = await Promise.all([
        readConfigFolderFiles(folder, undefined, { platform: env.platform }),
        checkIdeLiveness(folder, { platform: env.platform, connectTimeoutMs: options.connectTimeoutMs ?? 300 }),
      ]);
      return { folder, files, liveness };
    }),
  );
  return buildDetectReport(env, scan.roots, snapshots);
}
