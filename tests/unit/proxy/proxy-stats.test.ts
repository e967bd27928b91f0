import { describe, expect, it } from 'vitest';
import { percentile, ProxyStats, RECENT_REQUESTS_CAPACITY, type RequestEntry } from '../../../electron/core/proxy/proxy-stats';
import { RingBuffer } from '../../../electron/core/proxy/ring-buffer';

function entry(stats: ProxyStats, overrides: Partial<RequestEntry> = {}): RequestEntry {
  const { seq, at } = stats.begin();
  return { seq, at, method: 'GET', path: '/v1/models', status: 200, durationMs: 10, ttfbMs: 5, streamed: false, bytesIn: 1, bytesOut: 2, project: '/work/demo', attribution: 'port', client: 'other', ...overrides };
}

describe('RingBuffer', () => {
  it('keeps the newest items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i += 1) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });
  it('rejects a useless capacity', () => expect(() => new RingBuffer(0)).toThrow(RangeError));
});

describe('ProxyStats', () => {
  it('counts requests, errors, aborts, bytes and in-flight', () => {
    const stats = new ProxyStats();
    const a = entry(stats);
    const b = entry(stats, { status: 502, error: 'upstream_unreachable' });
    const c = entry(stats, { status: 499, error: 'client_aborted' });
    expect(stats.snapshot().inFlight).toBe(3);
    for (const e of [a, b, c]) stats.end(e);
    stats.refuse();
    expect(stats.snapshot()).toMatchObject({ requests: 3, errors: 1, aborted: 1, refused: 1, bytesIn: 3, bytesOut: 6, inFlight: 0 });
    expect(stats.recent().map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('bounds the recent list', () => {
    const stats = new ProxyStats();
    for (let i = 0; i < RECENT_REQUESTS_CAPACITY + 50; i += 1) stats.end(entry(stats));
    const recent = stats.recent();
    expect(recent).toHaveLength(RECENT_REQUESTS_CAPACITY);
    expect(recent.at(-1)?.seq).toBe(RECENT_REQUESTS_CAPACITY + 50);
  });

  it('computes latency percentiles', () => {
    const stats = new ProxyStats();
    expect(stats.snapshot().latencyMs).toEqual({ p50: null, p95: null });
    for (let ms = 1; ms <= 100; ms += 1) stats.end(entry(stats, { durationMs: ms }));
    expect(stats.snapshot().latencyMs).toEqual({ p50: 50, p95: 95 });
  });

  it('percentile uses nearest rank', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});
