// The facts about a client connection's other end (core/net/peer), looked up at most once per
// connection and shared by both forwarding paths: a connection the raw path handed to node:http
// keeps what was already found.
import type { Socket } from 'node:net';
import { connectionEnds, lookupPeer, type PeerFacts } from '../net/peer';

/** Reading the kernel's socket table takes well under a millisecond; this bounds a stalled read. */
const UID_LOOKUP_MS = 1000;

interface Lookups {
  uid?: Promise<PeerFacts>;
  full?: Promise<PeerFacts>;
}

const bySocket = new WeakMap<Socket, Lookups>();
const UNKNOWN: PeerFacts = Object.freeze({});

/**
 * The peer's account (and, with `pid`, its process), bounded by `pidTimeoutMs` for the PID. A
 * connection already gone, or a platform that cannot tell, answers {}.
 */
export function peerOf(socket: Socket, options: { pid: boolean; pidTimeoutMs?: number; candidates?: readonly number[] } = { pid: false }): Promise<PeerFacts> {
  let lookups = bySocket.get(socket);
  if (lookups === undefined) {
    lookups = {};
    bySocket.set(socket, lookups);
  }
  if (lookups.full !== undefined) return lookups.full;
  if (!options.pid && lookups.uid !== undefined) return lookups.uid;
  const ends = connectionEnds(socket);
  const lookup =
    ends === undefined
      ? Promise.resolve(UNKNOWN)
      : lookupPeer(ends, {
          pid: options.pid,
          timeoutMs: options.pid ? (options.pidTimeoutMs ?? UID_LOOKUP_MS) : UID_LOOKUP_MS,
          ...(options.candidates ? { candidates: options.candidates } : {}),
        });
  if (options.pid) lookups.full = lookup;
  else lookups.uid = lookup;
  return lookup;
}
