// Finds the Electron runtime without `require('electron')`, which would try to download it.
// Used by `npm start` and by the Electron end-to-end tests (to skip with a reason).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');

/** @returns {{ executable: string } | { missing: string }} */
export function findElectronRuntime(env = process.env) {
  if (!existsSync(path.join(electronDir, 'package.json'))) return { missing: 'the electron package is not installed (run npm ci)' };
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const executable = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(executable) ? { executable } : { missing: `ELECTRON_OVERRIDE_DIST_PATH has no ${relative || 'electron'}` };
  }
  if (!relative) return { missing: 'the Electron runtime has not been downloaded (node_modules/electron/path.txt is absent)' };
  const executable = path.join(electronDir, 'dist', relative);
  return existsSync(executable) ? { executable } : { missing: `the Electron runtime is not at ${executable}` };
}

/**
 * Runs Electron's own installer (a download); resolves to an error line, or null on success.
 * `signal` ends it early (npm start was asked to stop).
 */
export async function downloadElectronRuntime({ timeoutMs = 120_000, signal } = {}) {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(electronDir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'], ...(signal ? { signal } : {}) });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk).length > 64_000 && (stderr = stderr.slice(-32_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // An abort reports here too, then 'close' follows; a failure to start may come without 'close'.
    child.on('error', (error) => {
      if (signal?.aborted) return;
      clearTimeout(timer);
      resolve(`cannot run the Electron installer (${error.message})`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve(null);
      if (signal?.aborted) return resolve('stopped before the download finished');
      const reason = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|fetch failed|getaddrinfo/i.test(stderr)
        ? 'no network to download it'
        : code === null ? 'download timed out' : `download failed (exit ${code})`;
      resolve(reason);
    });
  });
}
