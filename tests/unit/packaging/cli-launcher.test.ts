// The packaged app's `interceptor` launcher (build/bin/interceptor), run for real against the built
// CLI in the folder layouts electron-builder produces on Linux and macOS. The app's executable is
// stood in for by a script that runs the real main bundle (dist/main/main.cjs) against the stand-in
// electron module, as a packaged app would run it: the launcher must start it as the CLI
// (`--interceptor-cli -- …`, the RunAsNode fuse being off) and main must hand over to the bundled CLI.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp';
import { projectRoot } from './builder-config';

const run = promisify(execFile);
const builtCli = path.join(projectRoot, 'dist/cli/interceptor.js');
const mainBundle = path.join(projectRoot, 'dist/main/main.cjs');
const runMain = path.join(projectRoot, 'tests/unit/main/main-bundle/run-main.mjs');
const windows = process.platform === 'win32';

/** Lays out resources/ as a package has it, and an executable that records its arguments to <executable>.args. */
async function packagedLayout(resources: string, executable: string): Promise<void> {
  await mkdir(path.join(resources, 'bin'), { recursive: true });
  await copyFile(path.join(projectRoot, 'build/bin/interceptor'), path.join(resources, 'bin/interceptor'));
  await chmod(path.join(resources, 'bin/interceptor'), 0o755);
  const cliDir = path.join(resources, 'app.asar.unpacked/dist/cli');
  await mkdir(cliDir, { recursive: true });
  // The whole folder: the entry loads each verb's chunk from chunks/ beside it.
  await cp(path.dirname(builtCli), cliDir, { recursive: true });
  await copyFile(path.join(projectRoot, 'build/packaging/package.json'), path.join(cliDir, 'package.json'));
  await symlink(path.join(projectRoot, 'node_modules'), path.join(resources, 'app.asar.unpacked/node_modules'), 'dir');
  await mkdir(path.dirname(executable), { recursive: true });
  const q = JSON.stringify;
  await writeFile(
    executable,
    [
      '#!/bin/sh',
      // With the RunAsNode fuse off Node mode does not exist: the launcher must not rely on it.
      '[ -z "$ELECTRON_RUN_AS_NODE" ] || { echo "started in Node mode" >&2; exit 97; }',
      `printf '%s\\n' "$@" > ${q(`${executable}.args`)}`,
      `FAKE_ELECTRON_PACKAGED=1 FAKE_ELECTRON_RESOURCES=${q(resources)} exec ${q(process.execPath)} ${q(runMain)} ${q(mainBundle)} "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(executable, 0o755);
}

/** The arguments the stand-in executable was started with, one per line. */
async function appArguments(executable: string): Promise<string[]> {
  return (await readFile(`${executable}.args`, 'utf8')).split('\n').slice(0, -1);
}

async function interceptor(launcher: string, args: string[], home: string) {
  return run(launcher, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') }, timeout: 30_000 });
}

describe.skipIf(windows)('bin/interceptor launcher', () => {
  it('runs the bundled CLI with a Linux package layout, also through a PATH symlink', async () => {
    expect(existsSync(builtCli), 'dist/cli/interceptor.js is missing: run `npm run build` first').toBe(true);
    const install = path.join(await tempDir('launcher-linux-'), 'opt', 'LiteLLM Interceptor');
    await packagedLayout(path.join(install, 'resources'), path.join(install, 'litellm-interceptor'));
    const home = await tempDir('launcher-home-');
    expect(existsSync(mainBundle), 'dist/main/main.cjs is missing: run `npm run build` first').toBe(true);
    const version = await interceptor(path.join(install, 'resources/bin/interceptor'), ['--version'], home);
    expect(version.stdout.trim()).toMatch(/^interceptor \d+\.\d+\.\d+/);
    // Linux: headless platform (no display needed), then the CLI switch, then the user's arguments.
    expect(await appArguments(path.join(install, 'litellm-interceptor'))).toEqual(['--ozone-platform=headless', '--disable-gpu', '--interceptor-cli', '--', '--version']);

    const pathDir = await tempDir('launcher-path-');
    await symlink(path.join(install, 'resources/bin/interceptor'), path.join(pathDir, 'interceptor'));
    const list = await interceptor(path.join(pathDir, 'interceptor'), ['list'], home);
    expect(list.stdout).toContain(path.join(home, '.config', 'litellm', 'port_registry.json'));
  });

  it('finds the executable inside a macOS app bundle', async () => {
    const contents = path.join(await tempDir('launcher-mac-'), 'LiteLLM Interceptor.app', 'Contents');
    await packagedLayout(path.join(contents, 'Resources'), path.join(contents, 'MacOS', 'LiteLLM Interceptor'));
    const relative = await tempDir('launcher-rel-');
    // A relative symlink, as `ln -s ../x` would make.
    await symlink(path.relative(relative, path.join(contents, 'Resources/bin/interceptor')), path.join(relative, 'interceptor'));
    const result = await interceptor(path.join(relative, 'interceptor'), ['--version'], await tempDir('launcher-home-'));
    expect(result.stdout.trim()).toMatch(/^interceptor \d+\.\d+\.\d+/);
    expect(await appArguments(path.join(contents, 'MacOS', 'LiteLLM Interceptor'))).toEqual(['--interceptor-cli', '--', '--version']);
  });

  it('passes the CLI’s exit code and arguments through', async () => {
    const install = path.join(await tempDir('launcher-args-'), 'app');
    await packagedLayout(path.join(install, 'resources'), path.join(install, 'litellm-interceptor'));
    const failure = await interceptor(path.join(install, 'resources/bin/interceptor'), ['no-such-verb', 'with space'], await tempDir('launcher-home-')).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect('code' in failure && failure.code).toBe(2);
    expect('stderr' in failure && failure.stderr).toContain('no-such-verb');
    // Switch-like arguments are the CLI's, after `--`, never Chromium's or main's.
    const json = await interceptor(path.join(install, 'resources/bin/interceptor'), ['list', '--json', 'with space'], await tempDir('launcher-home-')).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(json.stdout).toMatch(/"error"/);
    expect(await appArguments(path.join(install, 'litellm-interceptor'))).toEqual(['--ozone-platform=headless', '--disable-gpu', '--interceptor-cli', '--', 'list', '--json', 'with space']);
  });

  it('says where it looked when the app is not beside it', async () => {
    const resources = path.join(await tempDir('launcher-lost-'), 'resources');
    await mkdir(path.join(resources, 'bin'), { recursive: true });
    await copyFile(path.join(projectRoot, 'build/bin/interceptor'), path.join(resources, 'bin/interceptor'));
    await chmod(path.join(resources, 'bin/interceptor'), 0o755);
    const failure = (await run(path.join(resources, 'bin/interceptor'), ['list']).catch((error: unknown) => error)) as { code: number; stderr: string };
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/^interceptor: the LiteLLM Interceptor app is not where this script expects it \(.*litellm-interceptor, .*interceptor\.js\)\n$/);
  });
});
