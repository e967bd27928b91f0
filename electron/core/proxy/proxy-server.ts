// One running proxy: listens, forwards, counts, can be reconfigured live and closed gracefully.
// Connections go the raw path (client-connection.ts, raw-exchange.ts); the few requests it does not
// take are handed to a never-listening http.Server (own endpoints via hono, the rest via forwarder.ts).
import { getRequestListener } from '@hono/node-server';
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { bindError, InterceptorError } from '../errors';
import { formatInternalError } from '../internal-errors';
import { CLIENT_KEEP_ALIVE_MS, ClientConnection, type ConnectionHost } from './client-connection';
import { forwardRequest, type ForwardDeps } from './forwarder';
import { openAiError } from './openai-error';
import { processName } from '../net/peer/process-name';
import { peerOf } from './peer-of';
import { createProxyApp, isOwnEndpoint } from './proxy-app';
import { DEFAULT_PROXY_HOST, resolveProxyConfig, type ProxyConfig, type ProxyOptions, type ProxyUpdate } from './proxy-options';
import { ProxyStats, type ProxyStatsSnapshot, type RequestEntry } from './proxy-stats';
import { allowedHostHeaders, checkRequest, guardedRequest, isWildcardHost, type GuardPolicy, type GuardRefusal } from './request-guard';
import { createUpstreamAgents, destroyUpstreamAgents } from './upstream-agents';
import { UpstreamPool } from './upstream-pool';
import { UpstreamReachability } from './upstream-reachability';

export const DEFAULT_CLOSE_GRACE_MS = 5000;
/** At shutdown, how long finished connections get to flush their last bytes before they are cut. */
const FLUSH_MS = 1000;

/** Who was refused the key: as much of the peer as could be learnt. */
export interface KeyWithheld {
  uid?: number;
  pid?: number;
  /** The peer process's name, when its PID could be read. */
  command?: string;
}

export interface ProxyEvents {
  /** One per forwarded request, when it ended. */
  request: [entry: RequestEntry];
  /**
   * A request carrying no credentials came from a peer not proven to be this OS account and was
   * forwarded without the key. At most once per connection.
   */
  'key-withheld': [peer: KeyWithheld];
  /** A failure of the server itself after it started (never a failed request: those are entries). */
  error: [error: Error];
  /**
   * A bug met while serving (a throwing 'request' listener, one of our own endpoints failing), for
   * the log, once. Without a listener it goes to stderr: never nowhere.
   */
  'internal-error': [error: unknown, where: string];
}

export interface RunningProxy {
  readonly host: string;
  readonly port: number;
  /** The base URL to paste into an IDE: http://127.0.0.1:<port>/v1. */
  readonly url: string;
  config(): ProxyConfig;
  stats(): ProxyStatsSnapshot;
  /** Recent requests, oldest first, bounded. */
  recent(): RequestEntry[];
  /** New requests use the new settings; requests in flight finish with the ones they started with. */
  update(update: ProxyUpdate): void;
  /** Stops accepting, lets requests in flight finish for up to graceMs, then cuts the rest. */
  close(options?: { graceMs?: number }): Promise<void>;
  on<E extends keyof ProxyEvents>(event: E, listener: (...args: ProxyEvents[E]) => void): this;
  off<E extends keyof ProxyEvents>(event: E, listener: (...args: ProxyEvents[E]) => void): this;
}

function urlHost(host: string): string {
  if (isWildcardHost(host)) return '127.0.0.1';
  return host.includes(':') ? `[${host.replace(/^\[(.*)\]$/, '$1')}]` : host;
}

class ProxyServer extends EventEmitter<ProxyEvents> implements RunningProxy {
  private current: ProxyConfig;
  private options: ProxyOptions;
  private guardPolicy: GuardPolicy;
  private readonly statsStore = new ProxyStats();
  private readonly agents = createUpstreamAgents();
  private readonly pool = new UpstreamPool();
  private readonly reachability = new UpstreamReachability();
  /** Accepts every connection; requests go the raw forwarding path (client-connection.ts). */
  private readonly server: net.Server;
  /** Never listens: serves the connections the raw path hands over (own endpoints, unusual requests). */
  private readonly handoffServer: http.Server;
  private readonly connections = new Set<ClientConnection>();
  private readonly connectionHost: ConnectionHost;
  private readonly forwardDeps: ForwardDeps;
  private inFlight = 0;
  private readonly withheldSockets = new WeakSet<Socket>();
  private namingPeer = false;
  private drained: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  port = 0;

