// What one IDE config folder says, put together: its recent-project entries resolved to folders,
// each with whether it is actually open and why (not), and the IDE's own facts. Both the watching
// source and `interceptor detect` build their answers with these functions.
import type { ConfigFolderFiles } from './config-folder-files';
import type { DiscoveryEnvironment } from './discovery-environment';
import type { ConfigLayout, IdeConfigFolder } from './ide-config-folders';
import type { IdeLiveness } from './ide-liveness';
import { PATH_MACROS_FILE } from './path-macros-file';
import { projectPathKey } from '../path-flavour';
import { resolveProjectKey } from './project-path';
import type { RecentProjectFileName } from './recent-projects-file';

export interface ProjectEntryReport {
  /** The key as written in the IDE file. */
  key: string;
  /** The project folder after macro expansion; absent when it cannot be resolved. */
  path?: string;
  file: RecentProjectFileName;
  configDir: string;
  product: string;
  productName: string;
  version?: string;
  build?: string;
  markedOpen: boolean;
  hidden: boolean;
  ideRunning: boolean;
  /** Marked open, not hidden, resolvable, and its IDE is running: the project is served. */
  open: boolean;
  /** Why it is or is not open, in a few words. */
  reason: string;
  lastActivated?: number;
  projectOpened?: number;
  frameTitle?: string;
  unknownMacros: string[];
}

export interface SettingsFileReport {
  name: string;
  path: string;
  status: 'ok' | 'missing' | 'error';
  /** Entries (or macros) in use from this file. */
  entries: number;
  error?: string;
  /** The entries in use come from an earlier, good version of the file. */
  stale: boolean;
}

export interface IdeReport {
  configDir: string;
  systemDir?: string;
  product: string;
  productName: string;
  version?: string;
  /** The newest build recorded in its project entries. */
  build?: string;
  layout: ConfigLayout;
  running: boolean;
  liveness: IdeLiveness;
  files: SettingsFileReport[];
  userMacros: string[];
  /** A watcher could not be set up (detected by polling instead). */
  watchError?: string;
}

function entryReason(entry: Pick<ProjectEntryReport, 'markedOpen' | 'hidden' | 'ideRunning'>, problem?: string): string {
  if (problem !== undefined) return problem;
  if (!entry.markedOpen) return 'not open in the IDE';
  if (entry.hidden) return 'hidden by the IDE';
  if (!entry.ideRunning) return 'marked open, but the IDE is not running';
  return 'open in a running IDE';
}

/** Entries of one folder, one per project: where files disagree, the most recently written wins. */
export function folderEntries(
  folder: IdeConfigFolder,
  files: ConfigFolderFiles,
  liveness: IdeLiveness,
  env: DiscoveryEnvironment,
): ProjectEntryReport[] {
  const byNewest = [...files.recent].sort((a, b) => (b.stamp?.mtimeMs ?? 0) - (a.stamp?.mtimeMs ?? 0));
  const seen = new Set<string>();
  const entries: ProjectEntryReport[] = [];
  for (const file of byNewest) {
    for (const record of file.value) {
      const resolved = resolveProjectKey(record.key, {
        platform: env.platform,
        homedir: env.homedir,
        configDir: folder.configDir,
        userMacros: files.macros.value,
      });
      const identity = resolved.path === undefined ? `key:${record.key}` : projectPathKey(env.platform, resolved.path);
      if (seen.has(identity)) continue;
      seen.add(identity);
      const entry: ProjectEntryReport = {
        key: record.key,
        file: file.name,
        configDir: folder.configDir,
        product: folder.product,
        productName: folder.productName,
        markedOpen: record.markedOpen,
        hidden: record.hidden,
        ideRunning: liveness.running,
        open: false,
        reason: '',
        unknownMacros: resolved.unknownMacros,
      };
      if (resolved.path !== undefined) entry.path = resolved.path;
      if (folder.version !== undefined) entry.version = folder.version;
      if (record.build !== undefined) entry.build = record.build;
      if (record.activationTimestamp !== undefined) entry.lastActivated = record.activationTimestamp;
      if (record.projectOpenTimestamp !== undefined) entry.projectOpened = record.projectOpenTimestamp;
      if (record.frameTitle !== undefined) entry.frameTitle = record.frameTitle;
      entry.open = resolved.path !== undefined && record.markedOpen && !record.hidden && liveness.running;
      entry.reason = entryReason(entry, resolved.problem);
      entries.push(entry);
    }
  }
  // The file order is an implementation detail; keep the IDE's most recent projects first.
  return entries.sort((a, b) => (b.lastActivated ?? 0) - (a.lastActivated ?? 0));
}

/** The build of the IDE version that last saved a project here: the newest activation wins. */
function newestBuild(entries: readonly ProjectEntryReport[]): string | undefined {
  let best: ProjectEntryReport | undefined;
  for (const entry of entries) {
    if (entry.build === undefined) continue;
    if (best === undefined || (entry.lastActivated ?? 0) > (best.lastActivated ?? 0)) best = entry;
  }
  return best?.build;
}

export function ideReport(
  folder: IdeConfigFolder,
  files: ConfigFolderFiles,
  liveness: IdeLiveness,
  entries: readonly ProjectEntryReport[],
  watchError?: string,
): IdeReport {
  const report: IdeReport = {
    configDir: folder.configDir,
    product: folder.product,
    productName: folder.productName,
    layout: folder.layout,
    running: liveness.running,
    liveness,
    files: [
      ...files.recent.map((file) => fileReport(file.name, file, file.value.length)),
      fileReport(PATH_MACROS_FILE, files.macros, files.macros.value.size),
    ],
    userMacros: [...files.macros.value.keys()].sort(),
  };
  if (folder.systemDir !== undefined) report.systemDir = folder.systemDir;
  if (folder.version !== undefined) report.version = folder.version;
  const build = newestBuild(entries);
  if (build !== undefined) report.build = build;
  if (watchError !== undefined) report.watchError = watchError;
  return report;
}

function fileReport(
  name: string,
  file: { path: string; status: SettingsFileReport['status']; error?: string; stale: boolean },
  count: number,
): SettingsFileReport {
  const report: SettingsFileReport = { name, path: file.path, status: file.status, entries: count, stale: file.stale };
  if (file.error !== undefined) report.error = file.error;
  return report;
}
