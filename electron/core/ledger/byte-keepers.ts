// Bounded copies of a response body as it passes: the proxy reuses its read buffers, so whatever the
// ledger reads later must be copied, and no more than a fixed amount, however long the body runs.

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
    this.buffer ??= Buffer.allocUnsafe(this.limit);
    const take = Math.min(end - start, this.limit - this.length);
    source.copy(this.buffer, this.length, start, start + take);
    this.length += take;
    if (take < end - start) this.overflowed = true;
  }

  bytes(): Buffer {
    return this.buffer === undefined ? Buffer.alloc(0) : this.buffer.subarray(0, this.length);
  }
}

/** The last `limit` bytes, in a ring: one copy per piece, no allocation after the first. */
export class TailKeeper {
  private ring: Buffer | undefined;
  /** Bytes seen in all; the ring holds the last min(total, limit) of them. */
  total = 0;

  constructor(private readonly limit: number) {}

  feed(source: Buffer, start: number, end: number): void {
    let from = start;
    const length = end - start;
    if (length <= 0) return;
    this.ring ??= Buffer.allocUnsafe(this.limit);
    if (length > this.limit) from = end - this.limit; // only the end of a huge piece can survive
    let at = (this.total + (from - start)) % this.limit;
    while (from < end) {
      const take = Math.min(end - from, this.limit - at);
      source.copy(this.ring, at, from, from + take);
      from += take;
      at = (at + take) % this.limit;
    }
    this.total += length;
  }

  /** Some bytes before the kept ones were dropped. */
  get cut(): boolean {
    return this.total > this.limit;
  }

  bytes(): Buffer {
    const ring = this.ring;
    if (ring === undefined) return Buffer.alloc(0);
    if (this.total <= this.limit) return ring.subarray(0, this.total);
    const split = this.total % this.limit;
    return Buffer.concat([ring.subarray(split), ring.subarray(0, split)]);
  }
}
