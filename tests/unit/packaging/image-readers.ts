// Readers for the icon files build/make-icons.mjs writes: PNG decoded by pngjs (checked to be the
// 8-bit RGBA the icons use), and the ICO and ICNS containers walked here from their definitions, so
// the tests check what the encoders produced rather than trust them.
import { PNG } from 'pngjs';

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

/** Decodes an 8-bit RGBA, non-interlaced PNG (what icons use); throws on anything else. */
export function readPng(data: Buffer): Bitmap {
  if (!isPng(data)) throw new Error('not a PNG');
  const png = PNG.sync.read(data);
  if (png.depth !== 8 || png.colorType !== 6 || png.interlace) {
    throw new Error(`unsupported PNG: depth ${png.depth}, colour type ${png.colorType}, interlace ${png.interlace}`);
  }
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
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
