// One request forwarded on raw sockets: the client's head is rewritten (identification headers,
// Host, hop-by-hop removed) and every body byte passes as it came, in both directions, framing
// included. Only the heads are parsed; bodies are scanned for their end, never copied or re-framed.
// This is the proxy's hot path: per request it costs one read and one write on each side, and no
// stream objects, which is what lets it keep up with the upstream (scripts/bench/proxy.mjs).
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connectionOptionNames, isHopByHop } from './hop-by-hop';
import type { HeadFields } from './http1/head-fields';
import { BodyFramingError, bodyScanner, frameChunk, LAST_CHUNK, type MessageBody } from './http1/message-body';
import { ErrorBodyCapture } from './error-body-capture';
import type { RequestHead } from './http1/request-head';
import { parseResponseHead, type ResponseHead } from './http1/response-head';
import type { CredentialPlan } from '../access/credentials';
import { attributedTo, buildIdentityHeaders, IDENTITY_HEADER, OWN_HEADER_PREFIX, type HeaderProfile, type ProxyIdentity } from './identity-headers';
import { isEventStream, isJson } from './message-traits';
import { fieldPairs } from '../ledger/field-pairs';
import { bodyKind, litellmHeaders, UsageCapture } from '../ledger/usage-capture';
import { ModelSniffer } from './model-sniffer';
import { openAiError, sseErrorEvent, type ProxyErrorCode } from './openai-error';
import type { ProxyConfig } from './proxy-options';
import { recordExchange, type ExchangeRecorder, type RequestEntry } from './proxy-stats';
import { joinUpstreamPath, pathEnd } from './target-url';
import {
  closedWithoutAnswer,
  connectionFailure,
  errorCodeOf,
  requestTooLarge,
  streamBrokeOffMessage,
  unrelayableResponse,
  upstreamTimeout,
  type ProxyFailure,
} from './upstream-failure';
import type { UpstreamConnection, UpstreamPool, UpstreamUser } from './upstream-pool';

/** What an exchange needs from the client connection it serves. */
export interface ExchangeClient {
  readonly socket: Socket;
  /** The connection closes after this exchange (client asked, it half-closed, or we shut down). */
  closesAfterExchange(): boolean;
  pauseForUpstream(paused: boolean): void;
  /** Calls this exchange's onDeadline after `ms` unless it has its answer by then. */
  startUpstreamDeadline(ms: number): void;
  /** The response ended (keepAlive: the connection may carry the next request). */
  exchangeDone(keepAlive: boolean): void;
  /** True the first time per connection: the log tells of replaced metadata once per connection. */
  noteMetadataReplaced(): boolean;
}

export interface ExchangeDeps extends ExchangeRecorder {
  pool: UpstreamPool;
  /** A bug: reported once with its stack (core/internal-errors.ts). */
  internalError(error: unknown, where: string): void;
}

/** Sent on every response we keep the connection open after, as Node's http.Server does. */
export const CLIENT_KEEP_ALIVE_SECONDS = 65;
const KEEP_ALIVE_HEADERS = `Connection: keep-alive\r\nKeep-Alive: timeout=${CLIENT_KEEP_ALIVE_SECONDS}\r\n`;
const CLOSE_HEADER = 'Connection: close\r\n';

/** Left out of a chunked response (the client gets one framing only), and of a repeated one (sent once). */
const isContentLength = (name: string): boolean => name === 'content-length';
/** Request body bytes kept for the model sniffer before it must read them (see sniff). */
const SNIFF_BATCH_BYTES = 64 * 1024;

