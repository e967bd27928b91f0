// The upstream pool on real loopback sockets: keep-alive reuse, and the read buffer that plain
// sockets read into, which is reused for the next read only when the exchange kept no reference.
import net, { type AddressInfo, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTargetUrl } from '../../../electron/core/proxy/target-url';
import { UpstreamPool, type UpstreamUser } from '../../../electron/core/proxy/upstream-pool';
import { waitFor } from '../../helpers/wait';

/** A user that records each read's bytes and backing memory, answering `keep` for each. */
function recordingUser(keep: (index: number) => boolean) {
  const reads: { text: string; memory: ArrayBufferLike; offset: number }[] = [];
  const user: UpstreamUser = {
    onUpstreamData: (chunk) => {
      reads.push({ text: chunk.toString('latin1'), memory: chunk.buffer, offset: chunk.byteOffset });
      return keep(reads.length - 1);
    },
    onUpstreamEnd: () => {},
    onUpstreamError: () => {},
    onUpstreamClose: () => {},
    onUpstreamDrain: () => {},
    onInternalError: (error) => {
      throw error;
    },
  };
  return { user, reads };
}

describe('UpstreamPool', async () => {
  const sockets: Socket[] = [];
  // Each connection sends "one", then "two" 50 ms later: two separate reads.
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.write('one');
    setTimeout(() => socket.write('two'), 50);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = parseTargetUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const pool = new UpstreamPool();
  afterAll(async () => {
    pool.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads the next bytes into the same buffer when the reader kept nothing', async () => {
    const { user, reads } = recordingUser(() => false);
    pool.connectFresh(target, user);
    await waitFor('two reads', () => reads.length === 2);
    expect(reads.map((read) => read.text)).toEqual(['one', 'two']);
    expect(reads[1]?.memory).toBe(reads[0]?.memory);
  });

  it('reads into a new buffer once the reader kept a reference to the last one', async () => {
    const { user, reads } = recordingUser(() => true);
    pool.connectFresh(target, user);
    await waitFor('two reads', () => reads.length === 2);
    expect(reads.map((read) => read.text)).toEqual(['one', 'two']);
    expect(reads[1]?.memory).not.toBe(reads[0]?.memory);
  });

  it('hands a released connection to the next user, most recently used first', async () => {
    const first = recordingUser(() => false);
    const connection = pool.connectFresh(target, first.user);
    await waitFor('both reads', () => first.reads.length === 2);
    connection.release();
    const second = recordingUser(() => false);
    const reused = pool.acquire(target, second.user);
    expect(reused).toBe(connection);
    expect(reused.reused).toBe(true);
  });
});
