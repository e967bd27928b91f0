// Bundles every entry point into dist/ with esbuild. Type-checking is `tsc -b`'s job, not this one.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const at = (...p) => path.join(root, ...p);
const { version } = JSON.parse(await readFile(at('package.json'), 'utf8'));
const common = {
  bundle: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { __INTERCEPTOR_VERSION__: JSON.stringify(version) },
};

await rm(dist, { recursive: true, force: true });

const entries = [
  // The CLI runs under plain Node: dependencies stay in node_modules.
  {
    ...common,
    entryPoints: { interceptor: at('electron/cli/interceptor.ts') },
    outdir: path.join(dist, 'cli'),
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
  },
];

const optional = [
  // Electron main: CommonJS, electron left to the runtime, the rest bundled (conf is ESM-only).
  {
    ...common,
    entryPoints: { main: at('electron/main/main.ts') },
    outdir: path.join(dist, 'main'),
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
  },
  // A sandboxed preload must be one CommonJS file.
  {
    ...common,
    entryPoints: { preload: at('electron/preload/preload.ts') },
    outdir: path.join(dist, 'preload'),
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
  },
  {
    ...common,
    entryPoints: { app: at('renderer/app.ts') },
    outdir: path.join(dist, 'renderer'),
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
  },
];

// Layers that do not exist yet are skipped, so the CLI builds on its own.
for (const options of optional) {
  const entry = Object.values(options.entryPoints)[0];
  if (existsSync(entry)) entries.push(options);
}

await Promise.all(entries.map((options) => build(options)));

if (existsSync(at('renderer/index.html'))) {
  await mkdir(path.join(dist, 'renderer'), { recursive: true });
  await cp(at('renderer/index.html'), path.join(dist, 'renderer/index.html'));
  if (existsSync(at('renderer/styles.css'))) await cp(at('renderer/styles.css'), path.join(dist, 'renderer/styles.css'));
}
