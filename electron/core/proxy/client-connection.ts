// One client connection on the raw forwarding path: reads request heads, applies the guard, and
// runs one RawExchange at a time (a pipelined next request waits, paused, until the current response
// ended). A request this path does not take — our own endpoints, HTTP/1.0, Expect or Upgrade, a head
// it cannot parse strictly — is handed, with the connection, to Node's http.Server
// at that request's first byte: from then on Node serves the connection exactly as before.
import type { Socket } from 'node:net';
import { needsPeerProof, ownUid, planCredentials, type RequestCredentials } from '../access/credentials';
import type { PeerFacts } from '../net/peer';
import type { HeadFields } from './http1/head-fields';
import { parseRequestHead } from './http1/request-head';
import { peerOf } from './peer-of';
import type { ProxyConfig } from './proxy-options';
import { isOwnEndpoint } from './proxy-app';
import { checkRequest, type GuardPolicy, type GuardRefusal } from './request-guard';
import { CLIENT_KEEP_ALIVE_SECONDS, errorResponse, RawExchange, type ExchangeClient, type ExchangeDeps } from './raw-exchange';

/** Longer than the idle timeouts of common HTTP clients' pools, so the proxy is rarely the side that closes. */
export const CLIENT_KEEP_ALIVE_MS = CLIENT_KEEP_ALIVE_SECONDS * 1000;

export interface ConnectionHost extends ExchangeDeps {
  config(): ProxyConfig;
  guard(): GuardPolicy;
  closing(): boolean;
  /** Counts a request the guard refused. */
  refused(): void;
  exchangeStarted(): void;
  /** Node's http.Server takes the connection (the bytes read of its next request were put back). */
  handOff(socket: Socket): void;
  /** A request with no credentials from a peer not proven to be this account went without the key. */
  keyWithheld(socket: Socket): void;
  forget(connection: ClientConnection): void;
}

