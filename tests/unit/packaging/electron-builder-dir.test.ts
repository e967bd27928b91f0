// A real `electron-builder --dir` build, where an Electron runtime is present: the runtime already in
// node_modules/electron is given as electronDist, so nothing is downloaded. Checks the unpacked app
// holds what main and the CLI launcher look for, then runs the packaged CLI through its launcher with
// the app's own executable in Node mode. Skipped, with the reason, where there is no runtime.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp';
import { electronRuntime, missingRuntimeReason } from '../../e2e/electron/electron-runtime';
import { projectRoot } from './builder-config';

const run = promisify(execFile);
const skipReason = await missingRuntimeReason();

/** Where electron-builder puts the unpacked app's resources folder on this platform. */
async function resourcesDir(output: string): Promise<string> {
  if (process.platform === 'darwin') {
    const macDir = (await readdir(output)).find((name) => name.startsWith('mac'));
    return path.join(output, macDir ?? 'mac', 'LiteLLM Interceptor.app', 'Contents', 'Resources');
  }
  const unpacked = (await readdir(output)).find((name) => name.endsWith('-unpacked'));
  if (!unpacked) throw new Error(`no *-unpacked folder in ${output}`);
  return path.join(output, unpacked, 'resources');
}

describe.skipIf(skipReason !== null)(`electron-builder --dir${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  it(
    'packages the app with its tray icons, CLI launcher and unpacked CLI',
    async () => {
      const runtime = await electronRuntime();
      if (!('executable' in runtime)) throw new Error(runtime.missing);
      for (const file of ['dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/cli/interceptor.js']) {
        expect(existsSync(path.join(projectRoot, file)), `${file} is missing: run \`npm run build\` first`).toBe(true);
      }
      const output = await tempDir('electron-builder-');
      await run(
        process.execPath,
        [
          path.join(projectRoot, 'node_modules', 'electron-builder', 'cli.js'),
          '--dir',
          '--config',
          'electron-builder.yml',
          `-c.electronDist=${path.dirname(runtime.executable)}`,
          `-c.directories.output=${output}`,
          '-c.npmRebuild=false',
          '--publish',
          'never',
        ],
        { cwd: projectRoot, timeout: 280_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
      );
      const resources = await resourcesDir(output);
      for (const file of [
        'app.asar',
        'icons/tray-32.png',
        'icons/trayTemplate.png',
        'icons/trayTemplate@2x.png',
        'icons/tray.ico',
        'bin/interceptor',
        'bin/interceptor.cmd',
        'app.asar.unpacked/dist/cli/interceptor.js',
        'app.asar.unpacked/dist/cli/package.json',
        'app.asar.unpacked/node_modules/hono/package.json',
      ]) {
        expect(existsSync(path.join(resources, file)), file).toBe(true);
      }
      if (process.platform !== 'win32') {
        const home = await tempDir('packaged-cli-home-');
        const { stdout } = await run(path.join(resources, 'bin', 'interceptor'), ['--version'], { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 60_000 });
        expect(stdout.trim()).toMatch(/^interceptor \d+\.\d+\.\d+/);
      }
    },
    300_000,
  );
});
