// Files only the user may read (the settings can hold an API key, the instance file a dashboard
// token): created 0600, replaced atomically so a reader never sees half a file.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;

/** Writes via a temp file in the same folder, fsync, then rename over the target. */
export function writePrivateFileAtomic(file: string, data: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Creates a new file (never overwrites): the first free name among base, base-2, base-3... */
export function createPrivateFileExclusive(base: string, data: string | Buffer): string {
  for (let attempt = 1; attempt <= 100; attempt++) {
    const candidate = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      fs.writeFileSync(candidate, data, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`cannot create ${base}: 100 files of that name already exist`);
}

/** Narrows a file's mode to 0600 when group or others could read it (POSIX only; best effort). */
export function restrictToOwner(file: string): void {
  if (process.platform === 'win32') return;
  try {
    const { mode } = fs.statSync(file);
    if ((mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch {
    // Not ours to fix (another owner, a read-only mount): the file still works.
  }
}
