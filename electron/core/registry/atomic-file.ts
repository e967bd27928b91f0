// Crash-safe file replacement for the registry: write a temp file in the same folder, fsync it,
// rename it over the target (atomic on one file system), then fsync the folder so the rename itself
// survives a power cut. Readers therefore see the old file or the new one, never a mix.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { systemErrorCode } from '../errors';

/**
 * Mode of a registry we create: private to the user (it lists their project folders). An existing
 * file keeps whatever mode it has, so a user's or the seed's 0644 stays 0644.
 */
export const NEW_FILE_MODE = 0o600;
export const NEW_FOLDER_MODE = 0o700;

function tempPrefix(file: string): string {
  return `.${path.basename(file)}.`;
}

/** Temp files are `.port_registry.json.<pid>.<hex>.tmp`: dot-named so a folder watcher can ignore them. */
function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `${tempPrefix(file)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

async function fsyncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open or fsync a folder; the rename is still atomic there.
  }
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o7777;
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

const RETRYABLE_RENAME = new Set(['EPERM', 'EACCES', 'EBUSY']);

/** Windows refuses to replace a file another process has open for a moment (antivirus, indexer). */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      if (process.platform !== 'win32' || attempt >= 5 || !RETRYABLE_RENAME.has(systemErrorCode(error) ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

export async function ensureFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: NEW_FOLDER_MODE });
}

/** Replaces `file` with `content` atomically, keeping the existing file's mode. */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const mode = (await existingMode(file)) ?? NEW_FILE_MODE;
  const temp = tempPathFor(file);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(content);
      await handle.chmod(mode); // the umask may have narrowed the mode given to open()
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncFolder(path.dirname(file));
}

/**
 * Copies `content` to `<file>.<label>-<timestamp>` without ever overwriting an existing file
 * (a suffix is added on a clash), fsynced. Returns the path written.
 */
export async function writeBackup(file: string, label: string, content: Uint8Array, now: Date = new Date()): Promise<string> {
  const mode = (await existingMode(file)) ?? NEW_FILE_MODE;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n += 1) {
    const candidate = `${file}.${label}-${stamp}${n === 1 ? '' : `-${n}`}`;
    let handle;
    try {
      handle = await open(candidate, 'wx', mode);
    } catch (error) {
      if (systemErrorCode(error) === 'EEXIST' && n < 1000) continue;
      throw error;
    }
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsyncFolder(path.dirname(file));
    return candidate;
  }
}

/**
 * Removes temp files left by writers killed between creating and renaming them. Only safe while
 * holding the registry lock: then no live writer can own one.
 */
export async function removeOrphanTemps(file: string): Promise<number> {
  const prefix = tempPrefix(file);
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  const orphans = names.filter((name) => name.startsWith(prefix) && /\.[0-9]+\.[0-9a-f]{12}\.tmp$/.test(name));
  await Promise.all(orphans.map((name) => rm(path.join(path.dirname(file), name), { force: true })));
  return orphans.length;
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    const handle = await open(file, 'r');
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}