/** A complete response carrying one of our own errors, in OpenAI's error shape (no body for HEAD). */
export function errorResponse(status: number, code: ProxyErrorCode, message: string, close: boolean, method: string): string {
  const body = JSON.stringify(openAiError(code, message));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n${close ? CLOSE_HEADER : KEEP_ALIVE_HEADERS}\r\n${method === 'HEAD' ? '' : body}`
  );
}

/**
 * The field lines of a message's end-to-end fields, exactly as received: hop-by-hop fields, the ones
 * its Connection header names, and those `drop` names are left out. Kept lines are sliced from the
 * head's text in runs (usually one or two per message), never rebuilt one by one.
 */
function endToEndLines(fields: HeadFields, drop: ((name: string) => boolean) | undefined): string {
  const { names } = fields;
  const named = connectionOptionNames(fields.connection);
  let text = '';
  let runStart = 0;
  for (let field = 0; field < names.length; field += 1) {
    const name = names[field] as string;
    if (isHopByHop(name) || drop?.(name) === true || (named.length > 0 && named.includes(name))) {
      if (runStart < field) text += fields.lines(runStart, field);
      runStart = field + 1;
    }
  }
  if (runStart < names.length) text += fields.lines(runStart, names.length);
  return text;
}

export const METADATA_REPLACED = 'the client sent x-litellm-spend-logs-metadata that is not exactly one JSON object: replaced by ours';

/** Bodies up to this size go out in one string with their head (see withHead). */
const SMALL_BODY_BYTES = 16 * 1024;

/**
 * A head and the body bytes that follow it, ready for one plain write (no corking, no vectored
 * write). A small body joins the head as latin1 text, which maps every byte to itself: the head was
 * parsed out of such text already, so this takes no code path the request has not just warmed, and
 * Node writes the string without a Buffer of ours. Measured with timestamps in the running proxy,
 * building a Buffer instead (allocate, write the head, copy the body) was the largest single step
 * before the upstream write, because its code paths were cold on each request.
 */
function withHead(head: string, body: Buffer): Buffer | string {
  if (body.length === 0) return head;
  if (body.length <= SMALL_BODY_BYTES) return head + body.toString('latin1');
  const out = Buffer.allocUnsafe(head.length + body.length);
  out.write(head, 0, 'latin1');
  body.copy(out, head.length);
  return out;
}

/** Our header lines for an identity, and the client's fields they replace (Host among them). */
interface OwnHeaderBlock {
  text: string;
  replaces: ReadonlySet<string>;
  /** The client's spend-logs metadata could not be read exactly and ours replaced it. */
  metadataReplaced: boolean;
}

/** The blocks for requests that carry no headers of ours to merge: the same on every one. */
const ownHeaderBlocks = new WeakMap<ProxyIdentity, WeakMap<HeaderProfile, OwnHeaderBlock>>();
const NO_HEADERS = Object.freeze({});

function ownHeaderBlock(identity: ProxyIdentity, profile: HeaderProfile, fields: HeadFields): OwnHeaderBlock {
  // A client that sent tags or spend-logs metadata gets ours merged with (or replacing) its own.
  const merges = fields.tags !== undefined || fields.spendLogsMetadata !== undefined;
  const cached = merges ? undefined : ownHeaderBlocks.get(identity)?.get(profile);
  if (cached !== undefined) return cached;
  const incoming = merges ? { [IDENTITY_HEADER.tags]: fields.tags, [IDENTITY_HEADER.spendLogsMetadata]: fields.spendLogsMetadata } : NO_HEADERS;
  const own = buildIdentityHeaders(identity, profile, incoming);
  let text = '';
  for (const name in own.headers) text += `${name}: ${own.headers[name]}\r\n`;
  const block = { text, replaces: new Set(['host', ...Object.keys(own.headers)]), metadataReplaced: own.metadataReplaced };
  if (!merges) {
    let byProfile = ownHeaderBlocks.get(identity);
    if (byProfile === undefined) ownHeaderBlocks.set(identity, (byProfile = new WeakMap()));
    byProfile.set(profile, block);
  }
  return block;
}

/** Our credential lines for a request (the token swapped for the key, or the key added), and the client fields they drop. */
function credentialLines(plan: CredentialPlan): { text: string; drop: readonly string[] } {
  if (plan.action !== 'rewrite') return NO_CREDENTIAL_CHANGE;
  let text = '';
  for (const [name, value] of plan.add) text += `${name}: ${value}\r\n`;
  return { text, drop: plan.drop };
}
const NO_CREDENTIAL_CHANGE = Object.freeze({ text: '', drop: Object.freeze([]) as readonly string[] });

export class RawExchange implements UpstreamUser {
  private readonly startedAt = performance.now();
  private readonly seq: number;
  private readonly at: number;
  private upstream: UpstreamConnection | undefined;
  private upstreamHead = '';
  private attempts = 0;
  private readonly requestBody: MessageBody | undefined;
  private requestDone: boolean;
  /** The request body is JSON the model can be read from, and the model is not known yet. */
  private sniffing: boolean;
  /** Created the first time there is a body piece to read (see sniff): most of a request's work comes first. */
  private sniffer: ModelSniffer | undefined;
  /** Response bytes received before its head was complete. */
  private pendingHead: Buffer | undefined;
  private response: ResponseHead | undefined;
  /** This upstream read's bytes are referenced by a write still queued (see onUpstreamData). */
  private keptRead = false;
  /** The client's response head while it waits for the first body bytes (see onResponseHead). */
  private heldHead: string | undefined;
  private responseBody: MessageBody | undefined;
  /** The start of an error answer's JSON body, copied after it was written (see error-body-capture.ts). */
  private errorBody: ErrorBodyCapture | undefined;
  private status = 0;
  private headSent = false;
  private closeAfter = false;
  private streamed = false;
  private bytesIn = 0;
  private bytesOut = 0;
  private ttfbMs: number | null = null;
  private failure: RequestEntry['error'];
  private finished = false;
  private waitingForClientDrain = false;
  /** Request body pieces the model sniffer has yet to read (see sniff), and their size. */
  private readonly toSniff: Buffer[] = [];
  private toSniffBytes = 0;
  private readonly countIn = (buffer: Buffer, start: number, end: number): void => {
    this.bytesIn += end - start;
    if (this.sniffing) {
      this.toSniff.push(buffer.subarray(start, end));
      this.toSniffBytes += end - start;
    }
  };
  /** The usage ledger's scanner of the answer (when the ledger is on). */
  private capture: UsageCapture | undefined;
  /** Payload ranges of the current upstream read, fed to the capture once they were written. */
  private readonly captureRanges: number[] = [];
  private readonly countOut = (_buffer: Buffer, start: number, end: number): void => {
    this.bytesOut += end - start;
    if (this.capture !== undefined) this.captureRanges.push(start, end);
  };

  /** The client's spend-logs metadata was replaced by ours (the run log says so once per connection). */
  metadataReplaced = false;

  constructor(
    private readonly client: ExchangeClient,
    private readonly head: RequestHead,
    private readonly config: ProxyConfig,
    private readonly deps: ExchangeDeps,
    /** What this request's credentials become (see core/access/credentials.ts). */
    private readonly credentials: CredentialPlan,
    /** Who the request is attributed to: the proxy's project, unless decided per request. */
    private readonly identity: ProxyIdentity = config.identity,
  ) {
    ({ seq: this.seq, at: this.at } = deps.stats.begin());
    const { body, fields } = head;
    this.requestBody = bodyScanner(body);
    this.requestDone = this.requestBody === undefined;
    this.sniffing = !this.requestDone && isJson(fields.contentType) && fields.contentEncoding === undefined;
  }

  /** Starts forwarding with the bytes that followed the head; returns the bytes past this request. */
  start(rest: Buffer): Buffer | undefined {
    const { head, config } = this;
    if (head.body.kind === 'length' && head.body.length > config.bodyLimitBytes) {
      this.fail(requestTooLarge(config));
      return undefined;
    }
    this.upstreamHead = this.buildUpstreamHead();
    // The body bytes that came with the head, checked before anything goes upstream.
    const bodyEnd = this.requestBody === undefined ? 0 : this.scanRequestBytes(rest);
    if (bodyEnd === undefined) return undefined;
    const body = bodyEnd === -1 ? rest : rest.subarray(0, bodyEnd);
    const { socket } = this.connect(false);
    // latin1: a string from withHead carries one byte per character; a Buffer ignores the encoding.
    if (!socket.write(withHead(this.upstreamHead, body), 'latin1')) this.client.pauseForUpstream(true);
    // Armed after the write: the request goes out first, the deadline is for its answer.
    this.client.startUpstreamDeadline(config.upstreamTimeoutMs);
    if (this.toSniffBytes > SNIFF_BATCH_BYTES) this.sniff();
    if (bodyEnd === -1) return undefined;
    this.requestDone = true;
    return bodyEnd < rest.length ? rest.subarray(bodyEnd) : undefined;
  }

  /** More bytes from the client: body, then (when it pipelines) the next request, returned. */
  takeClientBytes(chunk: Buffer): Buffer | undefined {
    if (this.requestDone) return chunk;
    if (this.failure !== undefined) return undefined; // a body we no longer forward: the connection closes
    const end = this.scanRequestBytes(chunk);
    if (end === undefined) return undefined;
    const body = end === -1 ? chunk : chunk.subarray(0, end);
    // No upstream any more: it answered early (and the connection closes after it).
    if (this.upstream !== undefined && !this.upstream.socket.write(body)) this.client.pauseForUpstream(true);
    if (this.toSniffBytes > SNIFF_BATCH_BYTES) this.sniff();
    if (end === -1) return undefined;
    this.requestDone = true;
    return end < chunk.length ? chunk.subarray(end) : undefined;
  }

  /**
   * Where the request body ends in `chunk` (-1: not in it), counting it against the limit; undefined
   * when it broke the framing or the limit (the client has its answer then).
   */
  private scanRequestBytes(chunk: Buffer): number | undefined {
    if (chunk.length === 0) return -1;
    let end: number;
    try {
      end = (this.requestBody as MessageBody).scan(chunk, 0, this.countIn);
    } catch (error) {
      if (!(error instanceof BodyFramingError)) throw error;
      this.fail({ status: 400, code: 'invalid_request_body', message: `the request body's chunked framing is invalid (${error.message})` });
      return undefined;
    }
    if (this.bytesIn > this.config.bodyLimitBytes) {
      this.fail(requestTooLarge(this.config));
      return undefined;
    }
    return end;
  }

  /**
   * Reads the model from the body pieces kept so far. Reading it is bookkeeping, so it waits until
   * the exchange ended (or 64 KiB of body are kept: the memory is bounded). Done after any write
   * before that, it delays whoever the write woke: scheduler traces of back-to-back streams show
   * client, proxy and upstream taking turns on one CPU, so the 25–37 µs it took landed on the
   * request's or the first chunk's way.
   */
  private sniff(): void {
    const { toSniff } = this;
    if (!this.sniffing || toSniff.length === 0) return;
    const sniffer = (this.sniffer ??= new ModelSniffer());
    for (const piece of toSniff) if (!sniffer.finished) sniffer.feed(piece);
    this.sniffing = !sniffer.finished;
    toSniff.length = 0;
    this.toSniffBytes = 0;
  }

  private buildUpstreamHead(): string {
    const { head, config } = this;
    const { fields } = head;
    const own = ownHeaderBlock(this.identity, config.headerProfile, fields);
    this.metadataReplaced = own.metadataReplaced;
    const credentials = credentialLines(this.credentials);
    // Host and our identity are ours to set, each exactly once and before the client's fields (a
    // downstream limit on the number of fields drops the last ones); the rest of the client's
    // end-to-end fields pass as they came.
    const theirs = endToEndLines(
      fields,
      (name) => own.replaces.has(name) || name.startsWith(OWN_HEADER_PREFIX) || (credentials.drop.length > 0 && credentials.drop.includes(name)),
    );
    const text = `${head.method} ${joinUpstreamPath(config.target.basePath, head.target)} HTTP/1.1\r\nHost: ${config.target.hostHeader}\r\nConnection: keep-alive\r\n${own.text}${credentials.text}${theirs}`;
    return `${text}\r\n`;
  }

  private connect(fresh: boolean): UpstreamConnection {
    this.attempts += 1;
    const { pool } = this.deps;
    this.upstream = fresh ? pool.connectFresh(this.config.target, this) : pool.acquire(this.config.target, this);
    return this.upstream;
  }

  // ------------------------------------------------------------------ upstream → client

  /** Returns true when a reference to `chunk` was kept (a write to the client still queued). */
  onUpstreamData(chunk: Buffer): boolean {
    this.keptRead = false;
    if (this.response !== undefined) {
      this.forwardResponseBytes(chunk, 0);
      return this.keptRead;
    }
    let buffer = this.pendingHead === undefined ? chunk : Buffer.concat([this.pendingHead, chunk]);
    let offset = 0;
    for (;;) {
      const parsed = parseResponseHead(buffer, offset, this.head.method);
      if (parsed.status === 'incomplete') {
        // A copy: the read buffer is reused for the next read.
        this.pendingHead = Buffer.from(offset === 0 ? buffer : buffer.subarray(offset));
        return false;
      }
      if (parsed.status === 'invalid') {
        this.fail(unrelayableResponse(this.config.target.url, parsed.reason));
        return false;
      }
      const { head } = parsed;
      offset += head.length;
      if (head.status >= 200) {
        this.pendingHead = undefined;
        this.onResponseHead(head, buffer, offset);
        return this.keptRead;
      }
      // 1xx: a 101 would switch protocols we never asked for; the others (103 Early Hints, 102
      // Processing, even an unasked 100) pass on to the client, which speaks HTTP/1.1 on this path.
      if (head.status === 101) {
        this.fail(unrelayableResponse(this.config.target.url, 'unrequested protocol switch'));
        return false;
      }
      this.relayInformational(head);
      if (offset === buffer.length) {
        this.pendingHead = undefined;
        return false;
      }
      buffer = buffer.subarray(offset);
      offset = 0;
    }
  }

  private relayInformational(head: ResponseHead): void {
    if (this.client.socket.destroyed) return;
    this.client.socket.write(`HTTP/1.1 ${head.status} ${head.reason}\r\n${endToEndLines(head.fields, undefined)}\r\n`, 'latin1');
  }

  private onResponseHead(response: ResponseHead, buffer: Buffer, bodyStart: number): void {
    this.response = response;
    this.status = response.status;
    this.streamed = isEventStream(response.fields.contentType);
    if (this.config.captureUsage) {
      const { fields } = response;
      this.capture = new UsageCapture(bodyKind(this.streamed, isJson(fields.contentType)), () => litellmHeaders(fieldPairs(fields)));
    }
    const { body } = response;
    this.responseBody = bodyScanner(body);
    // Chunked bodies are not kept: their bytes here still carry the framing (LiteLLM's errors have a length).
    if (body.kind !== 'chunked') this.errorBody = ErrorBodyCapture.forResponse(response.status, response.fields.contentType, response.fields.contentEncoding);
    // The rest of an unread request body cannot be framed as a next request: close after this one.
    this.closeAfter = this.client.closesAfterExchange() || !this.requestDone || body.kind === 'close';
    // Chunked framing wins over a Content-Length sent with it (RFC 9112 §6.3): the client gets one framing only.
    const repeatedLength = body.kind === 'length' && (response.fields.repeated?.has('content-length') === true || response.fields.contentLength?.includes(',') === true);
    let fields = endToEndLines(response.fields, body.kind === 'chunked' || repeatedLength ? isContentLength : undefined);
    // Identical repeated values (RFC 9110 §8.6) reach the client as one: strict clients refuse two.
    if (repeatedLength) fields += `Content-Length: ${(body as { length: number }).length}\r\n`;
    let text = `HTTP/1.1 ${response.status} ${response.reason}\r\n${fields}`;
    // The codings as the upstream named them (usually just chunked): hop-by-hop, so re-sent as ours.
    if (response.fields.transferEncoding !== undefined) text += `Transfer-Encoding: ${response.fields.transferEncoding}\r\n`;
    text += this.closeAfter ? CLOSE_HEADER : KEEP_ALIVE_HEADERS;
    text += '\r\n';
    this.headSent = true;
    this.ttfbMs = performance.now() - this.startedAt;
    // The head goes out with the first body bytes, in one write (writeToClient).
    this.heldHead = text;
    if (body.kind === 'none') {
      this.releaseHead();
      this.onResponseComplete(bodyStart === buffer.length);
      return;
    }
    if (bodyStart === buffer.length) {
      // Only the head so far: it goes out at once. Holding it for two passes of the event loop, so
      // that a first event written right after it could join it in one write, rarely paid off: in
      // 60 back-to-back benchmark streams the head came alone 36 times and the event joined it 3
      // times (the upstream wrote it only once the proxy had blocked: they shared a CPU). And an
      // LLM's first token comes long after the head anyway.
      this.releaseHead();
      return;
    }
    this.forwardResponseBytes(buffer, bodyStart);
    // A body that began with nothing to relay (a chunked body's first bytes split mid-size): head alone.
    this.releaseHead();
  }

  private forwardResponseBytes(buffer: Buffer, start: number): void {
    const body = this.responseBody;
    if (body === undefined) {
      // Framed by the upstream closing the connection: everything is body.
      if (start < buffer.length) this.countOut(buffer, start, buffer.length);
      this.writeToClient(start === 0 ? buffer : buffer.subarray(start));
      this.feedCapture(buffer);
      this.errorBody?.add(buffer, start, buffer.length);
      return;
    }
    let end: number;
    try {
      end = body.scan(buffer, start, this.countOut);
    } catch (error) {
      if (!(error instanceof BodyFramingError)) throw error;
      this.failure = 'upstream_failed';
      this.upstream?.discard();
      this.upstream = undefined;
      // What was valid goes out; then the connection closes mid-body, so the client sees a
      // broken body, never a complete-looking one.
      if (error.at > start) this.writeToClient(buffer.subarray(start, error.at));
      this.feedCapture(buffer);
      this.releaseHead();
      this.closeAfter = true;
      this.finish();
      this.client.exchangeDone(false);
      return;
    }
    const last = end === -1 ? buffer.length : end;
    if (last > start) this.writeToClient(start === 0 && last === buffer.length ? buffer : buffer.subarray(start, last));
    this.feedCapture(buffer);
    this.errorBody?.add(buffer, start, last);
    if (end !== -1) this.onResponseComplete(end === buffer.length);
  }

  /** Copies the payload just written to the client into the usage capture (never before the write). */
  private feedCapture(buffer: Buffer): void {
    const ranges = this.captureRanges;
    if (ranges.length === 0) return;
    const capture = this.capture as UsageCapture;
    for (let i = 0; i < ranges.length; i += 2) capture.feed(buffer, ranges[i] as number, ranges[i + 1] as number);
    ranges.length = 0;
  }

  /** Writes the held head, if any, alone. */
  private releaseHead(): void {
    const head = this.heldHead;
    if (head === undefined) return;
    this.heldHead = undefined;
    if (!this.client.socket.destroyed) this.client.socket.write(head, 'latin1');
  }

  private writeToClient(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const head = this.heldHead;
    let out: Buffer | string = bytes;
    if (head !== undefined) {
      this.heldHead = undefined;
      out = withHead(head, bytes);
    }
    const flowing = this.client.socket.write(out, 'latin1');
    // Still queued: `bytes` may be a view of the upstream's read buffer, which must not be reused.
    if (out === bytes && this.client.socket.writableLength > 0) this.keptRead = true;
    if (!flowing && !this.waitingForClientDrain) {
      this.waitingForClientDrain = true;
      this.upstream?.socket.pause();
    }
  }

  /** The client's socket drained: the upstream may send again. */
  onClientDrain(): void {
    if (!this.waitingForClientDrain) return;
    this.waitingForClientDrain = false;
    this.upstream?.socket.resume();
  }

  onUpstreamDrain(): void {
    this.client.pauseForUpstream(false);
  }

  private onResponseComplete(nothingAfter: boolean): void {
    this.releaseHead();
    const upstream = this.upstream;
    this.upstream = undefined;
    if (upstream !== undefined) {
      if (this.waitingForClientDrain) upstream.socket.resume(); // nothing more comes for this client
      if ((this.response as ResponseHead).reusable && this.requestDone && nothingAfter) upstream.release();
      else upstream.discard();
    }
    this.finish();
    this.client.exchangeDone(!this.closeAfter);
  }

  onUpstreamEnd(): void {
    if (this.response !== undefined && this.responseBody === undefined && this.failure === undefined) {
      // A body framed by the connection's end: this is its normal end.
      this.onResponseComplete(true);
      return;
    }
    this.onUpstreamGone(undefined);
  }

  onUpstreamError(error: Error): void {
    this.onUpstreamGone(error);
  }

  onUpstreamClose(): void {
    this.onUpstreamGone(undefined);
  }

  private onUpstreamGone(error: Error | undefined): void {
    if (this.finished || this.failure !== undefined) return;
    const upstream = this.upstream;
    this.upstream = undefined;
    upstream?.discard();
    if (this.response !== undefined) {
      this.onUpstreamBrokeOff();
      return;
    }
    const code = error === undefined ? undefined : errorCodeOf(error);
    // A pooled socket the upstream had just closed: safe to send again when there is no body to replay.
    const stale = error === undefined || code === 'ECONNRESET' || code === 'EPIPE';
    if (upstream?.reused && stale && this.pendingHead === undefined && this.requestBody === undefined && this.attempts < 2) {
      this.connect(true).socket.write(this.upstreamHead, 'latin1');
      return;
    }
    const target = this.config.target.url;
    this.fail(error === undefined ? closedWithoutAnswer(target, 'socket hang up') : connectionFailure(error, target));
  }

  /** The upstream dropped the connection after the response started. */
  private onUpstreamBrokeOff(): void {
    this.failure = 'upstream_reset';
    const { socket } = this.client;
    const body = this.responseBody;
    const endsWithEvent = this.streamed && (body === undefined || body.atChunkBoundary);
    if (!endsWithEvent || socket.destroyed) {
      socket.destroy(); // the client sees a truncated body, never a complete-looking one
      this.finish();
      return;
    }
    // A streaming client sees a final error event it can raise, then the connection closes.
    this.releaseHead();
    const event = sseErrorEvent('upstream_reset', streamBrokeOffMessage(this.config.target.url));
    if (body === undefined) {
      socket.write(event);
    } else {
      socket.write(frameChunk(event));
      socket.write(LAST_CHUNK);
    }
    this.closeAfter = true;
    this.finish();
    this.client.exchangeDone(false);
  }

  /** A call into this exchange threw (a bug): reported, and both sides are cut. */
  onInternalError(error: unknown): void {
    this.deps.internalError(error, `forwarding ${this.head.method} ${this.head.target.slice(0, pathEnd(this.head.target))}`);
    this.failure ??= 'upstream_failed';
    const upstream = this.upstream;
    this.upstream = undefined;
    upstream?.discard();
    this.client.socket.destroy();
    this.finish();
  }

  /** The upstream did not answer within the configured time. */
  onDeadline(): void {
    if (this.response !== undefined || this.finished) return;
    this.fail(upstreamTimeout(this.config));
  }

  /** Answers the client with our own error, or cuts the connection if an answer already started. */
  private fail(failure: ProxyFailure): void {
    if (this.finished) return;
    this.failure = failure.code;
    const upstream = this.upstream;
    this.upstream = undefined;
    upstream?.discard();
    const { socket } = this.client;
    if (this.headSent || socket.destroyed) {
      socket.destroy();
      this.finish();
      return;
    }
    // A body we stopped reading must not be parsed as the next request: close the connection.
    this.closeAfter = !this.requestDone || this.client.closesAfterExchange();
    socket.write(errorResponse(failure.status, failure.code, failure.message, this.closeAfter, this.head.method));
    this.status = failure.status;
    this.headSent = true;
    this.ttfbMs = performance.now() - this.startedAt;
    this.finish();
    this.client.exchangeDone(!this.closeAfter);
  }

  // ------------------------------------------------------------------ the client went away

  onClientClose(): void {
    if (this.finished) return;
    this.failure ??= 'client_aborted';
    const upstream = this.upstream;
    this.upstream = undefined;
    upstream?.discard(); // the upstream sees the abort at once
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.sniff();
    recordExchange(this.deps, {
      seq: this.seq,
      at: this.at,
      method: this.head.method,
      target: this.head.target,
      status: this.headSent ? this.status : undefined,
      startedAt: this.startedAt,
      ttfbMs: this.ttfbMs,
      streamed: this.streamed,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      model: this.sniffer?.model,
      error: this.failure,
      warning: this.metadataReplaced && this.client.noteMetadataReplaced() ? METADATA_REPLACED : undefined,
      project: this.identity.projectPath,
      userAgent: this.head.fields.userAgent,
      usage: this.capture,
      litellmVersion: this.response?.fields.litellmVersion,
      errorBody: this.errorBody,
      attributed: attributedTo(this.identity),
    });
  }

  /** The client sent `Connection: close`. */
  get clientAskedToClose(): boolean {
    return this.head.close;
  }
}
