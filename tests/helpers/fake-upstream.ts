// A fake OpenAI-compatible upstream (a stand-in for LiteLLM) on loopback. It records what it
// received, echoes headers back, and misbehaves on request: slow answers, resets mid-stream,
// chosen statuses, large and binary bodies generated on the fly. It counts connections and
// notices when a client (the proxy) aborts, so tests can assert what the upstream saw.
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  bodyBytes: number;
  bodySha256: string;
}

export interface FakeUpstreamOptions {
  host?: string;
  /** SSE chunks per streamed completion (override per request with `x-fake-chunks`). */
  chunkCount?: number;
  /** Milliseconds between chunks (override per request with `x-fake-interval-ms`). A streamed
   * completion resets the connection after `x-fake-reset-after` chunks when that header is sent,
   * and waits `x-fake-first-delay-ms` before its first chunk. */
  chunkIntervalMs?: number;
}

export interface FakeUpstream {
  host: string;
  port: number;
  /** http://host:port, no path. */
  url: string;
  /** Requests whose body was read to the end (or that were aborted), in order of completion. */
  requests: RecordedRequest[];
  lastRequest(): RecordedRequest;
  /** TCP connections accepted so far. */
  connectionsAccepted(): number;
  /** TCP connections open right now. */
  openConnections(): number;
  /** Responses the client abandoned before they ended. */
  aborts(): number;
  waitForAborts(count: number, timeoutMs?: number): Promise<void>;
  waitForOpenConnections(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The gzip body `/gzip` serves: compressed bytes, sent as they are with `content-encoding: gzip`. */
export const GZIP_PLAIN_TEXT = JSON.stringify({ hello: 'world', pad: 'x'.repeat(4000) });
export const GZIP_BODY = gzipSync(Buffer.from(GZIP_PLAIN_TEXT));

const PATTERN_BLOCK = 64 * 1024;

/** Deterministic, incompressible-looking bytes for [offset, offset + length). */
export function patternBytes(offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 1) {
    const n = offset + i;
    out[i] = (Math.imul(n ^ (n >>> 7), 2654435761) >>> 23) & 0xff;
  }
  return out;
}

/** SHA-256 of the first `size` pattern bytes, computed block by block (never the whole buffer). */
export function patternSha256(size: number): string {
  const hash = createHash('sha256');
  for (let offset = 0; offset < size; offset += PATTERN_BLOCK) hash.update(patternBytes(offset, Math.min(PATTERN_BLOCK, size - offset)));
  return hash.digest('hex');
}

/** Writes `size` pattern bytes to a writable with back-pressure. */
export async function writePattern(out: NodeJS.WritableStream, size: number): Promise<void> {
  for (let offset = 0; offset < size; offset += PATTERN_BLOCK) {
    if (!out.write(patternBytes(offset, Math.min(PATTERN_BLOCK, size - offset)))) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          out.off('drain', done);
          out.off('close', done);
          resolve();
        };
        out.on('drain', done);
        out.on('close', done);
      });
      if ((out as { destroyed?: boolean }).destroyed) return;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function headerNumber(req: IncomingMessage, name: string, fallback: number): number {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? Number(value) : fallback;
}

function chatCompletion(model: string, headers: IncomingHttpHeaders) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the fake upstream' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
    echo_headers: headers,
  };
}

