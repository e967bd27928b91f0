// Keep-alive connections to the upstream for the raw forwarding path. Each socket gets one set of
// listeners for its whole life, routed to whichever exchange uses it now (or to the pool while it
// is idle): attaching and removing listeners per request cost more than the routing.
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import type { UpstreamTarget } from './target-url';

/**
 * Idle sockets are closed after this long: below the 5 s keep-alive of uvicorn (which LiteLLM runs
 * on), so we drop an idle socket before the server does and rarely reuse a dead one.
 */
export const IDLE_SOCKET_MS = 4000;
const MAX_IDLE_PER_TARGET = 64;

/** Bytes read into one buffer, reused for the next read unless a reader kept a reference. */
const READ_BUFFER_BYTES = 64 * 1024;

/** The exchange a socket works for. */
export interface UpstreamUser {
  /**
   * Bytes from the upstream. `chunk` may be a view of a buffer the next read reuses: a user that
   * keeps a reference past this call (e.g. a write still queued) returns true.
   */
  onUpstreamData(chunk: Buffer): boolean;
  /** The upstream closed its side (FIN). */
  onUpstreamEnd(): void;
  onUpstreamError(error: Error): void;
  onUpstreamClose(): void;
  onUpstreamDrain(): void;
  /** One of the calls above threw: a bug. The user reports it and ends its exchange. */
  onInternalError(error: unknown): void;
}

export class UpstreamConnection {
  user: UpstreamUser | undefined;
  /** It served a request before this one: it may have been closed by the upstream meanwhile. */
  reused = false;

  constructor(
    readonly socket: Socket,
    private readonly pool: UpstreamPool,
    readonly key: string,
  ) {
    // TLS sockets deliver data events; plain ones call onRead directly (see UpstreamPool.connect).
    if (socket instanceof tls.TLSSocket) socket.on('data', (chunk: Buffer) => this.onRead(chunk));
    socket.on('end', () => {
      if (this.user) this.toUser((user) => user.onUpstreamEnd());
      else socket.destroy();
    });
    socket.on('error', (error: Error) => this.toUser((user) => user.onUpstreamError(error)));
    socket.on('close', () => {
      const user = this.user;
      this.user = undefined;
      this.pool.forget(this);
      if (user !== undefined) guarded(user, () => user.onUpstreamClose());
    });
    socket.on('drain', () => this.toUser((user) => user.onUpstreamDrain()));
    // Armed once for the socket's life (re-arming per request cost more than this check): after
    // IDLE_SOCKET_MS without a byte, an idle socket closes; a busy one (a slow answer) runs on.
    socket.setTimeout(IDLE_SOCKET_MS);
    socket.on('timeout', () => {
      if (!this.user) socket.destroy();
    });
  }

  /** Returns whether the chunk's buffer was kept (see UpstreamUser.onUpstreamData). */
  onRead(chunk: Buffer): boolean {
    const user = this.user;
    if (user) return guarded(user, () => user.onUpstreamData(chunk)) ?? false;
    this.socket.destroy(); // bytes nobody asked for: the connection is no longer in a known state
    return false;
  }

  private toUser(call: (user: UpstreamUser) => void): void {
    const user = this.user;
    if (user !== undefined) guarded(user, () => call(user));
  }

  /** Back to the pool for the next request; only after a complete response. */
  release(): void {
    this.user = undefined;
    this.pool.keep(this);
  }

  /** Never reused: closed at once (an abort, a failure, a response framed by close). */
  discard(): void {
    this.user = undefined;
    this.socket.destroy();
  }
}

/**
 * Runs a call into an exchange; a throw (a bug) goes to the exchange's own handler instead of
 * escaping into the event loop, where it would take the whole process and every other project down.
 */
function guarded<T>(user: UpstreamUser, call: () => T): T | undefined {
  try {
    return call();
  } catch (error) {
    user.onInternalError(error);
    return undefined;
  }
}

/**
 * A plain socket's reads go straight into one buffer and to the exchange, without a readable
 * stream's buffering and events: less work on every response and every streamed chunk. The buffer
 * is reused for the next read unless the exchange kept a reference (a write to a slow client still
 * queued); then the next read gets a new one.
 */
class DirectReads {
  connection: UpstreamConnection | undefined;
  private buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private kept = false;
  readonly onread = {
    buffer: (): Buffer => {
      if (this.kept) {
        this.buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
        this.kept = false;
      }
      return this.buffer;
    },
    callback: (bytes: number, into: Uint8Array): boolean => {
      this.kept = this.connection?.onRead((into as Buffer).subarray(0, bytes)) ?? false;
      return true; // keep reading (back-pressure pauses the socket itself)
    },
  };
}

export class UpstreamPool {
  private readonly idle = new Map<string, UpstreamConnection[]>();
  private readonly all = new Set<UpstreamConnection>();
  private destroyed = false;

  /** An idle connection to `target` (most recently used first), or a new one, working for `user`. */
  acquire(target: UpstreamTarget, user: UpstreamUser): UpstreamConnection {
    const idle = this.idle.get(target.poolKey);
    while (idle !== undefined && idle.length > 0) {
      const connection = idle.pop() as UpstreamConnection;
      // Idle sockets that closed or ended left the list already; this catches one destroyed just now.
      if (connection.socket.destroyed) continue;
      connection.user = user;
      connection.reused = true;
      return connection;
    }
    return this.connectFresh(target, user);
  }

  /** A fresh connection, never a pooled one (a retry after a pooled one turned out dead). */
  connectFresh(target: UpstreamTarget, user: UpstreamUser): UpstreamConnection {
    const connection = this.open(target);
    connection.user = user;
    return connection;
  }

  private open(target: UpstreamTarget): UpstreamConnection {
    // "localhost" may resolve to ::1 first while LiteLLM listens on 0.0.0.0: try both families.
    const options = { host: target.hostname, port: target.port, autoSelectFamily: true };
    if (target.protocol === 'https:') {
      const socket = tls.connect({ ...options, servername: net.isIP(target.hostname) ? undefined : target.hostname, ALPNProtocols: ['http/1.1'] });
      socket.setNoDelay(true); // SSE chunks are small: never hold one back waiting for an ACK
      return this.track(new UpstreamConnection(socket, this, target.poolKey));
    }
    const reads = new DirectReads();
    const socket = net.connect({ ...options, onread: reads.onread });
    socket.setNoDelay(true); // SSE chunks are small: never hold one back waiting for an ACK
    reads.connection = new UpstreamConnection(socket, this, target.poolKey);
    return this.track(reads.connection);
  }

  private track(connection: UpstreamConnection): UpstreamConnection {
    this.all.add(connection);
    return connection;
  }

  keep(connection: UpstreamConnection): void {
    const { socket } = connection;
    if (this.destroyed || socket.destroyed) {
      socket.destroy();
      return;
    }
    let idle = this.idle.get(connection.key);
    if (idle === undefined) this.idle.set(connection.key, (idle = []));
    if (idle.length >= MAX_IDLE_PER_TARGET) {
      socket.destroy();
      return;
    }
    idle.push(connection);
  }

  forget(connection: UpstreamConnection): void {
    this.all.delete(connection);
    const idle = this.idle.get(connection.key);
    const index = idle?.indexOf(connection) ?? -1;
    if (index !== -1) idle?.splice(index, 1);
  }

  /** Closes every connection, busy ones included. */
  destroy(): void {
    this.destroyed = true;
    for (const connection of this.all) connection.socket.destroy();
    this.idle.clear();
  }

  /** Open connections (idle and busy), for tests and stats. */
  size(): number {
    return this.all.size;
  }
}
