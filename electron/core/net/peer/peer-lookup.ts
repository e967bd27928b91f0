// Who is on the other end of a loopback connection: the local account (uid) and process (PID)
// that opened its client end. One lookup per connection, bounded in time; any failure or timeout
// is "unknown", never an error. The key gate uses the uid (core/access), attribution the PID.
import { execFile } from 'node:child_process';
import { lookupSocketRow } from './proc-net-tcp';
import { findSocketOwner } from './socket-owner';
import { lsofPeerArgs, parseLsofPeer } from './lsof-peer';
import { NETSTAT_PEER_ARGS, parseNetstatPeer } from './netstat-peer';
import type { TcpEndpoint } from './tcp-address';

export type { TcpEndpoint } from './tcp-address';

/** Both ends of an accepted connection, as our side sees them. */
export interface ConnectionEnds {
  /** The client's end (our socket's remote address and port). */
  client: TcpEndpoint;
  /** Our end (our socket's local address and port). */
  server: TcpEndpoint;
}

export interface PeerFacts {
  /** The account that opened the client's socket (Linux only). */
  uid?: number;
  /** The process holding the client's socket. */
  pid?: number;
}

export interface PeerLookupOptions {
  /** Also find the PID (costlier than the uid on Linux: a scan of /proc/<pid>/fd). */
  pid: boolean;
  /** Give up after this long; what was found by then is the answer. */
  timeoutMs: number;
  /** PIDs to try first when scanning for the socket's owner. */
  candidates?: readonly number[];
  platform?: NodeJS.Platform;
}

/** Connection ends from an accepted socket; undefined when the socket is already gone. */
export function connectionEnds(socket: { remoteAddress?: string; remotePort?: number; localAddress?: string; localPort?: number }): ConnectionEnds | undefined {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (remoteAddress === undefined || remotePort === undefined || localAddress === undefined || localPort === undefined) return undefined;
  return { client: { address: remoteAddress, port: remotePort }, server: { address: localAddress, port: localPort } };
}

export async function lookupPeer(ends: ConnectionEnds, options: PeerLookupOptions): Promise<PeerFacts> {
  const platform = options.platform ?? process.platform;
  const deadline = Date.now() + options.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const facts: PeerFacts = {};
  const work = (async () => {
    if (platform === 'linux') {
      const row = await lookupSocketRow(ends.client, ends.server);
      if (row === undefined) return;
      facts.uid = row.uid;
      if (!options.pid) return;
      const pid = await findSocketOwner([row.inode], { deadline, ...(options.candidates ? { candidates: options.candidates } : {}) });
      if (pid !== undefined) facts.pid = pid;
      return;
    }
    if (!options.pid) return;
    const remaining = Math.max(1, deadline - Date.now());
    const pid =
      platform === 'win32'
        ? parseNetstatPeer(await run('netstat', NETSTAT_PEER_ARGS, remaining), ends.client, ends.server)
        : parseLsofPeer(await run('lsof', lsofPeerArgs(ends.client), remaining), ends.client, ends.server);
    if (pid !== undefined) facts.pid = pid;
  })().catch(() => {});
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, options.timeoutMs);
    timer.unref();
  });
  await Promise.race([work, timeout]);
  clearTimeout(timer);
  // A copy: work still running after the deadline must not change an answer already given.
  return { ...facts };
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, windowsHide: true, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout) => resolve(String(stdout ?? '')));
  });
}
