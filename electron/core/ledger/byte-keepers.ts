// Bounded copies of a response body as it passes: the proxy reuses its read buffers, so whatever the
// ledger reads later must be copied, and no more than a fixed amount, however long the body runs.
// Memory grows with what was kept (doubling from a small start), never to the limit up front: most
// answers are a few KiB, and a fixed 512 KiB per request cost the benchmark most of its throughput.

// Below 4 KiB, Buffer.allocUnsafe slices a shared pool instead of allocating its own memory.
const INITIAL_BYTES = 1024;

function grown(buffer: Buffer | undefined, used: number, needed: number, limit: number): Buffer {
  if (buffer !== undefined && buffer.length >= needed) return buffer;
  let size = Math.max(INITIAL_BYTES, buffer?.length ?? 0);
  while (size < needed) size *= 2;
  const next = Buffer.allocUnsafe(Math.min(size, limit));
  if (buffer !== undefined) buffer.copy(next, 0, 0, used);
  return next;
}

/** The first `limit` bytes, then nothing; says whether more came. */
export class HeadKeeper {
  private buffer: Buffer | undefined;
  private length = 0;
  overflowed = false;

  constructor(private readonly limit: number) {}

  feed(source: Buffer, start: number, end: number): void {
    if (this.length >= this.limit) {
      if (end > start) this.overflowed = true;
      return;
    }
    const take = Math.min(end - start, this.limit - this.length);
    if (take < end - start) this.overflowed = true;
    if (take <= 0) return;
    this.buffer = grown(this.buffer, this.length, this.length + take, this.limit);
    source.copy(this.buffer, this.length, start, start + take);
    this.length += take;
  }

  bytes(): Buffer {
    return this.buffer === undefined ? Buffer.alloc(0) : this.buffer.subarray(0, this.length);
  }
}

/**
 * The last `limit` bytes. Until `limit` bytes came they are kept in order in a growing buffer; after
 * that the buffer (now `limit` long) is a ring: one copy per piece, no allocation.
 */
export class TailKeeper {
  private buffer: Buffer | undefined;
  /** Bytes seen in all; the buffer holds the last min(total, limit) of them. */
  total = 0;

  constructor(private readonly limit: number) {}

  feed(source: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length <= 0) return;
    const { limit } = this;
    if (this.total + length <= limit) {
      this.buffer = grown(this.buffer, this.total, this.total + length, limit);
      source.copy(this.buffer, this.total, start, end);
      this.total += length;
      return;
    }
    // From here on the buffer is a ring of exactly `limit` bytes.
    this.buffer = grown(this.buffer, Math.min(this.total, limit), limit, limit);
    const ring = this.buffer;
    const from = length > limit ? end - limit : start; // only the end of a huge piece can survive
    let at = (this.total + (from - start)) % limit;
    for (let i = from; i < end; ) {
      const take = Math.min(end - i, limit - at);
      source.copy(ring, at, i, i + take);
      i += take;
      at = (at + take) % limit;
    }
    this.total += length;
  }

  /** Some bytes before the kept ones were dropped. */
  get cut(): boolean {
    return this.total > this.limit;
  }

  bytes(): Buffer {
    const ring = this.buffer;
    if (ring === undefined) return Buffer.alloc(0);
    if (this.total <= this.limit) return ring.subarray(0, this.total);
    const split = this.total % this.limit;
    return Buffer.concat([ring.subarray(split), ring.subarray(0, split)]);
  }
}
