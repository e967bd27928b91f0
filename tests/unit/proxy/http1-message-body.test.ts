import { describe, expect, it } from 'vitest';
import {
  BodyFramingError,
  ChunkedBody,
  frameChunk,
  LAST_CHUNK,
  LengthBody,
  type MessageBody,
  type PayloadSink,
} from '../../../electron/core/proxy/http1/message-body';

/** Collects the payload ranges a body reports, checking each lies inside its buffer. */
function collector(): { sink: PayloadSink; text: () => string; ranges: [number, number][] } {
  const parts: Buffer[] = [];
  const ranges: [number, number][] = [];
  const sink: PayloadSink = (buffer, start, end) => {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(buffer.length);
    parts.push(Buffer.from(buffer.subarray(start, end)));
    ranges.push([start, end]);
  };
  return { sink, ranges, text: () => Buffer.concat(parts).toString('latin1') };
}

const ignore: PayloadSink = () => undefined;

/** Feeds `wire` one byte per scan; the index (within `wire`) just past the body, or -1. */
function scanByteByByte(body: MessageBody, wire: Buffer, sink: PayloadSink): number {
  for (let i = 0; i < wire.length; i += 1) {
    const end = body.scan(wire.subarray(i, i + 1), 0, sink);
    if (end !== -1) return i + end;
  }
  return -1;
}

describe('LengthBody', () => {
  const wire = Buffer.from('helloGET /next HTTP/1.1\r\n\r\n');

  it('stops exactly at the length and returns the end index', () => {
    const body = new LengthBody(5);
    const payload = collector();
    expect(body.done).toBe(false);
    expect(body.scan(wire, 0, payload.sink)).toBe(5);
    expect(payload.text()).toBe('hello');
    expect(body.done).toBe(true);
  });

  it('starts at `start` and returns an absolute index', () => {
    const payload = collector();
    expect(new LengthBody(5).scan(Buffer.from('HEADhelloNEXT'), 4, payload.sink)).toBe(9);
    expect(payload.ranges).toEqual([[4, 9]]);
  });

  it('gives the same payload and end wherever it is split', () => {
    for (let split = 0; split <= wire.length; split += 1) {
      const body = new LengthBody(5);
      const payload = collector();
      const first = body.scan(wire.subarray(0, split), 0, payload.sink);
      if (split >= 5) {
        expect(first, `split at ${split}`).toBe(5);
      } else {
        expect(first, `split at ${split}`).toBe(-1);
        expect(body.done).toBe(false);
        expect(body.scan(wire, split, payload.sink), `split at ${split}`).toBe(5);
      }
      expect(body.done).toBe(true);
      expect(payload.text()).toBe('hello');
      expect(Math.max(...payload.ranges.map(([, end]) => end))).toBe(5);
    }
  });

  it('takes one byte at a time', () => {
    const payload = collector();
    expect(scanByteByByte(new LengthBody(5), wire, payload.sink)).toBe(5);
    expect(payload.text()).toBe('hello');
  });

  it('reports no empty payload ranges', () => {
    const body = new LengthBody(3);
    const payload = collector();
    expect(body.scan(Buffer.alloc(0), 0, payload.sink)).toBe(-1);
    expect(body.scan(Buffer.from('ab'), 2, payload.sink)).toBe(-1);
    expect(payload.ranges).toEqual([]);
  });

  it('is done at once for length 0', () => {
    const body = new LengthBody(0);
    const payload = collector();
    expect(body.done).toBe(true);
    expect(body.scan(Buffer.from('abc'), 1, payload.sink)).toBe(1);
    expect(payload.ranges).toEqual([]);
  });

  it('has no chunk boundaries', () => {
    const body = new LengthBody(2);
    expect(body.atChunkBoundary).toBe(false);
    body.scan(Buffer.from('ab'), 0, ignore);
    expect(body.atChunkBoundary).toBe(false);
  });
});