  constructor(
    options: ProxyOptions,
    readonly host: string,
  ) {
    super();
    this.options = options;
    this.current = resolveProxyConfig(options);
    this.guardPolicy = { allowedHosts: new Set(), allowedOrigins: this.current.allowedOrigins };
    this.forwardDeps = {
      agents: this.agents,
      stats: this.statsStore,
      closing: () => this.closing !== undefined,
      onEntry: (entry) => this.onEntry(entry),
      keyWithheld: (socket) => this.keyWithheld(socket),
    };
    const app = createProxyApp({
      config: () => this.current,
      guard: () => this.guardPolicy,
      stats: this.statsStore,
      startedAt: Date.now(),
      upstreamReachable: (config) => this.reachability.check(config.target.hostname, config.target.port),
      forward: (req, res, config) => this.forward(req, res, config),
    });
    app.onError((error, c) => {
      this.reportInternalError(error, `${c.req.method} ${c.req.path}`);
      return c.json({ error: { message: 'internal error in the Interceptor proxy; see its log', type: 'server_error', code: 'internal_error' } }, 500);
    });
    // autoCleanupIncoming off: the forwarder owns request bodies (it pipes them or closes).
    const honoListener = getRequestListener(app.fetch, { overrideGlobalObjects: false, autoCleanupIncoming: false });
    // Handed-over requests that cannot be one of our own endpoints skip hono's routing: the guard,
    // then the forwarder, straight away (hono's per-request machinery cost a fifth of the CPU).
    // Node's head timeout is the one against slow clients (slowloris): every head not complete in
    // its first read is handed here. Checked every few seconds (Node's default interval is 30 s).
    const headersTimeout = this.current.headersTimeoutMs;
    this.handoffServer = http.createServer({ headersTimeout, connectionsCheckingInterval: Math.min(5000, headersTimeout) }, (req, res) => {
      if (isOwnEndpoint(req.url ?? '/')) {
        void honoListener(req, res);
        return;
      }
      const refusal = checkRequest(guardedRequest(req), this.guardPolicy);
      if (refusal) this.refuse(res, refusal);
      else this.forward(req, res, this.current);
    });
    this.handoffServer.keepAliveTimeout = CLIENT_KEEP_ALIVE_MS;
    // Every field reaches the guard, which refuses more than MAX_REQUEST_FIELDS with 431 (Node would
    // keep the first 2,000 and lose the rest, Host among them); the head size bounds them anyway.
    this.handoffServer.maxHeadersCount = 0;
    this.connectionHost = {
      pool: this.pool,
      stats: this.statsStore,
      onEntry: (entry) => this.onEntry(entry),
      config: () => this.current,
      guard: () => this.guardPolicy,
      closing: () => this.closing !== undefined,
      refused: () => this.statsStore.refuse(),
      exchangeStarted: () => {
        this.inFlight += 1;
      },
      handOff: (socket) => this.handoffServer.emit('connection', socket),
      keyWithheld: (socket) => this.keyWithheld(socket),
      internalError: (error, where) => this.reportInternalError(error, where),
      forget: (connection) => this.connections.delete(connection),
    };
    // allowHalfOpen as Node's http.Server sets it: connections handed to it must behave as its own.
    this.server = net.createServer({ allowHalfOpen: true }, (socket: Socket) => {
      this.connections.add(new ClientConnection(socket, this.connectionHost));
    });
  }

  private forward(req: IncomingMessage, res: ServerResponse, config: ProxyConfig): void {
    this.inFlight += 1;
    const { attribution } = config;
    if (attribution === undefined) {
      forwardRequest(req, res, config, this.forwardDeps);
      return;
    }
    const { socket } = req;
    res.once('close', () => attribution.ended(socket));
    const send = (): void => forwardRequest(req, res, config, this.forwardDeps, attribution.identityFor(socket, config.identity));
    const preparing = attribution.prepare(socket);
    if (preparing === undefined) {
      send();
      return;
    }
    void preparing.then(() => {
      if (!res.destroyed) {
        send();
        return;
      }
      // The client left while its connection was being looked up: nothing was begun, nothing to record.
      this.inFlight -= 1;
      if (this.closing !== undefined && this.inFlight === 0) this.drained?.();
    });
  }

