import { folderIsGone } from '../core/registry/index';

/** False only when the folder is provably gone; an unreadable one still counts as there. */
export async function folderExists(folder: string): Promise<boolean> {
  return !(await folderIsGone(folder));
}
