// Reads the settings files discovery uses from one IDE config folder, keeping the last good version
// of each: the IDE may be caught mid-save, and a file with conflict markers or cut short must not
// make open projects look closed. The parse error is kept next to the old content for `detect`.
import { open, stat } from 'node:fs/promises';
import { systemErrorCode } from '../../errors';
import { pathApi } from '../path-flavour';
import type { IdeConfigFolder } from './ide-config-folders';
import { PATH_MACROS_FILE, parsePathMacrosXml } from './path-macros-file';
import { RECENT_PROJECT_FILES, parseRecentProjectsXml, type RecentProjectFileName, type RecentProjectRecord } from './recent-projects-file';
import { MAX_XML_LENGTH } from './settings-xml';

/** Identifies one version of a file, to notice a replacement without reading it. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

export interface SettingsFileState<T> {
  path: string;
  status: 'ok' | 'missing' | 'error';
  /** The parsed content; when status is 'error' (or the file is vanishing), the last good one. */
  value: T;
  error?: string;
  /** `value` comes from an earlier version than the one on disk now. */
  stale: boolean;
  stamp?: FileStamp;
  /** Missing now but present at the previous read: kept until a second read confirms it is gone. */
  vanishing?: boolean;
}

export interface RecentFileState extends SettingsFileState<RecentProjectRecord[]> {
  name: RecentProjectFileName;
}

export interface ConfigFolderFiles {
  recent: RecentFileState[];
  macros: SettingsFileState<Map<string, string>>;
}

export interface ReadFilesOptions {
  platform: NodeJS.Platform;
  /**
   * Keep the previous content of a file that has just disappeared until the next read: a save that
   * renames the old file away before moving the new one in leaves a short gap.
   */
  holdVanished?: boolean;
}

type Parse<T> = (text: string) => { ok: true; value: T } | { ok: false; error: string };

async function readText(file: string): Promise<{ text: string; stamp: FileStamp } | { code: string }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    return { code: systemErrorCode(error) ?? 'EIO' };
  }
  try {
    // Stat and read through one handle, so the stamp belongs to the bytes read.
    const info = await handle.stat();
    const stamp = { mtimeMs: info.mtimeMs, size: info.size, ino: info.ino };
    if (!info.isFile()) return { code: 'EISDIR' };
    if (info.size > MAX_XML_LENGTH) return { code: 'EFBIG' };
    return { text: await handle.readFile('utf8'), stamp };
  } catch (error) {
    return { code: systemErrorCode(error) ?? 'EIO' };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function readSettingsFile<T>(
  file: string,
  parse: Parse<T>,
  empty: T,
  previous: SettingsFileState<T> | undefined,
  holdVanished: boolean,
): Promise<SettingsFileState<T>> {
  const read = await readText(file);
  const hadGood = previous !== undefined && (previous.status === 'ok' || previous.stale);
  if ('code' in read) {
    if (read.code === 'ENOENT' || read.code === 'ENOTDIR') {
      if (holdVanished && hadGood && !previous.vanishing && previous.status !== 'missing') {
        return { path: file, status: 'missing', value: previous.value, stale: true, vanishing: true };
      }
      return { path: file, status: 'missing', value: empty, stale: false };
    }
    const error = read.code === 'EFBIG' ? 'file is too large to be an IDE settings file' : `cannot read the file (${read.code})`;
    return hadGood
      ? { path: file, status: 'error', value: previous.value, error, stale: true }
      : { path: file, status: 'error', value: empty, error, stale: false };
  }
  const parsed = parse(read.text);
  if (parsed.ok) return { path: file, status: 'ok', value: parsed.value, stale: false, stamp: read.stamp };
  return hadGood
    ? { path: file, status: 'error', value: previous.value, error: parsed.error, stale: true, stamp: read.stamp }
    : { path: file, status: 'error', value: empty, error: parsed.error, stale: false, stamp: read.stamp };
}

const parseRecent: Parse<RecentProjectRecord[]> = (text) => {
  const result = parseRecentProjectsXml(text);
  return result.ok ? { ok: true, value: result.records } : result;
};

const parseMacros: Parse<Map<string, string>> = (text) => {
  const result = parsePathMacrosXml(text);
  return result.ok ? { ok: true, value: result.macros } : result;
};

export function optionsDir(folder: Pick<IdeConfigFolder, 'configDir'>, platform: NodeJS.Platform): string {
  return pathApi(platform).join(folder.configDir, 'options');
}

/** The files discovery reads, by name, under options/. */
export const WATCHED_OPTION_FILES: readonly string[] = [...RECENT_PROJECT_FILES, PATH_MACROS_FILE];

export async function readConfigFolderFiles(
  folder: Pick<IdeConfigFolder, 'configDir'>,
  previous: ConfigFolderFiles | undefined,
  options: ReadFilesOptions,
): Promise<ConfigFolderFiles> {
  const p = pathApi(options.platform);
  const dir = optionsDir(folder, options.platform);
  const hold = options.holdVanished ?? false;
  const recent: RecentFileState[] = [];
  for (const name of RECENT_PROJECT_FILES) {
    const before = previous?.recent.find((f) => f.name === name);
    recent.push({ name, ...(await readSettingsFile(p.join(dir, name), parseRecent, [], before, hold)) });
  }
  const macros = await readSettingsFile(p.join(dir, PATH_MACROS_FILE), parseMacros, new Map(), previous?.macros, hold);
  return { recent, macros };
}

/** True when a file is (or may be) different on disk from what `files` was read from. Stats only. */
export async function configFilesChanged(files: ConfigFolderFiles): Promise<boolean> {
  const states: SettingsFileState<unknown>[] = [...files.recent, files.macros];
  for (const state of states) {
    if (state.vanishing) return true;
    const info = await stat(state.path).catch(() => undefined);
    if (info === undefined) {
      if (state.status !== 'missing') return true;
      continue;
    }
    const before = state.stamp;
    if (before === undefined) {
      // Seen missing (or unreadable) last time, a file now: read it.
      if (state.status === 'missing') return true;
      continue;
    }
    if (info.mtimeMs !== before.mtimeMs || info.size !== before.size || info.ino !== before.ino) return true;
  }
  return false;
}
