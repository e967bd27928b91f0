// @doyensec/electronegativity over the built app (dist/main, dist/preload, dist/renderer): fails on
// any HIGH finding and on any file it could not parse. The tool only reads .js/.html and its 2021
// parser predates class fields, so the bundles are copied with a .js name and their syntax lowered
// to ES2019 first (esbuild transform: same code, older syntax). It exits 0 with findings, so the
// result is read from the JSON its runner returns (run-electronegativity.mjs).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const runner = path.join(import.meta.dirname, 'run-electronegativity.mjs');

interface Result {
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Array<{ id: string; severity: string; confidence: string; file: string; line: number; description: string }>;
}

async function electronVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function scan(folder: string): Promise<Result> {
  const { stdout } = await run(process.execPath, [runner, folder, await electronVersion()], { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as Result;
}

async function lowered(from: string, to: string, format: 'cjs' | 'esm'): Promise<void> {
  const code = await readFile(from, 'utf8');
  const result = await transform(code, { loader: 'js', format, target: 'es2019', legalComments: 'none' });
  await mkdir(path.dirname(to), { recursive: true });
  await writeFile(to, result.code);
}

describe('electronegativity', () => {
  it('finds nothing of HIGH severity in the built app', async () => {
    const built = ['dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/app.js'];
    for (const file of built) expect(existsSync(path.join(root, file)), `${file} is missing: run \`npm run build\` first`).toBe(true);
    const app = await tempDir('electronegativity-');
    await lowered(path.join(root, 'dist/main/main.cjs'), path.join(app, 'main/main.js'), 'cjs');
    await lowered(path.join(root, 'dist/preload/preload.cjs'), path.join(app, 'preload/preload.js'), 'cjs');
    await lowered(path.join(root, 'dist/renderer/app.js'), path.join(app, 'renderer/app.js'), 'esm');
    await copyFile(path.join(root, 'dist/renderer/index.html'), path.join(app, 'renderer/index.html'));

    const result = await scan(app);
    expect(result.errors.filter((error) => !error.tolerable)).toEqual([]);
    const high = result.issues.filter((issue) => issue.severity === 'HIGH');
    expect(high, high.map((issue) => `${issue.id} ${issue.file}:${issue.line} ${issue.description}`).join('\n')).toEqual([]);
  });

  it('does report an insecure app (so a clean result means something)', async () => {
    const app = await tempDir('electronegativity-bad-');
    await mkdir(path.join(app, 'main'));
    await writeFile(
      path.join(app, 'main/main.js'),
      [
        "const { app, BrowserWindow } = require('electron');",
        'app.whenReady().then(() => {',
        "  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });",
        "  win.loadURL('http://example.com/');",
        '});',
      ].join('\n'),
    );
    const result = await scan(app);
    const high = new Set(result.issues.filter((issue) => issue.severity === 'HIGH').map((issue) => issue.id));
    expect(high).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(high).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
  });
});
