// Independent readers for the icon containers build/make-icons.mjs writes, so the tests check the
// files against the formats' definitions rather than against the writer's own code.
import { inflateSync } from 'node:zlib';

export interface Bitmap {
  width: number;
  height: number;
  /** Straight RGBA, rows top to bottom. */
  rgba: Uint8Array;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(data: Buffer): boolean {
  return data.subarray(0, 8).equals(PNG_SIGNATURE);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (what icons use); throws on anything else. */
export function readPng(data: Buffer): Bitmap {
  if (!isPng(data)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || colour !== 6 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row += 1) {
    const filter = raw[row * (stride + 1)];
    for (let i = 0; i < stride; i += 1) {
      const x = raw[row * (stride + 1) + 1 + i] as number;
      const left = i >= 4 ? (rgba[row * stride + i - 4] as number) : 0;
      const up = row > 0 ? (rgba[(row - 1) * stride + i] as number) : 0;
      const upLeft = row > 0 && i >= 4 ? (rgba[(row - 1) * stride + i - 4] as number) : 0;
      const predicted = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : filter === 4 ? paeth(left, up, upLeft) : NaN;
      if (Number.isNaN(predicted)) throw new Error(`bad PNG filter ${filter}`);
      rgba[row * stride + i] = (x + predicted) & 0xff;
    }
  }
  return { width, height, rgba };
}

export interface IcoImage extends Bitmap {
  format: 'png' | 'bmp';
}

/** Reads every image of an ICO file (32-bit BMP or PNG entries). */
export function readIco(data: Buffer): IcoImage[] {
  if (data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  const count = data.readUInt16LE(4);
  const images: IcoImage[] = [];
  for (let index = 0; index < count; index += 1) {
    const at = 6 + index * 16;
    const width = data[at] || 256;
    const height = data[at + 1] || 256;
    const size = data.readUInt32LE(at + 8);
    const offset = data.readUInt32LE(at + 12);
    const image = data.subarray(offset, offset + size);
    if (isPng(image)) {
      const png = readPng(image);
      if (png.width !== width || png.height !== height) throw new Error(`ICO entry ${index} says ${width}x${height}, its PNG is ${png.width}x${png.height}`);
      images.push({ ...png, format: 'png' });
      continue;
    }
    const headerSize = image.readUInt32LE(0);
    const bmpWidth = image.readInt32LE(4);
    const bmpHeight = image.readInt32LE(8);
    const bits = image.readUInt16LE(14);
    if (headerSize !== 40 || bmpWidth !== width || bmpHeight !== height * 2 || bits !== 32) {
      throw new Error(`ICO entry ${index}: unexpected BMP header (${headerSize}, ${bmpWidth}x${bmpHeight}, ${bits} bpp)`);
    }
    const maskRow = Math.ceil(width / 32) * 4;
    if (image.length !== 40 + width * height * 4 + maskRow * height) throw new Error(`ICO entry ${index}: BMP data has the wrong length`);
    const rgba = new Uint8Array(width * height * 4);
    for (let row = 0; row < height; row += 1) {
      const from = 40 + (height - 1 - row) * width * 4;
      for (let col = 0; col < width; col += 1) {
        const source = from + col * 4;
        const target = (row * width + col) * 4;
        rgba[target] = image[source + 2] as number;
        rgba[target + 1] = image[source + 1] as number;
        rgba[target + 2] = image[source] as number;
        rgba[target + 3] = image[source + 3] as number;
      }
    }
    images.push({ width, height, rgba, format: 'bmp' });
  }
  return images;
}

/** Reads an ICNS file's chunks: type and payload. */
export function readIcns(data: Buffer): Array<{ type: string; data: Buffer }> {
  if (data.toString('latin1', 0, 4) !== 'icns') throw new Error('not an ICNS file');
  if (data.readUInt32BE(4) !== data.length) throw new Error(`ICNS length field ${data.readUInt32BE(4)} does not match the file (${data.length})`);
  const chunks: Array<{ type: string; data: Buffer }> = [];
  let offset = 8;
  while (offset < data.length) {
    const type = data.toString('latin1', offset, offset + 4);
    const length = data.readUInt32BE(offset + 4);
    if (length < 8 || offset + length > data.length) throw new Error(`ICNS chunk ${type} has a bad length ${length}`);
    chunks.push({ type, data: data.subarray(offset + 8, offset + length) });
    offset += length;
  }
  return chunks;
}
