// Where the usage database lives, without loading the SQLite driver (a native module the Electron
// main process loads only when recording is on; see ledger-host.ts).
import path from 'node:path';

export const LEDGER_FILE_NAME = 'interceptor-usage.sqlite';

/** `interceptor-usage.sqlite` beside the registry (and the settings). */
export function ledgerPathFor(registryFile: string): string {
  return path.join(path.dirname(registryFile), LEDGER_FILE_NAME);
}
