// The icons build/make-icons.mjs renders (pngjs and png-to-ico doing the encoding): the right formats
// and sizes for each platform, macOS templates in black and alpha only; the build renders them into
// build/icons only when their inputs changed; and the .icns electron-builder makes from icon.png when
// it packages for macOS, where its icon tool is at hand.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { trayIconFile } from '../../../electron/main/app-paths';
import { tempDir } from '../../helpers/temp';
import { loadBuilderConfig } from './builder-config';
import { isPng, readIcns, readIco, readPng, type Bitmap } from './image-readers';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const makeIcons = path.join(root, 'build', 'make-icons.mjs');

function opaqueCorner(bitmap: Bitmap): boolean {
  return (bitmap.rgba[3] as number) > 0;
}

describe('icons rendered by build/make-icons.mjs', () => {
  let out = '';
  const read = (file: string) => readFile(path.join(out, file));

  beforeAll(async () => {
    out = await tempDir('icons-');
    const { stdout } = await run(process.execPath, [makeIcons, '--out', out], { timeout: 60_000 });
    expect(stdout).toMatch(/^wrote 15 icon files/);
  }, 90_000);

  it('app icon PNGs for every size Linux and electron-builder need', async () => {
    const big = readPng(await read('icon.png'));
    // electron-builder makes the macOS .icns from this one and wants at least 512 px.
    expect([big.width, big.height]).toEqual([1024, 1024]);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const png = readPng(await read(`app/${size}x${size}.png`));
      expect([png.width, png.height], `${size}x${size}`).toEqual([size, size]);
      // The rounded square leaves the corners transparent and fills the middle.
      expect(opaqueCorner(png)).toBe(false);
      expect(png.rgba[((size / 2) * size + Math.round(size * 0.15)) * 4 + 3], `${size} px body`).toBe(255);
    }
  });

  it('icon.ico holds each size from 16 to 256 px, rendered for that size rather than scaled', async () => {
    const images = readIco(await read('icon.ico'));
    expect(images.map((image) => image.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const image of images.filter((entry) => entry.width !== 24)) {
      const png = readPng(await read(`app/${image.width}x${image.width}.png`));
      expect(Buffer.from(image.rgba).equals(Buffer.from(png.rgba)), `${image.width} px`).toBe(true);
    }
  });

  it('tray images exist for what main loads on each platform', async () => {
    const dir = path.join(out, 'tray');
    const linux = readPng(await readFile(trayIconFile('linux', dir)));
    expect([linux.width, linux.height]).toEqual([32, 32]);
    expect(readPng(await read('tray/tray-16.png')).width).toBe(16);
    expect(readIco(await readFile(trayIconFile('win32', dir))).map((image) => image.width)).toEqual([16, 20, 24, 32, 40, 48]);
    const template = readPng(await readFile(trayIconFile('darwin', dir)));
    const template2x = readPng(await read('tray/trayTemplate@2x.png'));
    expect([template.width, template2x.width]).toEqual([16, 32]);
    expect(readPng(await read('tray/window-256.png')).width).toBe(256);
  });

  it('macOS template images are black with alpha only, and not empty', async () => {
    for (const name of ['trayTemplate.png', 'trayTemplate@2x.png']) {
      const { rgba } = readPng(await read(`tray/${name}`));
      let visible = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        expect([rgba[i], rgba[i + 1], rgba[i + 2]], `${name} pixel ${i / 4}`).toEqual([0, 0, 0]);
        if ((rgba[i + 3] as number) > 128) visible += 1;
      }
      expect(visible, name).toBeGreaterThan(rgba.length / 4 / 10);
    }
  });
});

describe('icons in the build', () => {
  it('the build rendered them where main and electron-builder.yml look', async () => {
    const config = await loadBuilderConfig();
    expect(readPng(await readFile(path.join(root, config.mac?.icon ?? 'missing'))).width).toBe(1024);
    expect(readIco(await readFile(path.join(root, config.win?.icon ?? 'missing'))).at(-1)?.width).toBe(256);
    expect(existsSync(path.join(root, config.linux?.icon ?? 'missing', '512x512.png'))).toBe(true);
    expect(existsSync(path.join(root, 'build', 'icons', 'tray', 'tray-32.png'))).toBe(true);
  });

  it('renders again only when an input changed or a file is missing', async () => {
    const out = await tempDir('icons-cache-');
    const ifChanged = async () => (await run(process.execPath, [makeIcons, '--out', out, '--if-changed'], { timeout: 60_000 })).stdout;
    expect(await ifChanged()).toMatch(/^rendered the icons/);
    expect(await ifChanged()).toMatch(/up to date/);
    await rm(path.join(out, 'tray', 'tray.ico'));
    expect(await ifChanged()).toMatch(/^rendered the icons/);
    expect(readIco(await readFile(path.join(out, 'tray', 'tray.ico')))).toHaveLength(6);
  }, 90_000);
});

// electron-builder converts icon.png to .icns with an icon tool it downloads when it first packages
// for macOS; point ELECTRON_BUILDER_ICONS_TOOLSET_DIR at an unpacked copy to run this check offline.
const toolset = process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR;
const noToolset = toolset ? null : "electron-builder's icon tool is not here (it is downloaded on first use; set ELECTRON_BUILDER_ICONS_TOOLSET_DIR)";

describe.skipIf(noToolset !== null)(`the macOS .icns electron-builder makes${noToolset ? ` — skipped: ${noToolset}` : ''}`, () => {
  it('holds PNG images up to 1024 px', async () => {
    const require = createRequire(import.meta.url);
    const { convertIcon } = require('app-builder-lib/out/util/iconConverter.js') as {
      convertIcon(options: { sources: string[]; fallbackSources: string[]; roots: string[]; format: string; outDir: string }): Promise<{ icons: Array<{ file: string }> }>;
    };
    const outDir = await tempDir('icns-');
    const config = await loadBuilderConfig();
    const { icons } = await convertIcon({ sources: [config.mac?.icon ?? 'missing'], fallbackSources: [], roots: [root], format: 'icns', outDir });
    const chunks = readIcns(await readFile(icons[0]?.file ?? 'missing'));
    const widths = chunks.filter((chunk) => isPng(chunk.data)).map((chunk) => readPng(chunk.data).width);
    expect(Math.max(...widths)).toBe(1024);
    expect(widths).toContain(16);
  }, 120_000);
});
