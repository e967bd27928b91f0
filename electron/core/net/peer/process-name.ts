// A process's short name for messages ("pycharm", "node"): Linux reads /proc; elsewhere unknown.
import { readFile } from 'node:fs/promises';

export async function processName(pid: number): Promise<string | undefined> {
  const name = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
  return name || undefined;
}
