// Renders every icon the app and its packages need from build/icon-source.mjs:
//   build/icon.png (1024), build/icon.icns (macOS), build/icon.ico (Windows),
//   build/icons/app/<N>x<N>.png (Linux desktop icons),
//   build/icons/tray/ tray-16.png, tray-32.png (Linux), trayTemplate.png + @2x (macOS),
//                     tray.ico (Windows), window-256.png (the window's icon).
// The results are committed, so builds never need to run this. Usage:
//   node build/make-icons.mjs [--out <folder>]   (default: build/)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderIcon } from './icon-source.mjs';
import { encodeIcns, encodeIco, encodePng, ICNS_TYPES } from './image-formats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(values.out ?? here);

const cache = new Map();
function pixels(variant, size) {
  const key = `${variant}@${size}`;
  if (!cache.has(key)) cache.set(key, renderIcon(variant, size));
  return cache.get(key);
}
const png = (variant, size) => encodePng(pixels(variant, size), size, size);

const files = new Map();
files.set('icon.png', png('app', 1024));
files.set('icon.ico', encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, rgba: pixels('app', size) }))));
files.set('icon.icns', encodeIcns(new Map([...new Set(ICNS_TYPES.map((entry) => entry.pixels))].map((size) => [size, png('app', size)]))));
for (const size of [16, 32, 48, 64, 128, 256, 512]) files.set(`icons/app/${size}x${size}.png`, png('app', size));
files.set('icons/tray/tray-16.png', png('tray', 16));
files.set('icons/tray/tray-32.png', png('tray', 32));
files.set('icons/tray/trayTemplate.png', png('template', 16));
files.set('icons/tray/trayTemplate@2x.png', png('template', 32));
// Windows picks the size for the display scale: 16 (100%), 20 (125%), 24 (150%), 32 (200%)...
files.set('icons/tray/tray.ico', encodeIco([16, 20, 24, 32, 40, 48].map((size) => ({ size, rgba: pixels('tray', size) }))));
files.set('icons/tray/window-256.png', png('app', 256));

for (const [name, data] of files) {
  const file = path.join(out, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}
console.log(`wrote ${files.size} icon files to ${out}`);
