// The differential rig: the same bytes go to a plain node:http server (the oracle: llhttp, Node's
// defaults) and, through the proxy, to another node:http server standing in for LiteLLM. What the
// upstream received must be exactly what the oracle read — the same requests, fields, bodies and
// trailers, less what a proxy changes by design (Host, hop-by-hop fields, our identity) — and when
// the oracle refused the bytes, the proxy must refuse them too and close the connection.
//
// Each lane (oracle, upstream, proxy) runs one case at a time, so every request a lane's servers
// record belongs to the case in flight; lanes run side by side.
import http, { type IncomingMessage } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { startProxy, type RunningProxy } from '../../electron/core/proxy';
import { isOwnHeaderName, DEFAULT_HEADER_PROFILE } from '../../electron/core/proxy/identity-headers';
import { tempDir } from '../helpers/temp';

export interface ReadRequest {
  method: string;
  url: string;
  /** Lower-case name and value of each field, in order (values as llhttp delivers them). */
  headers: Array<[string, string]>;
  /** The body's bytes as latin1 text (one character per byte). */
  body: string;
  trailers: Array<[string, string]>;
}

export interface Outcome {
  /** Requests whose body ended, in order. */
  requests: ReadRequest[];
  /** What the client received, as latin1 text. */
  response: string;
  /** The server side closed the client's connection. */
  closed: boolean;
  /** The oracle's parser refused the bytes (its clientError). */
  parserError?: string;
}

/** A node:http server with Node's defaults that records every request whose body ended. */
class Recorder {
  readonly server: http.Server;
  requests: ReadRequest[] = [];
  errors: string[] = [];
  lastActivity = Date.now();

  constructor(options: http.ServerOptions = {}) {
    this.server = http.createServer(options, (req, res) => this.onRequest(req, res));
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: net.Socket) => {
      // A reset is the harness hanging up at the end of a case, not the parser refusing anything.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') this.errors.push(error.code ?? error.message);
      this.touch();
      // What Node does when nobody listens for clientError (the proxy's hand-off server has no
      // listener): an error response unless one is already under way, then the connection is cut.
      const inFlight = (socket as unknown as { _httpMessage?: { _headerSent?: boolean } })._httpMessage;
      if (socket.writable && (inFlight === undefined || inFlight === null || inFlight._headerSent !== true)) {
        const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? '413 Payload Too Large' : '400 Bad Request';
        socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      }
      socket.destroy();
    });
    this.server.on('connection', (socket: net.Socket) => socket.on('data', () => this.touch()));
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  private onRequest(req: IncomingMessage, res: http.ServerResponse): void {
    this.touch();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => {});
    req.on('end', () => {
      this.touch();
      this.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: pairs(req.rawHeaders),
        body: Buffer.concat(chunks).toString('latin1'),
        trailers: pairs(req.rawTrailers),
      });
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end('ok');
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Waits until nothing happened for `quietMs` (stragglers of the last case land first), then forgets it. */
  async reset(quietMs: number): Promise<void> {
    const deadline = Date.now() + 2000;
    while (Date.now() - this.lastActivity < quietMs && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    this.requests = [];
    this.errors = [];
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function pairs(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) out.push([(raw[i] ?? '').toLowerCase(), raw[i + 1] ?? '']);
  return out;
}

/** One connection: write the segments, collect what comes back, stop once all is quiet. */
async function exchange(port: number, segments: readonly Buffer[], quietMs: number, busy: () => number): Promise<{ response: string; closed: boolean }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const received: Buffer[] = [];
  let closed = false;
  let last = Date.now();
  socket.on('data', (chunk: Buffer) => {
    received.push(chunk);
    last = Date.now();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
    last = Date.now();
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()).once('close', () => resolve()));
  for (const segment of segments) {
    if (closed) break;
    socket.write(segment);
    last = Date.now();
    // Separate reads on the other side: a segment boundary is a read boundary.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const quietSince = Math.max(last, busy());
    if (closed && Date.now() - quietSince >= 5) break;
    if (Date.now() - quietSince >= quietMs) break;
  }
  socket.destroy();
  return { response: Buffer.concat(received).toString('latin1'), closed };
}

