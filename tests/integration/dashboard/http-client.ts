// A raw HTTP client for the dashboard tests: node:http, so Host, Origin and cookies are exactly
// what each test says (fetch would fill some in or refuse to set them).
import http from 'node:http';
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Send the body in chunks without a content-length (chunked transfer encoding). */
  chunked?: boolean;
}

export function request(options: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: `127.0.0.1:${options.port}`, ...options.headers };
    if (options.body !== undefined && !options.chunked) headers['content-length'] = Buffer.byteLength(options.body);
    const req = http.request(
      { host: '127.0.0.1', port: options.port, method: options.method ?? 'GET', path: options.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined && options.chunked) {
      const body = Buffer.from(options.body);
      for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

export interface ApiCallOptions {
  port: number;
  token?: string;
  headers?: Record<string, string>;
}

/** POST /api/<method> with a JSON body, the way the page does it. */
export async function callApi(options: ApiCallOptions, method: string, arg?: unknown): Promise<RawResponse & { json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token !== undefined) headers['x-interceptor-token'] = options.token;
  const response = await request({
    port: options.port,
    method: 'POST',
    path: `/api/${method}`,
    headers,
    body: arg === undefined ? '' : JSON.stringify(arg),
  });
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { ...response, json };
}

export interface SseFrame {
  event?: string;
  data?: string;
  comment?: string;
  retry?: number;
}

/** An open SSE connection that collects frames as they arrive. */
export class SseClient {
  readonly frames: SseFrame[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  ended = false;
  private buffer = '';
  private waiters: Array<() => void> = [];
  private readonly req: http.ClientRequest;
  readonly ready: Promise<void>;

  constructor(port: number, headers: Record<string, string>) {
    let markReady!: () => void;
    let fail!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      fail = reject;
    });
    this.req = http.get(
      { host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}`, accept: 'text/event-stream', ...headers }, agent: false },
      (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.feed(chunk));
        res.on('end', () => {
          this.ended = true;
          this.wakeAll();
        });
        res.on('error', () => undefined);
        markReady();
      },
    );
    this.req.on('error', (error) => {
      this.ended = true;
      this.wakeAll();
      fail(error);
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: SseFrame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data = (frame.data === undefined ? '' : `${frame.data}\n`) + line.slice(6);
        else if (line.startsWith('retry: ')) frame.retry = Number(line.slice(7));
      }
      this.frames.push(frame);
    }
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** State frames' parsed data, in order. */
  states<T = unknown>(): T[] {
    return this.frames.filter((frame) => frame.event === 'state').map((frame) => JSON.parse(frame.data ?? 'null') as T);
  }

  /** Waits until `predicate` holds over what arrived, or fails after `ms`. */
  async waitFor(predicate: (client: SseClient) => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this)) {
      if (this.ended) throw new Error('the SSE stream ended before the expected frames arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SSE frames did not arrive within ${ms} ms (have ${JSON.stringify(this.frames).slice(0, 300)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.req.destroy();
  }
}

/**
 * Sends exactly `head` (request line and header lines, without the blank line) and `body` over a
 * fresh connection and reads the answer until the server closes it: for framings node:http would
 * not send (no Content-Length and no chunking on a POST, an empty chunked body).
 */
export function rawRequest(port: number, head: string, body: string | Buffer = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no complete answer within 10 s to ${head.split('\r\n')[0]}`)), 10_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      socket.end();
      try {
        resolve(parseRawResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.write(Buffer.concat([Buffer.from(`${head}\r\nConnection: close\r\n\r\n`, 'latin1'), Buffer.from(body)]));
  });
}

function parseRawResponse(bytes: Buffer): RawResponse {
  const split = bytes.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`not an HTTP response: ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`);
  const [statusLine = '', ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const headers: http.IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(split + 4);
  if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!(size > 0)) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') };
}
