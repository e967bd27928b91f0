// Where the things tests spawn live.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI, run as `node dist/cli/interceptor.js` like the package's `bin`. */
export const CLI_PATH = path.join(REPO_ROOT, 'dist/cli/interceptor.js');
/** tests/helpers/registry-worker.ts bundled by build-once.ts. */
export const REGISTRY_WORKER_PATH = path.join(REPO_ROOT, 'node_modules/.cache/interceptor-tests/registry-worker.mjs');
/** tests/helpers/ledger-worker.ts bundled by build-once.ts. */
export const LEDGER_WORKER_PATH = path.join(REPO_ROOT, 'node_modules/.cache/interceptor-tests/ledger-worker.mjs');