export interface Lane {
  /** Host header value for the proxy's port (the guard accepts only loopback names for it). */
  proxyHost: string;
  oracleHost: string;
  runDirect(segments: readonly Buffer[], quietMs: number): Promise<Outcome>;
  runProxied(segments: readonly Buffer[], quietMs: number): Promise<Outcome>;
  close(): Promise<void>;
}

/** An oracle, an upstream and a proxy in front of it (raw path on, or everything through node:http). */
export async function startLane(options: { rawPath: boolean }): Promise<Lane> {
  const oracle = new Recorder();
  // The upstream reads heads up to 64 KiB: the proxy adds its identity fields (about 1 KiB) to a
  // client head llhttp accepted at up to 16 KiB, and LiteLLM's servers take more than that.
  const upstream = new Recorder({ maxHeaderSize: 64 * 1024 });
  const [oraclePort, upstreamPort] = await Promise.all([oracle.listen(), upstream.listen()]);
  const projectPath = path.join(await tempDir(), 'differential');
  await mkdir(projectPath, { recursive: true });
  const proxy: RunningProxy = await startProxy({
    identity: { projectPath, port: 0, instance: 'differential' },
    target: `http://127.0.0.1:${upstreamPort}`,
    rawPath: options.rawPath,
  });
  return {
    proxyHost: `127.0.0.1:${proxy.port}`,
    oracleHost: `127.0.0.1:${oraclePort}`,
    async runDirect(segments, quietMs) {
      await oracle.reset(quietMs);
      const { response, closed } = await exchange(oraclePort, segments, quietMs, () => oracle.lastActivity);
      const outcome: Outcome = { requests: oracle.requests, response, closed };
      if (oracle.errors.length > 0) outcome.parserError = oracle.errors.join(',');
      return outcome;
    },
    async runProxied(segments, quietMs) {
      await upstream.reset(quietMs);
      const { response, closed } = await exchange(proxy.port, segments, quietMs, () => upstream.lastActivity);
      return { requests: upstream.requests, response, closed };
    },
    async close() {
      await proxy.close({ graceMs: 0 });
      await Promise.all([oracle.close(), upstream.close()]);
    },
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Fields a proxy sets or drops by design (Host is ours; Expect was answered by Node already). */
const REPLACED = new Set(['host', 'expect']);
/** Never forwarded as trailers (see forwardableTrailers in forwarder.ts). */
const TRAILER_NEVER = new Set(['content-length', 'transfer-encoding', 'host', 'content-type', 'content-encoding', 'content-range', 'trailer', 'expect', 'cookie', 'authorization', 'x-api-key', 'x-litellm-api-key', 'api-key']);

function connectionNamed(headers: ReadonlyArray<[string, string]>): Set<string> {
  const named = new Set<string>();
  for (const [name, value] of headers) if (name === 'connection') for (const token of value.split(',')) named.add(token.trim().toLowerCase());
  return named;
}

/** A request as the upstream should see it if forwarded faithfully: what a proxy may change is left out. */
export function comparable(request: ReadRequest): ReadRequest {
  const named = connectionNamed(request.headers);
  const own = (name: string) => isOwnHeaderName(name, DEFAULT_HEADER_PROFILE);
  return {
    method: request.method,
    url: request.url,
    headers: request.headers.filter(([name]) => !HOP_BY_HOP.has(name) && !REPLACED.has(name) && !named.has(name) && !own(name)),
    body: request.body,
    trailers: request.trailers.filter(([name]) => !HOP_BY_HOP.has(name) && !TRAILER_NEVER.has(name) && !own(name)),
  };
}

/** Status codes of the responses in a raw response text, in order. */
export function statusCodes(response: string): number[] {
  return [...response.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((match) => Number(match[1]));
}
