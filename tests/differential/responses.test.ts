// Every response case from a raw upstream, read by a strict Node client directly and through the
// proxy, on both forwarding paths. Through the proxy the client must read exactly what it reads
// directly (less hop-by-hop fields), or — where it could not read it directly — a 502 from the
// proxy or a broken response, never a different message. 1xx responses pass on to the client.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startProxy, type RunningProxy } from '../../electron/core/proxy';
import { tempDir } from '../helpers/temp';
import { RESPONSE_CASES, type ResponseCase } from './response-corpus';

type Read =
  | { kind: 'response'; status: number; headers: Array<[string, string]>; body: string; trailers: Array<[string, string]>; informational: number[] }
  | { kind: 'error'; code: string; informational: number[] };

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'te', 'trailer', 'upgrade', 'proxy-connection']);

function normalized(rawHeaders: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < rawHeaders.length; i += 2) pairs.push([(rawHeaders[i] as string).toLowerCase(), rawHeaders[i + 1] as string]);
  const named = new Set(pairs.filter(([name]) => name === 'connection').flatMap(([, value]) => value.split(',').map((token) => token.trim().toLowerCase())));
  return pairs.filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name));
}

/** One request with a strict Node client; what it read, or how it failed. */
function read(port: number, method: string): Promise<Read> {
  return new Promise((resolve) => {
    const informational: number[] = [];
    let settled = false;
    const settle = (value: Read) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => settle({ kind: 'error', code: 'timeout', informational }), 2000);
    const req = http.request({ host: '127.0.0.1', port, method, path: '/x', agent: false, headers: { host: `127.0.0.1:${port}` } });
    req.on('information', (info) => informational.push(info.statusCode));
    req.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', code: error.code ?? error.message, informational }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'error', code: error.code ?? error.message, informational }));
      res.on('end', () =>
        settle({
          kind: 'response',
          status: res.statusCode ?? 0,
          headers: normalized(res.rawHeaders),
          body: Buffer.concat(chunks).toString('latin1'),
          trailers: normalized(res.rawTrailers),
          informational,
        }),
      );
      res.on('close', () => {
        if (!res.complete) settle({ kind: 'error', code: 'aborted', informational });
      });
    });
    req.end();
  });
}

/** An upstream that answers any request head with the current case's bytes. */
async function startRawUpstream(): Promise<{ port: number; use(testCase: ResponseCase): void; close(): Promise<void> }> {
  let current: ResponseCase | undefined;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n') || current === undefined) return;
      socket.off('data', onData);
      socket.write(Buffer.from(current.response, 'latin1'));
      if (current.close !== false) socket.end();
      else setTimeout(() => socket.destroy(), 300).unref();
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    use(testCase) {
      current = testCase;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isOurRefusal(result: Read): boolean {
  return result.kind === 'response' && result.status === 502 && result.body.includes('"upstream_failed"');
}

function judge(testCase: ResponseCase, direct: Read, proxied: Read, rawPath: boolean): string | undefined {
  if (direct.kind === 'response') {
    if (testCase.strict !== undefined) return isOurRefusal(proxied) ? undefined : `should be refused with 502 (${testCase.strict}), got ${JSON.stringify(proxied).slice(0, 300)}`;
    if (JSON.stringify(direct) !== JSON.stringify(proxied)) return `directly ${JSON.stringify(direct).slice(0, 300)}\n    proxied ${JSON.stringify(proxied).slice(0, 300)}`;
    return undefined;
  }
  // The leniencies are the raw path's: through node:http the upstream side is llhttp, as strict as the client.
  if (testCase.lenient !== undefined && rawPath) {
    return proxied.kind === 'response' && proxied.status === 200 ? undefined : `should be relayed (${testCase.lenient}), got ${JSON.stringify(proxied).slice(0, 300)}`;
  }
  if (proxied.kind === 'error' || isOurRefusal(proxied)) return undefined;
  return `unreadable directly (${direct.code}) but proxied as ${JSON.stringify(proxied).slice(0, 300)}`;
}

for (const rawPath of [true, false]) {
  describe(`responses, ${rawPath ? 'raw path' : 'node:http path'}`, async () => {
    const upstream = await startRawUpstream();
    const projectPath = path.join(await tempDir(), 'responses');
    await mkdir(projectPath, { recursive: true });
    const proxy: RunningProxy = await startProxy({ identity: { projectPath, port: 0, instance: 'differential' }, target: `http://127.0.0.1:${upstream.port}`, rawPath });
    afterAll(async () => {
      await proxy.close({ graceMs: 0 });
      await upstream.close();
    });

    it('relays what a strict client reads directly, or refuses it', async () => {
      const failures: string[] = [];
      for (const testCase of RESPONSE_CASES) {
        upstream.use(testCase);
        const method = testCase.method ?? 'GET';
        const direct = await read(upstream.port, method);
        const proxied = await read(proxy.port, method);
        const problem = judge(testCase, direct, proxied, rawPath);
        if (problem !== undefined) failures.push(`[${testCase.family}] ${testCase.name}\n    ${problem}`);
      }
      expect(failures.join('\n'), `${failures.length} of ${RESPONSE_CASES.length} cases differ`).toBe('');
    }, 120_000);
  });
}
