// Minimal writers for the three icon containers the platforms want, from straight RGBA pixels:
// PNG (zlib-compressed scanlines), ICO (a directory of BMP or PNG images) and ICNS (typed chunks of
// PNG data). Written here because no image tool is guaranteed on a build machine.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit RGBA PNG; every scanline uses filter 0 (the data is small and compresses well anyway). */
export function encodePng(rgba, width, height) {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let row = 0; row < height; row += 1) {
    raw[row * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + row * width * 4, width * 4).copy(raw, row * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 32-bit BMP as ICO stores it: no file header, height doubled (image + AND mask), rows bottom-up in BGRA. */
function icoBitmap(rgba, size) {
  const maskRow = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskRow * size);
  out.writeUInt32LE(40, 0); // BITMAPINFOHEADER size
  out.writeInt32LE(size, 4);
  out.writeInt32LE(size * 2, 8);
  out.writeUInt16LE(1, 12); // planes
  out.writeUInt16LE(32, 14); // bits per pixel
  out.writeUInt32LE(size * size * 4 + maskRow * size, 20); // image size
  for (let row = 0; row < size; row += 1) {
    const target = 40 + (size - 1 - row) * size * 4;
    for (let col = 0; col < size; col += 1) {
      const from = (row * size + col) * 4;
      out[target + col * 4] = rgba[from + 2];
      out[target + col * 4 + 1] = rgba[from + 1];
      out[target + col * 4 + 2] = rgba[from];
      out[target + col * 4 + 3] = rgba[from + 3];
    }
  }
  // The AND mask stays all zero: the alpha channel decides transparency.
  return out;
}

/**
 * An ICO holding one image per size. Sizes below 256 are stored as BMP (every Windows component
 * reads those, including installers); 256 as PNG, as Windows expects for the large size.
 */
export function encodeIco(images) {
  const entries = images.map(({ size, rgba }) => ({ size, data: size >= 256 ? encodePng(rgba, size, size) : icoBitmap(rgba, size) }));
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(({ size, data }, index) => {
    const at = 6 + index * 16;
    header[at] = size >= 256 ? 0 : size; // 0 means 256
    header[at + 1] = size >= 256 ? 0 : size;
    header[at + 2] = 0; // palette size
    header[at + 3] = 0;
    header.writeUInt16LE(1, at + 4); // planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...entries.map((entry) => entry.data)]);
}

/** The ICNS chunk types that hold PNG data, by pixel size (the @2x types reuse the larger bitmap). */
export const ICNS_TYPES = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'icp6', pixels: 64 },
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic09', pixels: 512 },
  { type: 'ic10', pixels: 1024 },
  { type: 'ic11', pixels: 32 },
  { type: 'ic12', pixels: 64 },
  { type: 'ic13', pixels: 256 },
  { type: 'ic14', pixels: 512 },
];

/** An ICNS file: 'icns' + total length, then one chunk (type, length including its 8-byte header, PNG) per type. */
export function encodeIcns(pngBySize) {
  const chunks = ICNS_TYPES.map(({ type, pixels }) => {
    const png = pngBySize.get(pixels);
    if (!png) throw new Error(`no ${pixels} px image for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}
