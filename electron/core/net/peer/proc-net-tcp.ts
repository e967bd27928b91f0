// Linux: the kernel's table of TCP sockets (/proc/net/tcp and tcp6). On loopback the client's end
// of a connection is in it too, with the uid that created it and its socket inode: from our side of
// a connection (its remote address and port) this says which local account, and through the inode
// which process, is on the other end — without spawning anything.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { SharedReads } from './shared-reads';
import { procAddressKey, addressKey, type TcpEndpoint } from './tcp-address';

export interface TcpSocketRow {
  uid: number;
  /** The socket's inode; '0' for a socket no process holds any more (closing, TIME_WAIT). */
  inode: string;
}

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'] as const;

/**
 * The row of the socket whose local end is `local` and remote end is `remote`, in one table's
 * text; undefined when it is not there. Rows of sockets no process holds (inode 0, uid 0) are
 * skipped: their uid says nothing about who opened them.
 */
export function findSocketRow(tableText: string, local: TcpEndpoint, remote: TcpEndpoint): TcpSocketRow | undefined {
  const localKey = addressKey(local.address);
  const remoteKey = addressKey(remote.address);
  if (localKey === undefined || remoteKey === undefined) return undefined;
  const localPort = `:${hexPort(local.port)}`;
  const remotePort = `:${hexPort(remote.port)}`;
  // Rows are found by their ports first (a substring test); only candidates are split and decoded.
  let from = tableText.indexOf(localPort);
  while (from !== -1) {
    const lineStart = tableText.lastIndexOf('\n', from) + 1;
    let lineEnd = tableText.indexOf('\n', from);
    if (lineEnd === -1) lineEnd = tableText.length;
    const fields = tableText.slice(lineStart, lineEnd).trim().split(/\s+/);
    const [localField, remoteField] = [fields[1] ?? '', fields[2] ?? ''];
    if (localField.endsWith(localPort) && remoteField.endsWith(remotePort)) {
      const inode = fields[9] ?? '0';
      if (
        inode !== '0' &&
        procAddressKey(localField.slice(0, -5)) === localKey &&
        procAddressKey(remoteField.slice(0, -5)) === remoteKey
      ) {
        const uid = Number(fields[7]);
        if (Number.isInteger(uid) && uid >= 0) return { uid, inode };
      }
    }
    from = tableText.indexOf(localPort, lineEnd);
  }
  return undefined;
}

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

/** One read of a table at a time, shared by the lookups that arrive meanwhile (see shared-reads.ts). */
const tables = new SharedReads<string>((table) => readFile(table, 'latin1').catch(() => ''));

/** Reads the tables (IPv4 first when the address is IPv4) until the socket is found. */
export async function lookupSocketRow(local: TcpEndpoint, remote: TcpEndpoint): Promise<TcpSocketRow | undefined> {
  const since = performance.now();
  const v4 = addressKey(local.address)?.startsWith('v4:') ?? true;
  for (const table of v4 ? TABLES : ([...TABLES].reverse() as string[])) {
    const read = await tables.get(table, since);
    let row = findSocketRow(read.value, local, remote);
    // A shared read that began before we asked may predate this connection: look once more.
    if (row === undefined && !read.fresh) row = findSocketRow(await tables.again(table, since), local, remote);
    if (row !== undefined) return row;
  }
  return undefined;
}
