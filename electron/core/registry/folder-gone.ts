import { stat } from 'node:fs/promises';
import { systemErrorCode } from '../errors';

/** True only when a project folder is provably gone; one we cannot check (no permission...) is not. */
export async function folderIsGone(folder: string): Promise<boolean> {
  try {
    await stat(folder);
    return false;
  } catch (error) {
    const code = systemErrorCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}
