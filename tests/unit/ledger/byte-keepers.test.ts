import { describe, expect, it } from 'vitest';
import { HeadKeeper, TailKeeper } from '../../../electron/core/ledger/byte-keepers';

/** Deterministic pseudo-random piece sizes, so a failure reproduces. */
function pieces(total: number, seed: number): Buffer[] {
  const out: Buffer[] = [];
  let state = seed;
  let offset = 0;
  while (offset < total) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const size = Math.min(total - offset, 1 + (state % 9000));
    out.push(Buffer.from(Array.from({ length: size }, (_, i) => (offset + i) % 251)));
    offset += size;
  }
  return out;
}

describe('byte keepers', () => {
  it.each([0, 10, 4095, 4096, 65_535, 65_536, 65_537, 300_000])('the tail of %i bytes fed in random pieces is exactly the last 64 KiB', (total) => {
    const all = Buffer.concat(pieces(total, total + 1));
    const tail = new TailKeeper(65_536);
    // Pieces are views into a bigger buffer, as the proxy's read buffer is.
    for (const piece of pieces(total, total + 1)) {
      const host = Buffer.concat([Buffer.from('xx'), piece, Buffer.from('yy')]);
      tail.feed(host, 2, 2 + piece.length);
    }
    expect(tail.total).toBe(total);
    expect(tail.cut).toBe(total > 65_536);
    expect(tail.bytes().equals(all.subarray(Math.max(0, total - 65_536)))).toBe(true);
  });

  it('keeps only the end of a piece larger than the whole tail', () => {
    const tail = new TailKeeper(10);
    tail.feed(Buffer.from('abc'), 0, 3);
    tail.feed(Buffer.from('0123456789ABCDEFGHIJ'), 0, 20);
    expect(tail.bytes().toString()).toBe('ABCDEFGHIJ');
  });

  it('the head keeps the first bytes and says when more came', () => {
    const head = new HeadKeeper(10_000);
    const all = Buffer.concat(pieces(25_000, 7));
    for (const piece of pieces(25_000, 7)) head.feed(piece, 0, piece.length);
    expect(head.overflowed).toBe(true);
    expect(head.bytes().equals(all.subarray(0, 10_000))).toBe(true);
    const small = new HeadKeeper(10_000);
    small.feed(Buffer.from('hello'), 0, 5);
    expect(small.overflowed).toBe(false);
    expect(small.bytes().toString()).toBe('hello');
  });
});
