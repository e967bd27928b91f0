// Bundles every entry point into dist/ with esbuild, and renders the icons into build/icons/ when
// their inputs changed (make-icons.mjs). Type-checking is `tsc -b`'s job, not this one.
import { build } from 'esbuild';
import { cp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ensureIcons } from './make-icons.mjs';

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

// dist/ is overwritten in place, never removed first: a test or a running CLI may be using it.

function electronEntry(name, source) {
  return {
    ...common,
    entryPoints: { [name]: at(source) },
    outdir: path.join(dist, name),
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // better-sqlite3 is a native module: it loads its .node file from its own package folder, which
    // electron-builder rebuilds for Electron's ABI and unpacks from the asar.
    external: ['electron', 'better-sqlite3'],
    // jsonc-parser's "main" is a UMD file whose inner requires esbuild cannot follow: bundle its ESM build.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  };
}

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
    // Each verb is its own chunk, loaded when it runs (electron/cli/verbs.ts).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: '#!/usr/bin/env node' },
  },
  // Electron main (conf is ESM-only, so everything else is bundled) and preload (a sandboxed preload
  // must be one file): CommonJS, electron left to the runtime.
  electronEntry('main', 'electron/main/main.ts'),
  electronEntry('preload', 'electron/preload/preload.ts'),
  {
    ...common,
    entryPoints: { app: at('renderer/app.tsx') },
    outdir: path.join(dist, 'renderer'),
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
  },
];

const [results] = await Promise.all([Promise.all(entries.map((options) => build({ ...options, metafile: true }))), ensureIcons()]);

// Chunk names carry a content hash: drop the ones this build no longer produced.
const produced = new Set(results.flatMap((result) => Object.keys(result.metafile.outputs)).map((file) => path.resolve(root, file)));
const chunkDir = path.join(dist, 'cli', 'chunks');
for (const name of await readdir(chunkDir)) {
  const file = path.join(chunkDir, name);
  if (!produced.has(file)) await rm(file, { force: true });
}

// The page's static files sit beside its bundle.
await mkdir(path.join(dist, 'renderer'), { recursive: true });
for (const file of ['index.html', 'styles.css']) await cp(at('renderer', file), path.join(dist, 'renderer', file));
