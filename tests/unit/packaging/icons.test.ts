// The committed icons: the right formats and sizes for each platform, macOS templates in black and
// alpha only, and identical (pixel for pixel) to what build/make-icons.mjs renders from the source.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { trayIconFile } from '../../../electron/main/app-paths';
import { tempDir } from '../../helpers/temp';
import { isPng, readIcns, readIco, readPng, type Bitmap } from './image-readers';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const build = path.join(root, 'build');

const read = (file: string) => readFile(path.join(build, file));

function opaqueCorner(bitmap: Bitmap): boolean {
  return (bitmap.rgba[3] as number) > 0;
}

describe('icons', () => {
  it('app icon PNGs for every size Linux and electron-builder need', async () => {
    const big = readPng(await read('icon.png'));
    expect([big.width, big.height]).toEqual([1024, 1024]);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const png = readPng(await read(`icons/app/${size}x${size}.png`));
      expect([png.width, png.height], `${size}x${size}`).toEqual([size, size]);
      // The rounded square leaves the corners transparent and fills the middle.
      expect(opaqueCorner(png)).toBe(false);
      expect(png.rgba[((size / 2) * size + Math.round(size * 0.15)) * 4 + 3], `${size} px body`).toBe(255);
    }
  });

  it('icon.ico holds 16–256 px images, BMP below 256 and PNG at 256', async () => {
    const images = readIco(await read('icon.ico'));
    expect(images.map((image) => `${image.width}:${image.format}`)).toEqual(['16:bmp', '24:bmp', '32:bmp', '48:bmp', '64:bmp', '128:bmp', '256:png']);
  });

  it('icon.icns holds PNG chunks for 16 to 1024 px, the @2x types at double size', async () => {
    const chunks = readIcns(await read('icon.icns'));
    const sizes = Object.fromEntries(chunks.map((chunk) => [chunk.type, isPng(chunk.data) ? readPng(chunk.data).width : -1]));
    expect(sizes).toEqual({ icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 });
  });

  it('tray images exist for what main loads on each platform', async () => {
    const dir = path.join(build, 'icons', 'tray');
    const linux = readPng(await readFile(trayIconFile('linux', dir)));
    expect([linux.width, linux.height]).toEqual([32, 32]);
    expect(readPng(await read('icons/tray/tray-16.png')).width).toBe(16);
    expect(readIco(await readFile(trayIconFile('win32', dir))).map((image) => image.width)).toEqual([16, 20, 24, 32, 40, 48]);
    const template = readPng(await readFile(trayIconFile('darwin', dir)));
    const template2x = readPng(await read('icons/tray/trayTemplate@2x.png'));
    expect([template.width, template2x.width]).toEqual([16, 32]);
    expect(readPng(await read('icons/tray/window-256.png')).width).toBe(256);
  });

  it('macOS template images are black with alpha only, and not empty', async () => {
    for (const name of ['trayTemplate.png', 'trayTemplate@2x.png']) {
      const { rgba } = readPng(await read(`icons/tray/${name}`));
      let visible = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        expect([rgba[i], rgba[i + 1], rgba[i + 2]], `${name} pixel ${i / 4}`).toEqual([0, 0, 0]);
        if ((rgba[i + 3] as number) > 128) visible += 1;
      }
      expect(visible, name).toBeGreaterThan(rgba.length / 4 / 10);
    }
  });

  it('the committed icons are what the generator renders now', async () => {
    const out = await tempDir('icons-');
    await run(process.execPath, [path.join(build, 'make-icons.mjs'), '--out', out], { timeout: 60_000 });
    const pngs = ['icon.png', 'icons/app/16x16.png', 'icons/app/512x512.png', 'icons/tray/tray-16.png', 'icons/tray/tray-32.png', 'icons/tray/trayTemplate.png', 'icons/tray/trayTemplate@2x.png', 'icons/tray/window-256.png'];
    for (const file of pngs) {
      const committed = readPng(await read(file));
      const fresh = readPng(await readFile(path.join(out, file)));
      expect(Buffer.from(committed.rgba).equals(Buffer.from(fresh.rgba)), `${file} differs from a fresh render: run node build/make-icons.mjs`).toBe(true);
    }
    for (const file of ['icon.ico', 'icons/tray/tray.ico']) {
      const committed = readIco(await read(file));
      const fresh = readIco(await readFile(path.join(out, file)));
      expect(committed.map((image) => Buffer.from(image.rgba).toString('base64'))).toEqual(fresh.map((image) => Buffer.from(image.rgba).toString('base64')));
    }
    const committedIcns = readIcns(await read('icon.icns')).map((chunk) => Buffer.from(readPng(chunk.data).rgba).toString('base64'));
    const freshIcns = readIcns(await readFile(path.join(out, 'icon.icns'))).map((chunk) => Buffer.from(readPng(chunk.data).rgba).toString('base64'));
    expect(committedIcns).toEqual(freshIcns);
  });
});
