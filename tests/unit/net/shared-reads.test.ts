// Concurrent lookups share one read of a kernel table, yet never miss a socket newer than that read.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { SharedReads } from '../../../electron/core/net/peer/shared-reads';

function deferredReads() {
  const calls: Array<(value: string) => void> = [];
  const reads = new SharedReads<string>(() => new Promise<string>((resolve) => calls.push(resolve)));
  return { reads, calls };
}

describe('SharedReads', () => {
  it('callers arriving while a read is in flight join it', async () => {
    const { reads, calls } = deferredReads();
    const since = performance.now();
    const first = reads.get('/proc/net/tcp', since);
    const second = reads.get('/proc/net/tcp', performance.now() + 0.001);
    expect(calls).toHaveLength(1);
    calls[0]?.('table v1');
    expect(await first).toEqual({ value: 'table v1', fresh: true });
    // The second asked after the read began: what the read lacks may be newer than it.
    expect((await second).value).toBe('table v1');
    expect((await second).fresh).toBe(false);
  });

  it('a caller that missed in an older read gets one that began after it asked', async () => {
    const { reads, calls } = deferredReads();
    const older = reads.get('t', performance.now());
    const since = performance.now() + 0.001;
    await new Promise((resolve) => setTimeout(resolve, 2));
    const joined = reads.get('t', since);
    calls[0]?.('old');
    expect(await joined).toEqual({ value: 'old', fresh: false });
    await older;
    const again = reads.again('t', since);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(2);
    calls[1]?.('new');
    expect(await again).toBe('new');
  });

  it('a failed read is not kept: the next caller reads anew', async () => {
    let reads = 0;
    const shared = new SharedReads<string>(async () => {
      reads += 1;
      if (reads === 1) throw new Error('EIO');
      return 'ok';
    });
    await expect(shared.get('k', performance.now())).rejects.toThrow('EIO');
    expect((await shared.get('k', performance.now())).value).toBe('ok');
  });
});
