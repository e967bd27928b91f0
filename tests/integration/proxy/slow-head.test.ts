// A client that trickles its request head (slowloris) is answered 408 and cut off once the head
// deadline passes, however often it sends a byte. The deadline is Node's 66 s in the product; the
// connection is built here with a short one so the test stays fast.
import net, { type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ClientConnection, type ConnectionHost } from '../../../electron/core/proxy/client-connection';
import type { ProxyConfig } from '../../../electron/core/proxy/proxy-options';
import { ProxyStats } from '../../../electron/core/proxy/proxy-stats';
import { UpstreamPool } from '../../../electron/core/proxy/upstream-pool';

function hostWithHeadDeadline(headersTimeoutMs: number): ConnectionHost {
  const unexpected = (what: string) => () => {
    throw new Error(`a trickled head must never reach ${what}`);
  };
  return {
    pool: new UpstreamPool(),
    stats: new ProxyStats(),
    onEntry: unexpected('onEntry'),
    // Read first, to know whether the raw path is on; nothing else of it is needed for a trickled head.
    config: () => ({ rawPath: true }) as ProxyConfig,
    guard: unexpected('guard'),
    closing: () => false,
    headersTimeoutMs,
    refused: unexpected('refused'),
    exchangeStarted: unexpected('exchangeStarted'),
    handOff: unexpected('handOff'),
    keyWithheld: unexpected('keyWithheld'),
    forget: () => {},
  };
}

describe('request head deadline', async () => {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => new ClientConnection(socket, hostWithHeadDeadline(300)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 408 and closes a connection whose head is still incomplete at the deadline', async () => {
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
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
    expect(answer).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sent).toBeGreaterThan(3);
  });
});
