// The per-OS readers of "who holds the client end of this connection", on the text each OS prints.
import { describe, expect, it } from 'vitest';
import { findSocketRow } from '../../../electron/core/net/peer/proc-net-tcp';
import { lsofPeerArgs, parseLsofPeer } from '../../../electron/core/net/peer/lsof-peer';
import { parseNetstatPeer } from '../../../electron/core/net/peer/netstat-peer';
import { addressKey, procAddressKey } from '../../../electron/core/net/peer/tcp-address';

const client = { address: '127.0.0.1', port: 54321 };
const server = { address: '127.0.0.1', port: 8887 };

describe('addresses', () => {
  it('spells one address one way whoever printed it', () => {
    expect(addressKey('127.0.0.1')).toBe('v4:7f000001');
    expect(addressKey('::ffff:127.0.0.1')).toBe('v4:7f000001');
    expect(addressKey('[::1]')).toBe(`v6:${'0'.repeat(31)}1`);
    expect(addressKey('fe80::1%eth0')).toBe('v6:fe800000000000000000000000000001');
    expect(procAddressKey('0100007F', true)).toBe('v4:7f000001');
    expect(procAddressKey('7F000001', false)).toBe('v4:7f000001');
    expect(procAddressKey('00000000000000000000000001000000', true)).toBe(`v6:${'0'.repeat(31)}1`);
    expect(procAddressKey('0000000000000000FFFF00000100007F', true)).toBe('v4:7f000001');
  });

  it('refuses text that is no address', () => {
    for (const text of ['', 'localhost', '256.0.0.1', '1.2.3', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9']) expect(addressKey(text)).toBeUndefined();
    expect(procAddressKey('XYZ')).toBeUndefined();
  });
});

describe('/proc/net/tcp rows', () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  // Both ends of one loopback connection, plus a TIME_WAIT leftover of an earlier one on the same ports.
  const table =
    header +
    '   0: 0100007F:22B7 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0000000000000000 100 0 0 10 0\n' +
    '   1: 0100007F:D431 0100007F:22B7 06 00000000:00000000 03:00000D1A 00000000     0        0 0 3 0000000000000000\n' +
    '   2: 0100007F:D431 0100007F:22B7 01 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 20 4 30 10 -1\n' +
    '   3: 0100007F:22B7 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1\n';

  it("finds the client's end, never ours or a closed one", () => {
    expect(findSocketRow(table, client, server)).toEqual({ uid: 1000, inode: '4242' });
    expect(findSocketRow(table, server, client)).toEqual({ uid: 0, inode: '4343' });
  });

  it('says nothing when the socket is gone or only a closed one is left', () => {
    const closedOnly = header + table.split('\n')[2] + '\n';
    expect(findSocketRow(closedOnly, client, server)).toBeUndefined();
    expect(findSocketRow(table, { address: '127.0.0.2', port: 54321 }, server)).toBeUndefined();
    expect(findSocketRow('', client, server)).toBeUndefined();
  });
});

describe('lsof', () => {
  it('asks for the client endpoint and picks the process whose socket starts there', () => {
    expect(lsofPeerArgs(client)).toEqual(['-nP', '-iTCP@127.0.0.1:54321', '-Fpn']);
    expect(lsofPeerArgs({ address: '::1', port: 5 })).toEqual(['-nP', '-iTCP@[::1]:5', '-Fpn']);
    const output = ['p100', 'f7', 'n127.0.0.1:8887->127.0.0.1:54321', 'p200', 'f31', 'n127.0.0.1:54321->127.0.0.1:8887', ''].join('\n');
    expect(parseLsofPeer(output, client, server)).toBe(200);
    expect(parseLsofPeer('p100\nf7\nn127.0.0.1:8887->127.0.0.1:54321\n', client, server)).toBeUndefined();
    expect(parseLsofPeer('p300\nn[::1]:54321->[::1]:8887\n', { address: '::1', port: 54321 }, { address: '::1', port: 8887 })).toBe(300);
  });
});

describe('netstat', () => {
  it("picks the row whose local end is the client's", () => {
    const output = [
      'Active Connections',
      '',
      '  Proto  Local Address          Foreign Address        State           PID',
      '  TCP    127.0.0.1:8887         0.0.0.0:0              LISTENING       10',
      '  TCP    127.0.0.1:8887         127.0.0.1:54321        ESTABLISHED     10',
      '  TCP    127.0.0.1:54321        127.0.0.1:8887         ESTABLISHED     4711',
      '  TCP    [::1]:50000            [::1]:8887             ESTABLISHED     4712',
    ].join('\r\n');
    expect(parseNetstatPeer(output, client, server)).toBe(4711);
    expect(parseNetstatPeer(output, { address: '::1', port: 50000 }, { address: '::1', port: 8887 })).toBe(4712);
    expect(parseNetstatPeer(output, { address: '127.0.0.1', port: 1 }, server)).toBeUndefined();
  });
});
