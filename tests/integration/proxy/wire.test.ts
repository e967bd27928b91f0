// The proxy at the byte level: what a raw-socket client sees, and what a scripted upstream that
// sends exact bytes gets relayed. Covers the raw forwarding path's own rules (pipelining, framing
// passed through verbatim, 1xx, close-delimited bodies, stale pooled sockets, early answers) and
// the hand-over of unusual requests to Node's http.Server on the same connection.
import net, { type AddressInfo, type Socket } from 'node:net';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startProxy, type RunningProxy } from '../../../electron/core/proxy';
import { tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { startRig } from './proxy-fixture';

interface RawExchangeResult {
  text: string;
  /** The proxy closed the connection. */
  closed: boolean;
}

/**
 * Writes `pieces` on one fresh connection (one write each, a turn of the event loop apart) and
 * collects what comes back until `done(text)` holds or the proxy closes the connection.
 */
function talk(port: number, pieces: (string | Buffer)[], done: (text: string) => boolean, timeoutMs = 5000): Promise<RawExchangeResult> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got: ${JSON.stringify(text.slice(0, 500))}`));
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (done(text)) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((r) => setImmediate(r));
      }
    });
  });
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** A request head with a loopback Host for `port`. */
function head(port: number, requestLine: string, ...fields: string[]): string {
  return `${requestLine}\r\nHost: 127.0.0.1:${port}\r\n${fields.map((f) => `${f}\r\n`).join('')}\r\n`;
}

interface ScriptedUpstream {
  url: string;
  /** Everything each accepted connection received, in order. */
  received: string[];
  connections(): number;
  close(): Promise<void>;
}

/**
 * An upstream that answers with exact bytes: `reply(requestText, socket)` is called whenever a
 * connection received data, with everything that connection received so far.
 */
async function scriptedUpstream(reply: (received: string, socket: Socket, index: number) => void): Promise<ScriptedUpstream> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    const index = received.push('') - 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received[index] += chunk;
      reply(received[index] as string, socket, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    connections: () => received.length,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function proxyTo(url: string): Promise<RunningProxy> {
  const projectPath = path.join(await tempDir(), 'wire-project');
  await mkdir(projectPath, { recursive: true });
  return startProxy({ identity: { projectPath, port: 0, instance: 'test-host' }, target: url, upstreamTimeoutMs: 3000 });
}

/** One answer per request: sent once its head (and a Content-Length body) is in. */
function answerEachRequest(answer: (request: string) => string | Buffer, close = false) {
  const answeredOn: number[] = [];
  return (received: string, socket: Socket, connection: number): void => {
    let answered = answeredOn[connection] ?? 0;
    let requests = 0;
    let rest = received;
    for (;;) {
      const end = rest.indexOf('\r\n\r\n');
      if (end === -1) break;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(rest.slice(0, end))?.[1] ?? 0);
      if (rest.length < end + 4 + length) break;
      requests += 1;
      if (requests > answered) {
        answered += 1;
        answeredOn[connection] = answered;
        socket.write(answer(rest.slice(0, end + 4 + length)));
        if (close) socket.end();
      }
      rest = rest.slice(end + 4 + length);
    }
  };
}

describe('client side of the wire', async () => {
  const { proxy, upstream } = await startRig();
  const port = proxy.port;

  it('answers pipelined requests in order, each forwarded', async () => {
    const before = upstream.requests.length;
    const body = '{"model":"pipelined","messages":[]}';
    const { text, closed } = await talk(
      port,
      [
        head(port, 'GET /v1/models?n=1 HTTP/1.1') +
          head(port, 'POST /v1/chat/completions HTTP/1.1', 'Content-Type: application/json', `Content-Length: ${body.length}`) +
          body +
          head(port, 'GET /echo?third HTTP/1.1'),
      ],
      (t) => count(t, 'HTTP/1.1 200 OK') === 3 && t.includes('"url":"/echo?third"'),
    );
    expect(closed).toBe(false);
    expect(text.indexOf('fake-model-2')).toBeLessThan(text.indexOf('chatcmpl-fake'));
    expect(text.indexOf('chatcmpl-fake')).toBeLessThan(text.indexOf('/echo?third'));
    expect(upstream.requests.slice(before).map((r) => r.url)).toEqual(['/v1/models?n=1', '/v1/chat/completions', '/echo?third']);
  });

  it('reads a head that arrives a byte at a time', async () => {
    const bytes = head(port, 'GET /v1/models HTTP/1.1');
    const { text } = await talk(port, [...bytes], (t) => t.includes('fake-model-2'));
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('forwards a chunked request body, chunk extensions and trailers included', async () => {
    const before = upstream.requests.length;
    const chunked = '5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n';
    const { text } = await talk(
      port,
      [head(port, 'POST /upload HTTP/1.1', 'Transfer-Encoding: chunked', 'Content-Type: text/plain'), chunked],
      (t) => t.endsWith('}'),
    );
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('"bytes":12');
    expect(upstream.requests[before]?.bodyBytes).toBe(12);
    expect(upstream.requests[before]?.headers['transfer-encoding']).toBe('chunked');
  });

  it('answers a request with broken chunked framing with 400 and closes', async () => {
    const { text, closed } = await talk(port, [head(port, 'POST /upload HTTP/1.1', 'Transfer-Encoding: chunked'), 'zz\r\nhello\r\n'], () => false);
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toMatch(/Connection: close\r\n/);
  });

  it('hands our own endpoint to http.Server mid-connection, and keeps serving on it', async () => {
    const { text, closed } = await talk(
      port,
      [head(port, 'GET /v1/models HTTP/1.1'), head(port, 'GET /_interceptor/health HTTP/1.1'), head(port, 'GET /v1/models?after HTTP/1.1')],
      (t) => count(t, 'fake-model-2') === 2 && t.includes('"project"'),
    );
    expect(closed).toBe(false);
    expect(count(text, 'HTTP/1.1 200 OK')).toBe(3);
  });

  it('hands HTTP/1.0 to http.Server, which forwards it with our headers', async () => {
    const before = upstream.requests.length;
    const { text, closed } = await talk(port, [`GET /echo HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\n\r\n`], () => false);
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.[01] 200 OK\r\n/);
    expect(upstream.requests[before]?.headers['x-interceptor-project']).toMatch(/^demo-project-/);
  });

  it('hands Expect: 100-continue to http.Server, which answers 100 before the body', async () => {
    const body = 'x'.repeat(10);
    const { text } = await talk(
      port,
      [head(port, 'POST /upload HTTP/1.1', 'Expect: 100-continue', `Content-Length: ${body.length}`), body],
      (t) => /\r\n\r\n[\s\S]*HTTP\/1\.1 200 OK[\s\S]*\r\n\r\n\{/.test(t) && t.endsWith('}'),
    );
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  });

  it("leaves malformed and oversized heads to Node's parser (400, 431)", async () => {
    const malformed = await talk(port, [`GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nBad Header: x\r\n\r\n`], () => false);
    expect(malformed.text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const oversized = await talk(port, [head(port, 'GET /v1/models HTTP/1.1', `X-Big: ${'a'.repeat(20_000)}`)], () => false);
    expect(oversized.text).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('answers HEAD without a body and keeps the connection for the next request', async () => {
    const { text } = await talk(port, [head(port, 'HEAD /v1/models HTTP/1.1'), head(port, 'GET /v1/models HTTP/1.1')], (t) => t.includes('fake-model-2'));
    expect(count(text, 'HTTP/1.1 200 OK')).toBe(2);
    const [first = '', second = ''] = text.split(/(?=HTTP\/1\.1 200 OK)/);
    expect(first).toMatch(/content-length: \d+\r\n/i);
    expect(first.endsWith('\r\n\r\n')).toBe(true);
    expect(second).toContain('fake-model-2');
  });

  it('closes after the answer when the client asks to', async () => {
    const { text, closed } = await talk(port, [head(port, 'GET /v1/models HTTP/1.1', 'Connection: close')], () => false);
    expect(closed).toBe(true);
    expect(text).toMatch(/Connection: close\r\n/);
    expect(text).toContain('fake-model-2');
  });

  it('aborts the upstream request when the client half-closes, as http.Server does', async () => {
    const before = upstream.aborts();
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.end(head(port, 'GET /slow?ms=3000 HTTP/1.1'));
    await upstream.waitForAborts(before + 1);
    socket.destroy();
    await waitFor('the aborted entry', () => proxy.recent().at(-1)?.error === 'client_aborted');
  });
});

describe('upstream side of the wire', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function rig(reply: Parameters<typeof scriptedUpstream>[0]): Promise<{ upstream: ScriptedUpstream; port: number; proxy: RunningProxy }> {
    const upstream = await scriptedUpstream(reply);
    const proxy = await proxyTo(upstream.url);
    cleanups.push(() => upstream.close(), () => proxy.close({ graceMs: 50 }));
    return { upstream, port: proxy.port, proxy };
  }

  it('passes a chunked body through byte for byte, extensions and trailers included', async () => {
    const body = '4;name=value\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Checksum: abc\r\n\r\n';
    const { port } = await rig(answerEachRequest(() => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n${body}`));
    const { text } = await talk(port, [head(port, 'GET /chunked HTTP/1.1')], (t) => t.endsWith('\r\n\r\n') && t.includes('X-Checksum'));
    expect(text.slice(text.indexOf('\r\n\r\n') + 4)).toBe(body);
    expect(text).toMatch(/\r\nTransfer-Encoding: chunked\r\n/);
  });

  it('refuses a response with both Content-Length and chunked framing (502), as strict clients do', async () => {
    const { port } = await rig(answerEachRequest(() => 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'));
    const { text } = await talk(port, [head(port, 'GET /both HTTP/1.1')], (t) => t.includes('}}'));
    expect(text).toMatch(/^HTTP\/1\.1 502 /);
    expect(text).toContain('both Transfer-Encoding and Content-Length');
  });

  it('passes informational (1xx) answers on, then the final one', async () => {
    const { port } = await rig(
      answerEachRequest(() => 'HTTP/1.1 103 Early Hints\r\nLink: </x.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal'),
    );
    const { text } = await talk(port, [head(port, 'GET /hints HTTP/1.1')], (t) => t.endsWith('final'));
    expect(text).toMatch(/^HTTP\/1\.1 103 Early Hints\r\nLink: <\/x\.css>; rel=preload\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  });

  it('relays a body framed by the connection closing, and closes the client connection after it', async () => {
    const { port } = await rig(answerEachRequest(() => 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end', true));
    const { text, closed } = await talk(port, [head(port, 'GET /close-framed HTTP/1.1')], () => false);
    expect(closed).toBe(true);
    expect(text).toMatch(/\r\nConnection: close\r\n/);
    expect(text.endsWith('\r\n\r\nuntil the end')).toBe(true);
  });

  it.each([
    ['a status line it cannot read', 'HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n', 'malformed status line'],
    ['a control character in a header', 'HTTP/1.1 200 OK\r\nX-Bad: a\x01b\r\nContent-Length: 0\r\n\r\n', 'a bare CR or LF, or a control character, in the response head'],
    ['conflicting Content-Length values', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello', 'invalid Content-Length'],
    ['a protocol switch nobody asked for', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n', 'unrequested protocol switch'],
  ])('answers 502 for %s', async (_what, response, reason) => {
    const { port } = await rig(answerEachRequest(() => response));
    const { text } = await talk(port, [head(port, 'GET /bad HTTP/1.1')], (t) => t.includes('}}'));
    expect(text).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
    expect(text).toContain('"code":"upstream_failed"');
    expect(text).toContain(`cannot be relayed (${reason})`);
  });

  it('cuts the client off when a chunked body turns out malformed mid-way', async () => {
    const { port } = await rig(answerEachRequest(() => 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nnot-hex\r\n'));
    const { text, closed } = await talk(port, [head(port, 'GET /broken HTTP/1.1')], () => false);
    expect(closed).toBe(true);
    expect(text).toContain('5\r\nhello\r\n');
    expect(text).not.toContain('0\r\n\r\n');
  });

  it('sends a GET again on a fresh connection when a pooled one turns out closed', async () => {
    // Each connection answers once and then closes without saying so (no Connection: close): the
    // proxy pools it, and finds out only when it uses it again.
    const { port, upstream } = await rig((received, socket) => {
      if (!received.endsWith('\r\n\r\n')) return;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', () => setTimeout(() => socket.destroy(), 30));
    });
    const first = await talk(port, [head(port, 'GET /one HTTP/1.1')], (t) => t.endsWith('ok'));
    expect(first.text).toMatch(/^HTTP\/1\.1 200 OK/);
    await waitFor('the upstream to close its side', () => upstream.connections() === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await talk(port, [head(port, 'GET /two HTTP/1.1')], (t) => t.endsWith('ok'));
    expect(second.text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(upstream.connections()).toBe(2);
  });

  it('relays an answer that comes before the request body was sent, then closes', async () => {
    const { port } = await rig((received, socket) => {
      if (received.includes('\r\n\r\n') && !socket.writableEnded) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"error":"key"}');
      }
    });
    const { text, closed } = await talk(
      port,
      [head(port, 'POST /v1/chat/completions HTTP/1.1', 'Content-Length: 1000000'), 'x'.repeat(1000)],
      () => false,
    );
    expect(text).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(text).toMatch(/\r\nConnection: close\r\n/);
    expect(text.endsWith('{"error":"key"}')).toBe(true);
    expect(closed).toBe(true);
  });

  it('never sends bytes it was not asked for on a pooled connection', async () => {
    // An upstream that sends a stray byte after its response: that connection must not be reused.
    const { port, upstream } = await rig(answerEachRequest(() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokX'));
    await talk(port, [head(port, 'GET /a HTTP/1.1')], (t) => t.endsWith('ok'));
    await talk(port, [head(port, 'GET /b HTTP/1.1')], (t) => t.endsWith('ok'));
    expect(upstream.connections()).toBe(2);
  });
});
