import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths, trayIconFile } from '../../../electron/main/app-paths';
import { APP_ID, PRODUCT_NAME } from '../../../electron/main/app-identity';
import { CLI_SWITCH } from '../../../electron/main/cli-mode';
import { loadBuilderConfig, projectRoot, validateBuilderConfig, type FileSet } from './builder-config';

type CopiedSet = FileSet & { from: string };

/** The sets copied from a folder ({from, to, filter}); electron-builder turns plain patterns into a set without `from`. */
const fileSets = (entries: Array<string | FileSet> | undefined): CopiedSet[] =>
  (entries ?? []).filter((entry): entry is CopiedSet => typeof entry === 'object' && typeof entry.from === 'string');

/** Every plain pattern of `files`, whichever form electron-builder normalised it to. */
const patterns = (entries: Array<string | FileSet> | undefined): string[] =>
  (entries ?? []).flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.from === undefined ? (entry.filter ?? []) : []));

describe('electron-builder.yml', () => {
  it('loads and passes electron-builder’s own schema validation', async () => {
    const config = await loadBuilderConfig();
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
  });

  it('the validation does refuse a wrong configuration (so passing means something)', async () => {
    const config = await loadBuilderConfig();
    await expect(validateBuilderConfig({ ...config, mac: { ...config.mac, hardenedRuntme: true } as never })).rejects.toThrow(/configuration/i);
    await expect(validateBuilderConfig({ ...config, asar: 'maybe' as never })).rejects.toThrow(/asar/);
    await expect(validateBuilderConfig({ ...config, extraResourcez: [] })).rejects.toThrow(/unknown property 'extraResourcez'/);
  });

  it('flips the Electron fuses: no Node mode, no NODE_OPTIONS or --inspect, encrypted cookies, the app only from an integrity-checked app.asar', async () => {
    const config = await loadBuilderConfig();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The schema checks the fuses too: a misspelt one or a value that is not a switch is refused.
    await expect(validateBuilderConfig({ ...config, electronFuses: { runAsnode: false } })).rejects.toThrow(/configuration.electronFuses should be one of these/);
    await expect(validateBuilderConfig({ ...config, electronFuses: { runAsNode: 'no' } })).rejects.toThrow(/electronFuses.runAsNode should be a boolean/);
  });

  it('starts the app as the CLI from both launchers, never in Node mode (the RunAsNode fuse is off)', async () => {
    const unix = await readFile(path.join(projectRoot, 'build/bin/interceptor'), 'utf8');
    const windows = await readFile(path.join(projectRoot, 'build/bin/interceptor.cmd'), 'utf8');
    for (const launcher of [unix, windows]) {
      expect(launcher).toContain(`${CLI_SWITCH} --`);
      expect(launcher).not.toMatch(/^[^#r].*ELECTRON_RUN_AS_NODE/m);
    }
  });

  it('names the app as main does (login items, autostart and notifications use the id)', async () => {
    const config = await loadBuilderConfig();
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
  });

  it('packs dist/ including the main bundle package.json points at', async () => {
    const config = await loadBuilderConfig();
    const pkg = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/main.cjs');
    expect(patterns(config.files)).toEqual(expect.arrayContaining(['dist/**/*', 'package.json']));
    expect(patterns(config.files).filter((pattern) => pattern.startsWith('!'))).toEqual(['!dist/**/*.map']);
    expect(config.asar).toBe(true);
  });

  it('is a menu-bar app on macOS with the hardened runtime, in the developer-tools category', async () => {
    const { mac } = await loadBuilderConfig();
    expect(mac?.extendInfo?.LSUIElement).toBe(true);
    expect(mac?.hardenedRuntime).toBe(true);
    expect(mac?.category).toBe('public.app-category.developer-tools');
    expect(mac?.target).toBe('dmg');
  });

  it('builds nsis on Windows and AppImage + deb on Linux, with an AppIndicator library for the tray', async () => {
    const config = await loadBuilderConfig();
    expect(config.win?.target).toBe('nsis');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    const depends = config.deb?.depends ?? [];
    expect(depends.some((dependency) => /appindicator3-1/.test(dependency))).toBe(true);
    // Setting `depends` replaces electron-builder's defaults: the libraries Electron needs must stay.
    for (const needed of ['libgtk-3-0', 'libnss3', 'libnotify4', 'xdg-utils']) expect(depends).toContain(needed);
  });

  it('every file it refers to exists', async () => {
    const config = await loadBuilderConfig();
    for (const icon of [config.mac?.icon, config.win?.icon]) expect(icon && existsSync(path.join(projectRoot, icon)), String(icon)).toBe(true);
    const linuxIcons = path.join(projectRoot, config.linux?.icon ?? 'missing');
    expect(statSync(linuxIcons).isDirectory()).toBe(true);
    for (const set of [...fileSets(config.extraResources), ...fileSets(config.files)]) {
      const from = path.join(projectRoot, set.from);
      expect(statSync(from).isDirectory(), set.from).toBe(true);
      for (const name of set.filter ?? []) expect(existsSync(path.join(from, name)), `${set.from}/${name}`).toBe(true);
    }
  });

  it('ships the tray images where main looks for them in a package (resources/icons)', async () => {
    const config = await loadBuilderConfig();
    const icons = fileSets(config.extraResources).find((set) => set.to === 'icons');
    expect(icons).toBeDefined();
    const resourcesPath = '/packaged/resources';
    const { trayIconsDir, windowIcon } = appPaths({ mainDir: '/packaged/resources/app.asar/dist/main', isPackaged: true, resourcesPath });
    expect(trayIconsDir).toBe(path.join(resourcesPath, icons?.to ?? ''));
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const wanted = path.relative(trayIconsDir, trayIconFile(platform, trayIconsDir));
      expect(existsSync(path.join(projectRoot, icons?.from ?? '', wanted)), `${platform}: ${wanted}`).toBe(true);
    }
    expect(existsSync(path.join(projectRoot, icons?.from ?? '', path.relative(trayIconsDir, windowIcon)))).toBe(true);
  });

  it('makes the CLI runnable outside the archive, as an ES module, through the bin/ launchers', async () => {
    const config = await loadBuilderConfig();
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['dist/cli/**', 'node_modules/**']));
    const marker = fileSets(config.files).find((set) => set.to === 'dist/cli');
    expect(marker?.filter).toEqual(['package.json']);
    const markerJson = JSON.parse(await readFile(path.join(projectRoot, marker?.from ?? '', 'package.json'), 'utf8')) as { type?: string };
    expect(markerJson.type).toBe('module');
    const bin = fileSets(config.extraResources).find((set) => set.to === 'bin');
    expect(bin?.filter).toEqual(['interceptor', 'interceptor.cmd']);
    const launcher = await readFile(path.join(projectRoot, 'build/bin/interceptor'), 'utf8');
    expect(launcher).toContain(`$resources/../${config.linux?.executableName}`);
    expect(launcher).toContain(`$resources/../MacOS/${config.productName}`);
    const windows = await readFile(path.join(projectRoot, 'build/bin/interceptor.cmd'), 'utf8');
    expect(windows).toContain(`"%~dp0..\\..\\${config.productName}.exe"`);
    expect(windows.split('\n').every((line) => line === '' || line.endsWith('\r'))).toBe(true);
    expect(statSync(path.join(projectRoot, 'build/bin/interceptor')).mode & 0o111).not.toBe(0);
  });
});
