// Renders every icon the app and its packages need from build/icon-source.mjs, encoded by kept
// libraries: PNG by pngjs, ICO by png-to-ico. Written into build/icons/ (not committed) by
// build/build.mjs, which calls ensureIcons() and skips the work while the inputs are unchanged:
//   icon.png            1024 px; electron-builder turns it into the macOS .icns when it packages
//   icon.ico            16–256 px (Windows installer and executable)
//   app/<N>x<N>.png     Linux desktop icons
//   tray/               tray-16.png, tray-32.png (Linux), trayTemplate.png + @2x (macOS),
//                       tray.ico (Windows), window-256.png (the window's icon)
// Each size is rendered on its own rather than scaled down from 1024 px: below 24 px the glyph is
// drawn simpler and bolder (icon-source.mjs).
// By hand: node build/make-icons.mjs [--out <folder>] [--if-changed]   (default folder: build/icons)
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import pngToIco from 'png-to-ico';
import { renderIcon } from './icon-source.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_ICONS_DIR = path.join(here, 'icons');

const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
export const LINUX_APP_SIZES = [16, 32, 48, 64, 128, 256, 512];
// Windows picks the tray size for the display scale: 16 (100%), 20 (125%), 24 (150%), 32 (200%)...
const TRAY_ICO_SIZES = [16, 20, 24, 32, 40, 48];

function pngOf(variant, size) {
  const png = new PNG({ width: size, height: size });
  png.data = Buffer.from(renderIcon(variant, size));
  return PNG.sync.write(png);
}

/** Every icon file, by path relative to the output folder. */
async function renderAll() {
  const cache = new Map();
  const png = (variant, size) => {
    const key = `${variant}@${size}`;
    if (!cache.has(key)) cache.set(key, pngOf(variant, size));
    return cache.get(key);
  };
  const files = new Map();
  files.set('icon.png', png('app', 1024));
  files.set('icon.ico', await pngToIco(APP_ICO_SIZES.map((size) => png('app', size))));
  for (const size of LINUX_APP_SIZES) files.set(`app/${size}x${size}.png`, png('app', size));
  files.set('tray/tray-16.png', png('tray', 16));
  files.set('tray/tray-32.png', png('tray', 32));
  files.set('tray/trayTemplate.png', png('template', 16));
  files.set('tray/trayTemplate@2x.png', png('template', 32));
  files.set('tray/tray.ico', await pngToIco(TRAY_ICO_SIZES.map((size) => png('tray', size))));
  files.set('tray/window-256.png', png('app', 256));
  return files;
}

/** Writes each file through a temporary sibling and a rename: a concurrent build never sees half a file. */
async function writeAll(files, out) {
  for (const [name, data] of files) {
    const file = path.join(out, name);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, data);
    await rename(temp, file);
  }
}

export async function makeIcons(out = DEFAULT_ICONS_DIR) {
  const files = await renderAll();
  await writeAll(files, out);
  return [...files.keys()];
}

/** What the icons depend on: the drawing, this script and the encoders' versions. */
async function inputsHash() {
  const require = createRequire(import.meta.url);
  const hash = createHash('sha256');
  for (const file of ['icon-source.mjs', 'make-icons.mjs']) hash.update(await readFile(path.join(here, file)));
  for (const pkg of ['pngjs', 'png-to-ico']) {
    const manifest = JSON.parse(await readFile(require.resolve(`${pkg}/package.json`), 'utf8'));
    hash.update(`${pkg}@${manifest.version}`);
  }
  return hash.digest('hex');
}

// Beside the icons: the hash of the inputs they were made from and the files made.
const STAMP = '.made-from.json';

/** Renders the icons unless the ones in `out` were made from the same inputs. True when it rendered. */
export async function ensureIcons(out = DEFAULT_ICONS_DIR) {
  const inputs = await inputsHash();
  const stamp = await readFile(path.join(out, STAMP), 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => undefined);
  const upToDate = stamp?.inputs === inputs && Array.isArray(stamp.files) && stamp.files.every((name) => existsSync(path.join(out, name)));
  if (upToDate) return false;
  const files = await makeIcons(out);
  await writeAll(new Map([[STAMP, JSON.stringify({ inputs, files }, null, 2)]]), out);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'if-changed': { type: 'boolean' } } });
  const out = path.resolve(values.out ?? DEFAULT_ICONS_DIR);
  if (values['if-changed']) {
    console.log((await ensureIcons(out)) ? `rendered the icons into ${out}` : `the icons in ${out} are up to date`);
  } else {
    console.log(`wrote ${(await makeIcons(out)).length} icon files to ${out}`);
  }
}
