// The hand-off path's forwarder: requests on connections the raw path gave to Node's http.Server
// (HTTP/1.0, Expect, Upgrade, ...; see client-connection.ts) go to the upstream with node:http, and
// the answer is piped back: bytes, status and end-to-end headers exactly as they come, both
// directions streamed with back-pressure, nothing buffered whole. Fetch-based forwarding (hono's
// proxy()) cannot be exact (it decompresses bodies and rewrites accept-encoding) and measured about
// 8x slower (scripts/bench/proxy.mjs).
import http, { type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { CREDENTIAL_FIELDS, needsPeerProof, ownUid, planCredentials, type CredentialPlan, type RequestCredentials } from '../access/credentials';
import { ErrorBodyCapture } from './error-body-capture';
import { endToEndHeaders, isHopByHop } from './hop-by-hop';
import { attributedTo, buildIdentityHeaders, isOwnHeaderName, OWN_HEADER_PREFIX, type ProxyIdentity } from './identity-headers';
import { isEventStream, isJson } from './message-traits';
import { bodyKind, litellmHeaders, UsageCapture } from '../ledger/usage-capture';
import { ModelSniffer } from './model-sniffer';
import { openAiError, sseErrorEvent } from './openai-error';
import { peerOf } from './peer-of';
import { METADATA_REPLACED } from './raw-exchange';
import type { ProxyConfig } from './proxy-options';
import { recordExchange, type ExchangeRecorder, type RequestEntry } from './proxy-stats';
import { joinUpstreamPath } from './target-url';
import type { UpstreamAgents } from './upstream-agents';
import {
  connectionFailure,
  errorCodeOf,
  requestTooLarge,
  streamBrokeOffMessage,
  unrelayableResponse,
  upstreamTimeout,
  type ProxyFailure,
} from './upstream-failure';

export interface ForwardDeps extends ExchangeRecorder {
  agents: UpstreamAgents;
  /** The proxy is shutting down: answers carry `Connection: close`. */
  closing(): boolean;
  /** A request with no credentials from a peer not proven to be this account went without the key. */
  keyWithheld(socket: Socket): void;
}

/** Not forwarded besides the hop-by-hop set: we set Host, and Node already answered any Expect. */
const REPLACED_REQUEST_HEADERS = new Set(['host', 'expect']);

export function forwardRequest(req: IncomingMessage, res: ServerResponse, config: ProxyConfig, deps: ForwardDeps, identity: ProxyIdentity = config.identity): void {
  new Exchange(req, res, config, deps, identity).start();
}

/**
 * A request's trailer fields that may go upstream: never framing (Content-Length, Transfer-Encoding),
 * routing (Host), hop-by-hop, credentials or identity fields, which belong in the head only
 * (RFC 9110 §6.5.1); a downstream reader that merged trailers into the head would otherwise let a
 * client re-frame a message or forge its identity after the head was checked.
 */
function forwardableTrailers(rawTrailers: readonly string[], config: ProxyConfig): Array<[string, string]> {
  const kept: Array<[string, string]> = [];
  const fields = endToEndHeaders(rawTrailers, (name) => TRAILER_NEVER.has(name) || isOwnHeaderName(name, config.headerProfile) || (CREDENTIAL_FIELDS as readonly string[]).includes(name));
  for (let i = 0; i < fields.length; i += 2) kept.push([fields[i] as string, fields[i + 1] as string]);
  return kept;
}
const TRAILER_NEVER: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'host', 'content-type', 'content-encoding', 'content-range', 'trailer', 'expect', 'cookie', 'authorization']);

/** Connections whose replaced metadata the log has been told about (once per connection). */
const metadataNoted = new WeakSet<Socket>();

function requestCredentials(req: IncomingMessage): RequestCredentials {
  const credentials: RequestCredentials = {};
  for (const field of CREDENTIAL_FIELDS) {
    const value = req.headers[field];
    if (value !== undefined) credentials[field] = Array.isArray(value) ? value.join(', ') : value;
  }
  return credentials;
}

