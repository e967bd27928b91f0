// The proxy's side of attribution: a port whose project is decided per request (the shared IDE
// port) is given one of these. The proxy knows nothing of processes, IDEs or windows; it asks once
// per connection for the facts to be gathered (bounded in time by the implementation, never failing)
// and once per request for the identity, before the request's head is written upstream.
import type { Socket } from 'node:net';
import type { ProxyIdentity } from './identity-headers';

export interface RequestAttribution {
  /**
   * Starts learning who is on the other end of this connection, once. Undefined when the facts are
   * known already (every later request of the connection); otherwise a promise that settles within
   * the implementation's bound and never rejects. Requests of the connection wait for it; other
   * connections do not.
   */
  prepare(socket: Socket): Promise<void> | undefined;
  /** The identity of the request starting now on this connection (`base`: the port's own identity). */
  identityFor(socket: Socket, base: ProxyIdentity): ProxyIdentity;
  /** A response on this connection ended: the next request within a few seconds keeps its project. */
  ended(socket: Socket): void;
}