describe('ChunkedBody', () => {
  // Extensions (with and without whitespace before ';', quoted), upper- and lower-case hex, leading
  // zeros, data that looks like framing, and trailers.
  const CHUNKED = [
    '5;name=value\r\n',
    'hello\r\n',
    'B ;q="a b";flag\r\n',
    ' wide world\r\n',
    '7\r\n',
    '0\r\n\r\n\r\n\r\n',
    '000a\r\n',
    '0123456789\r\n',
    '0;end\r\n',
    'X-Trailer: yes\r\n',
    'x-other:1\r\n',
    '\r\n',
  ].join('');
  const DECODED = 'hello wide world0\r\n\r\n\r\n0123456789';
  const NEXT = 'POST /next HTTP/1.1\r\nHost: h\r\n\r\n';
  const wire = Buffer.from(CHUNKED + NEXT, 'latin1');
  const bodyEnd = CHUNKED.length;

  it('decodes the payload and returns the index just past the body', () => {
    const body = new ChunkedBody();
    const payload = collector();
    expect(body.scan(wire, 0, payload.sink)).toBe(bodyEnd);
    expect(payload.text()).toBe(DECODED);
    expect(body.done).toBe(true);
  });

  it('starts at `start` and returns an absolute index', () => {
    const head = Buffer.from('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n');
    const payload = collector();
    expect(new ChunkedBody().scan(Buffer.concat([head, wire]), head.length, payload.sink)).toBe(head.length + bodyEnd);
    expect(payload.text()).toBe(DECODED);
  });

  it('gives the same payload and end wherever it is split, in separate buffers', () => {
    for (let split = 0; split <= wire.length; split += 1) {
      const body = new ChunkedBody();
      const payload = collector();
      const first = body.scan(wire.subarray(0, split), 0, payload.sink);
      if (split >= bodyEnd) {
        expect(first, `split at ${split}`).toBe(bodyEnd);
      } else {
        expect(first, `split at ${split}`).toBe(-1);
        expect(body.done).toBe(false);
        expect(body.scan(wire.subarray(split), 0, payload.sink), `split at ${split}`).toBe(bodyEnd - split);
      }
      expect(body.done).toBe(true);
      expect(payload.text(), `split at ${split}`).toBe(DECODED);
    }
  });

  it('gives the same payload and end wherever it is split, resuming in the whole buffer', () => {
    for (let split = 0; split < bodyEnd; split += 1) {
      const body = new ChunkedBody();
      const payload = collector();
      expect(body.scan(wire.subarray(0, split), 0, payload.sink)).toBe(-1);
      expect(body.scan(wire, split, payload.sink), `split at ${split}`).toBe(bodyEnd);
      expect(payload.text(), `split at ${split}`).toBe(DECODED);
      // Nothing of the pipelined request after the body is reported as payload.
      expect(Math.max(...payload.ranges.map(([, end]) => end))).toBeLessThanOrEqual(bodyEnd);
    }
  });

  it('takes one byte at a time', () => {
    const body = new ChunkedBody();
    const payload = collector();
    expect(scanByteByByte(body, wire, payload.sink)).toBe(bodyEnd);
    expect(payload.text()).toBe(DECODED);
    expect(body.done).toBe(true);
  });

  it('ends at a bare last chunk without reporting payload', () => {
    const payload = collector();
    expect(new ChunkedBody().scan(Buffer.from('0\r\n\r\nnext'), 0, payload.sink)).toBe(5);
    expect(payload.ranges).toEqual([]);
  });

  it('accepts 13 hex digits and goes on through a huge chunk', () => {
    const small = collector();
    const leadingZeros = '0000000000001\r\nx\r\n0\r\n\r\n';
    expect(new ChunkedBody().scan(Buffer.from(leadingZeros), 0, small.sink)).toBe(leadingZeros.length);
    expect(small.text()).toBe('x');
    const body = new ChunkedBody();
    const huge = collector();
    expect(body.scan(Buffer.from('FFFFFFFFFFFFF\r\nabc'), 0, huge.sink)).toBe(-1);
    expect(huge.text()).toBe('abc');
    expect(body.done).toBe(false);
  });

  it('returns -1 for an empty scan', () => {
    const payload = collector();
    expect(new ChunkedBody().scan(Buffer.alloc(0), 0, payload.sink)).toBe(-1);
    expect(payload.ranges).toEqual([]);
  });

  it('refuses bytes after its end', () => {
    const body = new ChunkedBody();
    expect(body.scan(LAST_CHUNK, 0, ignore)).toBe(LAST_CHUNK.length);
    expect(() => body.scan(Buffer.from('x'), 0, ignore)).toThrow(BodyFramingError);
  });

  it('is at a chunk boundary before any chunk and between chunks only', () => {
    const body = new ChunkedBody();
    const steps: [string, boolean][] = [
      ['', true],
      ['5', false],
      [';ext', false],
      ['\r', false],
      ['\n', false],
      ['hel', false],
      ['lo', false],
      ['\r', false],
      ['\n', true],
      ['2\r\nab\r\n', true],
      ['0', false],
      ['\r\n', false],
      ['X: y\r\n', false],
      ['\r\n', false],
    ];
    for (const [piece, boundary] of steps) {
      body.scan(Buffer.from(piece), 0, ignore);
      expect(body.atChunkBoundary, `after ${JSON.stringify(piece)}`).toBe(boundary);
    }
    expect(body.done).toBe(true);
  });

  it('shares one metadata budget between extensions and trailers', () => {
    const extension = (n: number): string => `1;${'e'.repeat(n)}\r\nx\r\n`;
    const trailer = (n: number): string => `X: ${'t'.repeat(n)}\r\n`;
    const scan = (text: string): number => new ChunkedBody().scan(Buffer.from(text), 0, ignore);
    const fits = `${extension(8000)}0\r\n${trailer(8000)}\r\n`;
    expect(scan(fits)).toBe(fits.length);
    expect(scan(`${extension(10_000)}0\r\n\r\n`)).toBeGreaterThan(0);
    expect(scan(`0\r\n${trailer(7000)}\r\n`)).toBeGreaterThan(0);
    expect(() => scan(`${extension(10_000)}0\r\n${trailer(7000)}\r\n`)).toThrow(BodyFramingError);
  });

  // Every byte counts, the first of each line included: many short trailer lines stay bounded too.
  it('counts every trailer byte toward the 16 KiB metadata limit', () => {
    const text = `0\r\n${'a:\r\n'.repeat(10_000)}\r\n`;
    expect(() => new ChunkedBody().scan(Buffer.from(text), 0, ignore)).toThrow(BodyFramingError);
  });

  // The chunk grammar allows whitespace after the size only before ';' (llhttp agrees): "1 2" could
  // be read as 0x12 by a lenient hop.
  it('refuses whitespace after the size that is not followed by ";"', () => {
    expect(() => new ChunkedBody().scan(Buffer.from('1 2\r\na\r\n0\r\n\r\n'), 0, ignore)).toThrow(BodyFramingError);
  });

  /** Label, body, index of the first byte that breaks the framing. */
  const malformed: [string, string, number][] = [
    ['a bad hex digit', 'g\r\n', 0],
    ['a bad hex digit after good ones', '1g\r\nx\r\n', 1],
    ['a 0x prefix', '0x1\r\nx\r\n', 1],
    ['an empty size', '\r\nx\r\n', 0],
    ['a sign', '-1\r\nx\r\n', 0],
    ['whitespace before the size', ' 1\r\nx\r\n', 0],
    ['an extension without a size', ';a\r\nx\r\n', 0],
    ['14 hex digits', '00000000000001\r\nx\r\n', 13],
    ['14 significant hex digits', 'fffffffffffffff', 13],
    ['a size line ended by a bare LF', '1\nx\r\n0\r\n\r\n', 1],
    ['an extension ended by a bare LF', '1;a\nx\r\n0\r\n\r\n', 3],
    ['a size line CR without LF', '1\rx\r\n0\r\n\r\n', 2],
    ['data longer than its size', '3\r\nabcd\r\n0\r\n\r\n', 6],
    ['no CRLF after the data', '3\r\nabc0\r\n\r\n', 6],
    ['data ended by a bare LF', '3\r\nabc\n0\r\n\r\n', 6],
    ['data ended by CR without LF', '3\r\nabc\r0\r\n\r\n', 7],
    ['a last chunk ended by a bare LF', '0\n\r\n', 1],
    ['a body ended by a bare LF', '0\r\n\n', 3],
    ['a body ended by CR without LF', '0\r\n\rx', 4],
    ['a trailer ended by a bare LF', '0\r\nX: y\n\r\n', 7],
    ['a bare CR in a trailer', '0\r\nX: y\rz\r\n\r\n', 8],
    // 16 KiB of extension bytes after the ';' pass; the next one does not.
    ['an oversized extension', `1;${'e'.repeat(16 * 1024 + 1)}\r\nx\r\n0\r\n\r\n`, 2 + 16 * 1024],
    ['an oversized trailer', `0\r\nX: ${'t'.repeat(16 * 1024)}\r\n\r\n`, 3 + 16 * 1024],
  ];

  function framingError(action: () => unknown): BodyFramingError {
    try {
      action();
    } catch (error) {
      if (error instanceof BodyFramingError) return error;
      throw error;
    }
    throw new Error('no BodyFramingError thrown');
  }

  it.each(malformed)('throws BodyFramingError for %s, at the offending byte', (_, text, at) => {
    const error = framingError(() => new ChunkedBody().scan(Buffer.from(text, 'latin1'), 0, ignore));
    expect(error.at).toBe(at);
  });

  it.each(malformed)('throws BodyFramingError for %s fed byte by byte', (_, text, at) => {
    const wire = Buffer.from(text, 'latin1');
    const body = new ChunkedBody();
    let i = 0;
    const error = framingError(() => {
      for (; i < wire.length; i += 1) body.scan(wire.subarray(0, i + 1), i, ignore);
    });
    expect(i).toBe(at);
    expect(error.at).toBe(at);
  });

  it('reports the offending byte as an index in the scanned buffer', () => {
    const wire = Buffer.from('HEAD3\r\nabcd\r\n');
    const body = new ChunkedBody();
    expect(body.scan(wire.subarray(0, 8), 4, ignore)).toBe(-1);
    expect(framingError(() => body.scan(wire, 8, ignore)).at).toBe(10);
  });
});

describe('frameChunk and LAST_CHUNK', () => {
  it('frames UTF-8 text with its byte length in hex', () => {
    expect(frameChunk('data: hi\n\n').toString('latin1')).toBe('a\r\ndata: hi\n\n\r\n');
    expect(frameChunk('x'.repeat(26)).toString('latin1')).toBe(`1a\r\n${'x'.repeat(26)}\r\n`);
    expect(frameChunk('\u00e9').equals(Buffer.from([0x32, 0x0d, 0x0a, 0xc3, 0xa9, 0x0d, 0x0a]))).toBe(true);
  });

  it('is the bare last chunk', () => {
    expect(LAST_CHUNK.toString('latin1')).toBe('0\r\n\r\n');
  });

  it('reads back through ChunkedBody', () => {
    const wire = Buffer.concat([frameChunk('data: one\n\n'), frameChunk('data: caf\u00e9\n\n'), LAST_CHUNK]);
    const body = new ChunkedBody();
    const payload = collector();
    expect(body.scan(wire, 0, payload.sink)).toBe(wire.length);
    expect(Buffer.from(payload.text(), 'latin1').toString('utf8')).toBe('data: one\n\ndata: caf\u00e9\n\n');
  });
});