  /** The same answer the hono guard middleware gives, for requests that bypass hono. */
  private refuse(res: ServerResponse, refusal: GuardRefusal): void {
    this.statsStore.refuse();
    const body = JSON.stringify(openAiError(refusal.code, refusal.message));
    // The refused request's body is never read: close rather than parse it as the next request.
    res.writeHead(refusal.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  }

  get url(): string {
    return `http://${urlHost(this.host)}:${this.port}/v1`;
  }

  async listen(): Promise<void> {
    const requested = this.current.identity.port;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(bindError(error, this.host, requested));
      this.server.once('error', onError);
      this.server.listen(requested, this.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    // Starts http.Server's connection tracking (idle/all connection closing, header timeouts)
    // for the connections it is handed; it never listens itself.
    this.handoffServer.emit('listening');
    this.server.on('error', (error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
      else this.reportInternalError(error, 'the listening socket');
    });
    if (requested === 0) this.setOptions({ ...this.options, identity: { ...this.options.identity, port: this.port } });
    this.guardPolicy = { allowedHosts: allowedHostHeaders(this.host, this.port), allowedOrigins: this.current.allowedOrigins };
  }

  private setOptions(options: ProxyOptions): void {
    this.current = resolveProxyConfig(options);
    this.options = options;
    this.guardPolicy = { allowedHosts: this.guardPolicy.allowedHosts, allowedOrigins: this.current.allowedOrigins };
  }

  /**
   * Tells who was refused the key, once per connection. The process is looked up only then, in the
   * background (the request has already gone), and one lookup at a time: a flood of keyless
   * requests from another account costs one scan, not one per request.
   */
  private keyWithheld(socket: Socket): void {
    if (this.withheldSockets.has(socket)) return;
    this.withheldSockets.add(socket);
    if (this.listenerCount('key-withheld') === 0 || this.namingPeer) return;
    this.namingPeer = true;
    // The account is known already (it decided); the process is found while the client is still there.
    void Promise.all([peerOf(socket), peerOf(socket, { pid: true, pidTimeoutMs: 1000 })])
      .then(async ([account, { uid = account.uid, pid }]) => {
        const command = pid === undefined ? undefined : await processName(pid);
        this.emit('key-withheld', { ...(uid !== undefined ? { uid } : {}), ...(pid !== undefined ? { pid } : {}), ...(command ? { command } : {}) });
      })
      .finally(() => {
        this.namingPeer = false;
      });
  }

  private onEntry(entry: RequestEntry): void {
    this.inFlight -= 1;
    if (this.closing !== undefined) {
      // Its connection is idle now: let it go instead of waiting for the keep-alive timeout.
      setImmediate(() => this.handoffServer.closeIdleConnections());
      if (this.inFlight === 0) this.drained?.();
    }
    if (this.listenerCount('request') > 0) {
      try {
        this.emit('request', entry);
      } catch (error) {
        // A listener's bug must not break the proxy.
        this.reportInternalError(error, "a 'request' listener");
      }
    }
  }

  private reportInternalError(error: unknown, where: string): void {
    if (this.listenerCount('internal-error') > 0) this.emit('internal-error', error, where);
    else console.error(formatInternalError(error, `proxy on port ${this.port}: ${where}`, this.current.apiKey ? [this.current.apiKey] : []).text);
  }

  config(): ProxyConfig {
    return this.current;
  }

  stats(): ProxyStatsSnapshot {
    return this.statsStore.snapshot();
  }

  recent(): RequestEntry[] {
    return this.statsStore.recent();
  }

  update(update: ProxyUpdate): void {
    const identity = update.identity ?? this.options.identity;
    const { projectPath, port } = this.current.identity;
    if (identity.projectPath !== projectPath || (identity.port !== port && identity.port !== this.options.identity.port)) {
      throw new InterceptorError('INVALID_ARGUMENT', 'a running proxy cannot change its project or port: start another one');
    }
    this.setOptions({
      ...this.options,
      ...update,
      identity: { ...identity, port },
      headerProfile: { ...this.options.headerProfile, ...update.headerProfile },
    });
  }

  close(options: { graceMs?: number } = {}): Promise<void> {
    this.closing ??= this.shutDown(options.graceMs ?? DEFAULT_CLOSE_GRACE_MS);
    return this.closing;
  }

  private async shutDown(graceMs: number): Promise<void> {
    // Resolves once every accepted connection closed, handed-off ones included.
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.closeIfIdle();
    this.handoffServer.closeIdleConnections();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // Whatever still runs after the grace period is cut, upstream requests included; finished
    // connections get a moment to flush their last response first.
    for (const connection of this.connections) {
      if (connection.busy) connection.socket.destroy();
      else connection.close();
    }
    this.handoffServer.closeAllConnections();
    this.handoffServer.close(() => {}); // stops its timers; it was never listening, so no callback error matters
    let flushTimer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (flushTimer = setTimeout(resolve, FLUSH_MS)))]);
    clearTimeout(flushTimer);
    for (const connection of this.connections) connection.socket.destroy();
    await closed;
    this.pool.destroy();
    destroyUpstreamAgents(this.agents);
  }
}

/** Starts a proxy; binding errors arrive as InterceptorError (PORT_IN_USE, PORT_PERMISSION, ...). */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const proxy = new ProxyServer(options, options.host ?? DEFAULT_PROXY_HOST);
  await proxy.listen();
  return proxy;
}