class Exchange {
  private readonly startedAt = performance.now();
  private readonly seq: number;
  private readonly at: number;
  private upstream: ClientRequest | undefined;
  private upstreamResponse: IncomingMessage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sniffer: ModelSniffer | undefined;
  /** The usage ledger's scanner of the answer (when the ledger is on). */
  private capture: UsageCapture | undefined;
  private bytesIn = 0;
  private bytesOut = 0;
  private ttfbMs: number | null = null;
  private streamed = false;
  private failure: RequestEntry['error'];
  private hasBody = false;
  private attempts = 0;
  private warning: string | undefined;
  private litellmVersion: string | undefined;
  /** The start of an error answer's JSON body, copied after it was piped on (see error-body-capture.ts). */
  private errorBody: ErrorBodyCapture | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly config: ProxyConfig,
    private readonly deps: ForwardDeps,
    private readonly identity: ProxyIdentity,
  ) {
    ({ seq: this.seq, at: this.at } = deps.stats.begin());
  }

  start(): void {
    const { req, res, config } = this;
    req.on('error', () => {}); // a client that goes away mid-upload: handled on res 'close'
    res.once('close', () => this.onClientClose());

    const declared = req.headers['content-length'];
    const length = declared === undefined ? 0 : Number(declared);
    if (length > config.bodyLimitBytes) {
      this.fail(requestTooLarge(config));
      return;
    }
    const chunked = req.headers['transfer-encoding'] !== undefined;
    this.hasBody = length > 0 || chunked;
    if (this.hasBody && isJson(req.headers['content-type']) && req.headers['content-encoding'] === undefined) {
      this.sniffer = new ModelSniffer();
    }
    const credentials = requestCredentials(req);
    const policy = { apiKey: config.apiKey, clientToken: config.clientToken() };
    if (!needsPeerProof(credentials, policy)) {
      this.send(this.upstreamHeaders(chunked, planCredentials(credentials, policy, false)));
      return;
    }
    // The body waits in the socket meanwhile: it is read once the upstream request exists.
    const socket = req.socket;
    void peerOf(socket).then((peer) => {
      if (this.failure !== undefined || res.destroyed) return;
      const uid = ownUid();
      const plan = planCredentials(credentials, policy, uid !== undefined && peer.uid === uid);
      if (plan.action === 'withhold') this.deps.keyWithheld(socket);
      this.send(this.upstreamHeaders(chunked, plan));
    });
  }

  private upstreamHeaders(chunked: boolean, credentials: CredentialPlan): string[] {
    const { req, config } = this;
    const own = buildIdentityHeaders(this.identity, config.headerProfile, req.headers);
    if (own.metadataReplaced && !metadataNoted.has(req.socket)) {
      metadataNoted.add(req.socket);
      this.warning = METADATA_REPLACED;
    }
    const dropped: readonly string[] = credentials.action === 'rewrite' ? credentials.drop : [];
    // Host and our identity first, each exactly once (see raw-exchange.ts), then the client's fields.
    const headers: string[] = ['Host', config.target.hostHeader];
    for (const [name, value] of Object.entries(own.headers)) headers.push(name, value);
    if (credentials.action === 'rewrite') for (const [name, value] of credentials.add) headers.push(name, value);
    headers.push(
      ...endToEndHeaders(
        req.rawHeaders,
        (name) => REPLACED_REQUEST_HEADERS.has(name) || Object.hasOwn(own.headers, name) || name.startsWith(OWN_HEADER_PREFIX) || dropped.includes(name),
      ),
    );
    // Keep the client's framing: Node only chunks bodies of some methods by default.
    if (chunked) headers.push('Transfer-Encoding', 'chunked');
    return headers;
  }

  private send(headers: string[]): void {
    const { req, config } = this;
    const { target } = config;
    this.attempts += 1;
    const secure = target.protocol === 'https:';
    const upstream = (secure ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: joinUpstreamPath(target.basePath, req.url ?? '/'),
      headers,
      setHost: false,
      agent: secure ? this.deps.agents.https : this.deps.agents.http,
    });
    this.upstream = upstream;
    upstream.on('response', (response) => this.onResponse(response));
    upstream.on('information', (info) => this.onInformational(info));
    upstream.on('error', (error) => this.onUpstreamError(upstream, error, headers));
    this.timer ??= setTimeout(() => this.onTimeout(), config.upstreamTimeoutMs);
    if (!this.hasBody) {
      upstream.end();
      return;
    }
    req.on('data', (chunk: Buffer) => this.onBodyChunk(chunk));
    // Ended by hand, not by pipe: the body's trailer fields (read and checked by llhttp) go along.
    req.pipe(upstream, { end: false });
    req.once('end', () => {
      if (upstream !== this.upstream || upstream.destroyed) return;
      const trailers = forwardableTrailers(req.rawTrailers, this.config);
      if (trailers.length > 0) upstream.addTrailers(trailers);
      upstream.end();
    });
  }

  private onBodyChunk(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    if (this.bytesIn > this.config.bodyLimitBytes) {
      this.req.unpipe();
      this.req.pause();
      this.upstream?.destroy();
      this.fail(requestTooLarge(this.config));
      return;
    }
    if (this.sniffer !== undefined && !this.sniffer.finished) this.sniffer.feed(chunk);
  }

  /**
   * 1xx responses pass on to HTTP/1.1 clients (never to HTTP/1.0 ones, RFC 9110 §15.2): those
   * Node's ServerResponse can write — 103 Early Hints, 102 Processing, 100 Continue.
   */
  private onInformational(info: http.InformationEvent): void {
    const { req, res } = this;
    if (this.failure !== undefined || res.headersSent || res.destroyed || req.httpVersionMinor === 0) return;
    if (info.statusCode === 103) {
      const hints: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(info.headers)) if (value !== undefined && !isHopByHop(name)) hints[name] = value;
      res.writeEarlyHints(hints);
    } else if (info.statusCode === 102) {
      res.writeProcessing();
    } else if (info.statusCode === 100) {
      res.writeContinue();
    }
  }

  private onResponse(response: IncomingMessage): void {
    const { res } = this;
    clearTimeout(this.timer);
    if (this.failure !== undefined || res.destroyed) {
      response.destroy();
      return;
    }
    this.upstreamResponse = response;
    const headers = endToEndHeaders(response.rawHeaders);
    if (this.deps.closing()) headers.push('Connection', 'close');
    this.streamed = isEventStream(response.headers['content-type']);
    // Exactly what came: no Date of our own.
    res.sendDate = false;
    try {
      res.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
    } catch (error) {
      // Only a status or header Node refuses to write (it parsed them, so this is very rare).
      response.destroy();
      this.upstreamResponse = undefined;
      this.fail(unrelayableResponse(this.config.target.url, (error as Error).message));
      return;
    }
    this.ttfbMs = performance.now() - this.startedAt;
    // A stream's first event may come much later: let the client see the status without waiting
    // for it. Deferred by one turn of the event loop so that a chunk already received goes out
    // with the headers in one write (one syscall and one wake-up of the client fewer).
    if (response.headers['content-length'] === undefined) {
      setImmediate(() => {
        if (this.bytesOut === 0 && !res.destroyed && !res.writableEnded) res.flushHeaders();
      });
    }
    const version = response.headers['x-litellm-version'];
    if (typeof version === 'string') this.litellmVersion = version;
    const contentEncoding = response.headers['content-encoding'];
    this.errorBody = ErrorBodyCapture.forResponse(response.statusCode ?? 502, response.headers['content-type'], contentEncoding);
    response.on('data', (chunk: Buffer) => {
      this.bytesOut += chunk.length;
    });
    response.on('error', () => {}); // ECONNRESET mid-body: handled on 'close' below
    response.on('close', () => {
      if (!response.complete) this.onUpstreamBrokeOff();
    });
    // Ended by hand, not by pipe: the body's trailer fields go along (framing fields never do).
    response.pipe(res, { end: false });
    response.once('end', () => {
      if (res.destroyed || res.writableEnded) return;
      const trailers = forwardableTrailers(response.rawTrailers, this.config);
      if (trailers.length > 0 && res.chunkedEncoding) res.addTrailers(trailers);
      res.end();
    });
    if (this.config.captureUsage) {
      const capture = new UsageCapture(bodyKind(this.streamed, isJson(response.headers['content-type'])), () => litellmHeaders(Object.entries(response.headers)));
      this.capture = capture;
      // Added after pipe(): each piece reaches the client before the capture copies it.
      response.on('data', (chunk: Buffer) => capture.feed(chunk, 0, chunk.length));
    }
    // Added after pipe's own listener, so each chunk is copied after it was written to the client.
    const errorBody = this.errorBody;
    if (errorBody !== undefined) response.on('data', (chunk: Buffer) => errorBody.add(chunk, 0, chunk.length));
  }

  /** The upstream dropped the connection after the response started. */
  private onUpstreamBrokeOff(): void {
    const { res } = this;
    if (this.failure !== undefined || res.writableEnded || res.destroyed) return;
    this.failure = 'upstream_reset';
    this.upstreamResponse?.unpipe(res);
    if (this.streamed && !res.hasHeader('content-length') && this.upstreamResponse?.headers['content-length'] === undefined) {
      // A streaming client sees a final error event it can raise, then the connection closes.
      res.end(sseErrorEvent('upstream_reset', streamBrokeOffMessage(this.config.target.url)), () => {
        res.socket?.destroySoon();
      });
      return;
    }
    res.destroy(); // the client sees a truncated body, never a complete-looking one
  }

  private onUpstreamError(upstream: ClientRequest, error: Error, headers: string[]): void {
    if (upstream !== this.upstream || this.failure !== undefined || this.res.destroyed) return;
    if (this.upstreamResponse) {
      this.onUpstreamBrokeOff();
      return;
    }
    const code = errorCodeOf(error);
    // A pooled socket the upstream had just closed: safe to retry once when there is no body to replay.
    if (upstream.reusedSocket && code === 'ECONNRESET' && !this.hasBody && this.attempts < 2) {
      this.send(headers);
      return;
    }
    this.fail(connectionFailure(error, this.config.target.url));
  }

  private onTimeout(): void {
    if (this.upstreamResponse || this.failure !== undefined) return;
    this.upstream?.destroy();
    this.fail(upstreamTimeout(this.config));
  }

  /** Answers the client with our own error, or cuts the connection if an answer already started. */
  private fail({ status, code, message }: ProxyFailure): void {
    const { req, res } = this;
    clearTimeout(this.timer);
    this.failure = code;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const body = JSON.stringify(openAiError(code, message));
    // A body we stopped reading must not be parsed as the next request: close the connection.
    const close = !req.complete || this.deps.closing();
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...(close ? { connection: 'close' } : {}),
    });
    this.ttfbMs = performance.now() - this.startedAt;
    res.end(body);
  }

  private onClientClose(): void {
    clearTimeout(this.timer);
    const { req, res } = this;
    if (!res.writableFinished) {
      // The client went away (or we cut it off): stop the upstream work at once.
      this.failure ??= 'client_aborted';
      this.upstream?.destroy();
      this.upstreamResponse?.destroy();
    } else if (!req.complete && this.hasBody) {
      // Answered before the body was read (e.g. an early 401): the rest cannot be framed, close.
      this.upstream?.destroy();
      req.socket?.destroySoon();
    }
    recordExchange(this.deps, {
      seq: this.seq,
      at: this.at,
      method: req.method ?? 'GET',
      target: req.url ?? '/',
      status: res.headersSent ? res.statusCode : undefined,
      startedAt: this.startedAt,
      ttfbMs: this.ttfbMs,
      streamed: this.streamed,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      model: this.sniffer?.model,
      error: this.failure,
      warning: this.warning,
      project: this.identity.projectPath,
      userAgent: req.headers['user-agent'],
      usage: this.capture,
      litellmVersion: this.litellmVersion,
      errorBody: this.errorBody,
      attributed: attributedTo(this.identity),
    });
  }
}
