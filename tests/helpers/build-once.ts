// Vitest globalSetup: the CLI tests spawn dist/cli/interceptor.js exactly as a user runs it, and the
// registry process tests spawn a small worker script. Build both before any test file starts, every
// run, so a test never exercises a stale bundle (a build takes about a second).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { CLI_PATH, LEDGER_WORKER_PATH, REGISTRY_WORKER_PATH, REPO_ROOT } from './paths';

function buildDist(): void {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'build/build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`node build/build.mjs failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  if (!existsSync(CLI_PATH)) throw new Error(`the build did not produce ${CLI_PATH}`);
}

async function buildWorker(source: string, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  // Written next to node_modules so its external imports (proper-lockfile, better-sqlite3) resolve;
  // renamed into place so a concurrent run never spawns half a file.
  const temp = `${target}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [path.join(REPO_ROOT, source)],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    logLevel: 'warning',
    define: { __INTERCEPTOR_VERSION__: JSON.stringify('test') },
  });
  await rename(temp, target);
}

export async function setup(): Promise<void> {
  buildDist();
  await buildWorker('tests/helpers/registry-worker.ts', REGISTRY_WORKER_PATH);
  await buildWorker('tests/helpers/ledger-worker.ts', LEDGER_WORKER_PATH);
}