export class ClientConnection implements ExchangeClient {
  /** Bytes read and not yet consumed: a head in progress, or a pipelined request. */
  private buffer: Buffer | undefined;
  private exchange: RawExchange | undefined;
  /** We decided to close: nothing more is read. */
  private closing = false;
  private pausedForUpstream = false;
  private pausedForPipeline = false;
  /**
   * The upstream deadline of this connection's exchanges (one at a time): one timer for the
   * connection's life, restarted per exchange and never cleared in between, since creating and
   * clearing a timer per request cost more than the rest of its bookkeeping on an idle machine.
   * When it fires after an exchange got its answer, it does nothing.
   */
  private upstreamTimer: NodeJS.Timeout | undefined;
  private upstreamTimerMs = 0;
  /** Who is on the other end, once looked up (only when a request needs it: see startNext). */
  private peer: PeerFacts | undefined;
  /** A request waits for a peer lookup (see waitFor): its bytes stay in `buffer`, reading is paused. */
  private waitingForPeer = false;
  /** The run log has been told that this connection's spend-logs metadata was replaced. */
  private metadataNoted = false;

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(CLIENT_KEEP_ALIVE_MS);
    this.listen('on');
  }

  /** Our listeners on the socket: attached for this path, every one removed at a hand-off. */
  private listen(method: 'on' | 'off'): void {
    const { socket } = this;
    socket[method]('data', this.onData);
    socket[method]('end', this.onEnd);
    socket[method]('error', this.onError);
    socket[method]('close', this.onClose);
    socket[method]('drain', this.onDrain);
    socket[method]('timeout', this.onTimeout);
  }

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.read(chunk);
    } catch (error) {
      // A bug must cost this connection, never the process (and every other project with it).
      this.host.internalError(error, 'reading a request');
      this.socket.destroy();
    }
  };

  private read(chunk: Buffer): void {
    if (this.closing) return;
    const exchange = this.exchange;
    if (exchange !== undefined) {
      const next = exchange.takeClientBytes(chunk);
      if (next !== undefined && this.exchange === exchange && !this.closing) this.holdForLater(next);
      return;
    }
    this.buffer = this.buffer === undefined ? chunk : Buffer.concat([this.buffer, chunk]);
    if (!this.waitingForPeer) this.startNext();
  }

  /** A pipelined request: kept until the current response ended, reading paused meanwhile. */
  private holdForLater(bytes: Buffer): void {
    this.buffer = this.buffer === undefined ? bytes : Buffer.concat([this.buffer, bytes]);
    this.pausedForPipeline = true;
    this.socket.pause();
  }

  private startNext(): void {
    const buffer = this.buffer;
    if (buffer === undefined) return;
    const config = this.host.config();
    if (!config.rawPath) {
      this.handOff();
      return;
    }
    // A head that did not arrive whole goes to llhttp too: it judges each byte as it comes (refusing
    // at once what it refuses) and enforces the head timeout against slow clients. Real clients
    // write a head in one piece, so this path keeps nearly every request.
    const parsed = parseRequestHead(buffer);
    if (parsed.status !== 'complete' || isOwnEndpoint(parsed.head.target)) {
      this.handOff();
      return;
    }
    const { head } = parsed;
    const { fields } = head;
    const refusal = checkRequest(
      {
        url: head.target,
        host: fields.host,
        origin: fields.origin,
        secFetchSite: fields.secFetchSite,
        hostFields: fields.repeated?.has('host') === true ? 2 : fields.host === undefined ? 0 : 1,
        fields: fields.names.length,
      },
      this.host.guard(),
    );
    if (refusal !== undefined) {
      this.refuse(refusal, head.method);
      return;
    }
    const credentials = requestCredentials(fields);
    const policy = { apiKey: config.apiKey, clientToken: config.clientToken() };
    if (this.peer === undefined && needsPeerProof(credentials, policy)) {
      this.waitFor(peerOf(this.socket), {}, (facts) => {
        this.peer = facts;
      });
      return;
    }
    const { attribution } = config;
    // A port that decides the project per request learns who is on the other end once per connection.
    const preparing = attribution?.prepare(this.socket);
    if (preparing !== undefined) {
      this.waitFor(preparing, undefined, () => {});
      return;
    }
    const uid = ownUid();
    const plan = planCredentials(credentials, policy, uid !== undefined && this.peer?.uid === uid);
    if (plan.action === 'withhold') this.host.keyWithheld(this.socket);
    this.buffer = undefined;
    this.host.exchangeStarted();
    const identity = attribution === undefined ? config.identity : attribution.identityFor(this.socket, config.identity);
    const exchange = new RawExchange(this, head, config, this.host, plan, identity);
    this.exchange = exchange;
    const rest = exchange.start(buffer.length > head.length ? buffer.subarray(head.length) : EMPTY);
    if (rest !== undefined && this.exchange === exchange && !this.closing) this.holdForLater(rest);
  }

  /**
   * Waits for a fact about the other end (its account, or who it is for attribution), then goes on
   * with the request that needed it. Other connections are not held up. A lookup that fails (a bug:
   * lookups answer "unknown" rather than fail) is reported and counts as `unknown`.
   */
  private waitFor<T>(pending: Promise<T>, unknown: T, learnt: (value: T) => void): void {
    this.waitingForPeer = true;
    this.socket.pause();
    const settled = pending.catch((error: unknown) => {
      this.host.internalError(error, 'looking up who is on the other end of a connection');
      return unknown;
    });
    void settled.then((value) => {
      learnt(value);
      this.waitingForPeer = false;
      if (this.closing || this.exchange !== undefined) return;
      if (!this.pausedForPipeline) this.socket.resume();
      this.startNext();
    });
  }

  /** Once per connection: whether the run log should say that the client's metadata was replaced. */
  noteMetadataReplaced(): boolean {
    if (this.metadataNoted) return false;
    this.metadataNoted = true;
    return true;
  }

  // ------------------------------------------------------------------ ExchangeClient

  closesAfterExchange(): boolean {
    return this.closing || this.host.closing() || (this.exchange?.clientAskedToClose ?? false);
  }

  startUpstreamDeadline(ms: number): void {
    if (this.upstreamTimer !== undefined && this.upstreamTimerMs === ms) {
      this.upstreamTimer.refresh();
      return;
    }
    clearTimeout(this.upstreamTimer);
    this.upstreamTimerMs = ms;
    this.upstreamTimer = setTimeout(() => this.exchange?.onDeadline(), ms);
    // The connection's own socket keeps the process alive while it is open, never this timer.
    this.upstreamTimer.unref();
  }

  pauseForUpstream(paused: boolean): void {
    if (this.pausedForUpstream === paused) return;
    this.pausedForUpstream = paused;
    if (paused) this.socket.pause();
    else if (!this.pausedForPipeline) this.socket.resume();
  }

  exchangeDone(keepAlive: boolean): void {
    this.exchange = undefined;
    this.host.config().attribution?.ended(this.socket);
    this.pausedForUpstream = false;
    if (!keepAlive || this.host.closing()) {
      this.close();
      return;
    }
    if (this.pausedForPipeline) {
      this.pausedForPipeline = false;
      this.socket.resume();
      // Not from inside the exchange that just ended: its callers may still be on the stack.
      setImmediate(() => {
        if (this.exchange === undefined && !this.closing) this.startNext();
      });
    } else if (this.socket.isPaused()) {
      this.socket.resume();
    }
  }

  // ------------------------------------------------------------------ the connection

  /** Ends the connection once what was written went out. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.buffer = undefined;
    this.socket.destroySoon();
  }

  /** At shutdown: an idle connection closes now, a busy one after its response. */
  closeIfIdle(): void {
    if (this.exchange === undefined && this.buffer === undefined) this.close();
  }

  get busy(): boolean {
    return this.exchange !== undefined;
  }

  private refuse(refusal: GuardRefusal, method: string): void {
    this.host.refused();
    // The refused request's body is never read: close rather than parse it as the next request.
    this.socket.write(errorResponse(refusal.status, refusal.code, refusal.message, true, method));
    this.close();
  }

  private handOff(): void {
    const { socket } = this;
    this.listen('off');
    socket.setTimeout(0);
    clearTimeout(this.upstreamTimer);
    socket.pause();
    if (this.buffer !== undefined) socket.unshift(this.buffer);
    this.buffer = undefined;
    this.host.forget(this);
    this.host.handOff(socket);
    socket.resume();
  }

  private readonly onEnd = (): void => {
    // Like Node's http.Server: a client that closed its side has gone away; its request is aborted.
    const exchange = this.exchange;
    this.exchange = undefined;
    exchange?.onClientClose();
    this.close();
  };

  private readonly onError = (): void => {
    // ECONNRESET and the like: 'close' follows and ends any exchange.
  };

  private readonly onClose = (): void => {
    this.closing = true;
    clearTimeout(this.upstreamTimer);
    const exchange = this.exchange;
    this.exchange = undefined;
    exchange?.onClientClose();
    this.host.forget(this);
  };

  private readonly onDrain = (): void => {
    this.exchange?.onClientDrain();
  };

  // The idle timer stays armed for the connection's life (re-arming it per request cost more than
  // this check): it fires after CLIENT_KEEP_ALIVE_MS without a byte either way, and only an idle
  // connection is closed then. An LLM call may take minutes without a byte: that one runs on.
  private readonly onTimeout = (): void => {
    if (this.exchange === undefined) this.socket.destroy();
  };
}

const EMPTY = Buffer.alloc(0);

function requestCredentials(fields: HeadFields): RequestCredentials {
  const credentials: RequestCredentials = {};
  if (fields.authorization !== undefined) credentials.authorization = fields.authorization;
  if (fields.xApiKey !== undefined) credentials['x-api-key'] = fields.xApiKey;
  if (fields.litellmApiKey !== undefined) credentials['x-litellm-api-key'] = fields.litellmApiKey;
  if (fields.azureApiKey !== undefined) credentials['api-key'] = fields.azureApiKey;
  return credentials;
}