function chunkEvent(model: string, index: number, content: string, finish: boolean): string {
  const chunk = {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta: index === 0 ? { role: 'assistant', content } : { content }, finish_reason: finish ? 'stop' : null }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The text every fake answer of the Anthropic and Responses APIs carries. */
export const FAKE_ANSWER = 'Hello from the fake upstream';

function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Anthropic's Messages API (what Claude Code and LiteLLM's /v1/messages speak), streamed or not. */
function anthropicMessage(res: ServerResponse, model: string, stream: boolean): void {
  const usage = { input_tokens: 3, output_tokens: 5 };
  const message = { id: 'msg_fake', type: 'message', role: 'assistant', model, stop_sequence: null };
  if (!stream) return json(res, 200, { ...message, content: [{ type: 'text', text: FAKE_ANSWER }], stop_reason: 'end_turn', usage });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(sseEvent('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage } }));
  res.write(sseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
  for (const piece of FAKE_ANSWER.split(/(?<= )/)) {
    res.write(sseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }));
  }
  res.write(sseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }));
  res.write(sseEvent('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }));
  res.end(sseEvent('message_stop', { type: 'message_stop' }));
}

/** OpenAI's Responses API (what Codex speaks), streamed or not. */
function openAiResponse(res: ServerResponse, model: string, stream: boolean): void {
  const item = { id: 'msg_fake', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: FAKE_ANSWER, annotations: [] }] };
  const usage = { input_tokens: 3, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 8 };
  const response = (status: string, output: unknown[]) => ({ id: 'resp_fake', object: 'response', created_at: 1_700_000_000, status, model, output, usage });
  if (!stream) return json(res, 200, response('completed', [item]));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let sequence = 0;
  const send = (type: string, data: Record<string, unknown>) => res.write(sseEvent(type, { type, ...data, sequence_number: sequence++ }));
  send('response.created', { response: response('in_progress', []) });
  send('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
  send('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: FAKE_ANSWER });
  send('response.output_item.done', { output_index: 0, item });
  send('response.completed', { response: response('completed', [item]) });
  res.end();
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const host = options.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let aborted = 0;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of waiters) waiter();
  };

  async function readBody(req: IncomingMessage): Promise<{ bytes: number; sha256: string; text: string }> {
    const hash = createHash('sha256');
    const kept: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      hash.update(chunk);
      if (bytes <= 1024 * 1024) kept.push(chunk); // enough for JSON bodies; large uploads are only hashed
    }
    const sha256 = hash.digest('hex');
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, bodyBytes: bytes, bodySha256: sha256 });
    return { bytes, sha256, text: Buffer.concat(kept).toString('utf8') };
  }

  async function streamCompletion(req: IncomingMessage, res: ServerResponse, model: string, resetAfter?: number): Promise<void> {
    const count = headerNumber(req, 'x-fake-chunks', options.chunkCount ?? 5);
    const interval = headerNumber(req, 'x-fake-interval-ms', options.chunkIntervalMs ?? 1);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const firstDelay = headerNumber(req, 'x-fake-first-delay-ms', 0);
    if (firstDelay > 0) await sleep(firstDelay); // a model "thinking" before its first token
    for (let i = 0; i < count && !res.destroyed; i += 1) {
      if (resetAfter !== undefined && i === resetAfter) {
        res.socket?.resetAndDestroy();
        return;
      }
      res.write(chunkEvent(model, i, `chunk${i} `, i === count - 1));
      if (interval > 0) await sleep(interval);
    }
    if (!res.destroyed) res.end('data: [DONE]\n\n');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('close', () => {
      if (!res.writableFinished) {
        aborted += 1;
        notify();
      }
    });
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/v1(?=\/)/, '');
    const status = headerNumber(req, 'x-fake-status', 0);

    switch (path) {
      case '/chat/completions': {
        const body = await readBody(req);
        if (status) return json(res, status, { error: { message: `fake status ${status}`, type: 'fake_error', code: String(status) } });
        const parsed = JSON.parse(body.text || '{}') as { model?: string; stream?: boolean };
        const model = parsed.model ?? 'fake-model';
        const resetAfter = req.headers['x-fake-reset-after'];
        if (parsed.stream) return streamCompletion(req, res, model, resetAfter === undefined ? undefined : Number(resetAfter));
        return json(res, 200, chatCompletion(model, req.headers));
      }
      case '/messages': {
        const body = await readBody(req);
        if (status) return json(res, status, { type: 'error', error: { type: 'fake_error', message: `fake status ${status}` } });
        const parsed = JSON.parse(body.text || '{}') as { model?: string; stream?: boolean };
        return anthropicMessage(res, parsed.model ?? 'fake-model', parsed.stream === true);
      }
      case '/responses': {
        const body = await readBody(req);
        if (status) return json(res, status, { error: { message: `fake status ${status}`, type: 'fake_error', code: String(status) } });
        const parsed = JSON.parse(body.text || '{}') as { model?: string; stream?: boolean };
        return openAiResponse(res, parsed.model ?? 'fake-model', parsed.stream === true);
      }
      case '/models':
        await readBody(req);
        return json(res, 200, {
          object: 'list',
          data: [
            { id: 'fake-model', object: 'model', created: 1_700_000_000, owned_by: 'fake' },
            { id: 'fake-model-2', object: 'model', created: 1_700_000_000, owned_by: 'fake' },
          ],
        });
      case '/echo': {
        const body = await readBody(req);
        return json(res, status || 200, {
          method: req.method,
          url: req.url,
          headers: req.headers,
          rawHeaders: req.rawHeaders,
          bodyBytes: body.bytes,
          bodySha256: body.sha256,
        });
      }
      case '/binary':
      case '/binary-chunked': {
        await readBody(req);
        const size = Number(url.searchParams.get('size') ?? '0');
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          ...(path === '/binary' ? { 'content-length': String(size) } : {}),
        });
        await writePattern(res, size);
        if (!res.destroyed) res.end();
        return;
      }
      case '/gzip':
        await readBody(req);
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(GZIP_BODY.length),
          vary: 'accept-encoding',
        });
        res.end(GZIP_BODY);
        return;
      case '/upload': {
        const body = await readBody(req);
        return json(res, 200, { bytes: body.bytes, sha256: body.sha256 });
      }
      case '/upload-echo':
        // Streams the request body straight back: large bodies both ways at once.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        req.pipe(res);
        return;
      case '/slow': {
        await readBody(req);
        await sleep(Number(url.searchParams.get('ms') ?? '1000'));
        if (!res.destroyed) json(res, 200, { slow: true });
        return;
      }
      case '/reset-sse': {
        const body = await readBody(req);
        const model = (JSON.parse(body.text || '{}') as { model?: string }).model ?? 'fake-model';
        return streamCompletion(req, res, model, Number(url.searchParams.get('after') ?? '2'));
      }
      case '/reset-body': {
        await readBody(req);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '100000' });
        res.write(patternBytes(0, 1000));
        await sleep(5);
        res.socket?.resetAndDestroy();
        return;
      }
      case '/hang-sse': {
        // Streams until the client goes away (bounded, so a broken test cannot run forever).
        await readBody(req);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
        for (let i = 0; i < 3000 && !res.destroyed; i += 1) {
          res.write(chunkEvent('fake-model', i, `tick${i} `, false));
          await sleep(10);
        }
        if (!res.destroyed) res.end('data: [DONE]\n\n');
        return;
      }
      case '/headers-out':
        // Response headers a proxy must relay, and hop-by-hop ones it must drop.
        await readBody(req);
        res.writeHead(201, 'Created Fine', [
          'Content-Type', 'text/plain',
          'X-Custom', 'one',
          'X-Custom', 'two',
          'Set-Cookie', 'a=1',
          'Set-Cookie', 'b=2',
          'Connection', 'keep-alive, X-Hop',
          'X-Hop', 'drop me',
          'Keep-Alive', 'timeout=5',
          'Proxy-Authenticate', 'Basic',
          'Content-Length', '2',
        ]);
        res.end('ok');
        return;
      default:
        if (path.startsWith('/status/')) {
          await readBody(req);
          const code = Number(path.slice('/status/'.length));
          if (code === 204 || code === 304) {
            res.writeHead(code);
            res.end();
            return;
          }
          return json(res, code, { error: { message: `fake status ${code}`, type: 'fake_error', code: String(code) } });
        }
        await readBody(req);
        return json(res, 404, { error: { message: `fake upstream has no ${path}`, type: 'not_found', code: '404' } });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      notify();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  function waitFor(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake upstream: timed out waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  }

  return {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests,
    lastRequest() {
      const last = requests.at(-1);
      if (!last) throw new Error('fake upstream: no request received');
      return last;
    },
    connectionsAccepted: () => accepted,
    openConnections: () => sockets.size,
    aborts: () => aborted,
    waitForAborts: (count, timeoutMs = 5000) => waitFor(() => aborted >= count, `${count} aborts (saw ${aborted})`, timeoutMs),
    waitForOpenConnections: (count, timeoutMs = 5000) =>
      waitFor(() => sockets.size <= count, `at most ${count} open connections (have ${sockets.size})`, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
