// A client that trickles its request head (slowloris) is answered 408 and cut off once the head
// deadline passes, however often it sends a byte; a head not complete in its first read is Node's
// to judge. The deadline is 66 s in the product; the proxy is built here with a short one.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRig } from './proxy-fixture';

describe('request head deadline', async () => {
  const { proxy } = await startRig({ headersTimeoutMs: 400 });

  it('answers 408 and closes a connection whose head is still incomplete at the deadline', async () => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    socket.on('error', () => {}); // a byte written after the cut-off fails: expected
    const head = 'GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
    let sent = 0;
    // One byte every 50 ms: never idle long enough for an idle timeout, never a complete head.
    const trickle = setInterval(() => socket.write(head[sent++ % head.length] ?? 'x'), 50);
    const started = Date.now();
    let answer = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sent).toBeGreaterThan(3);
  });
});
