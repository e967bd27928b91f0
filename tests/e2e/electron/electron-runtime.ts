// Finds the Electron runtime through scripts/electron-runtime.mjs, never `require('electron')`
// (which would start a download). Tests skip, naming the reason, when there is none.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const projectRoot = path.resolve(import.meta.dirname, '../../..');

type Runtime = { executable: string } | { missing: string };

export async function electronRuntime(): Promise<Runtime> {
  const module = (await import(pathToFileURL(path.join(projectRoot, 'scripts', 'electron-runtime.mjs')).href)) as {
    findElectronRuntime: (env?: NodeJS.ProcessEnv) => Runtime;
  };
  return module.findElectronRuntime(process.env);
}

/** The reason to skip, or null when the runtime is there. */
export async function missingRuntimeReason(): Promise<string | null> {
  const runtime = await electronRuntime();
  return 'executable' in runtime ? null : `no Electron runtime: ${runtime.missing}`;
}
