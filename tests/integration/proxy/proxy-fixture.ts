// Shared set-up for the proxy integration suites: a real proxy in front of the fake upstream, and a
// raw HTTP client that shows exactly what came back (status text, raw headers, body bytes).
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll } from 'vitest';
import { startProxy, type ProxyOptions, type RunningProxy } from '../../../electron/core/proxy';
import { startFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from '../../helpers/fake-upstream';
import { tempDir } from '../../helpers/temp';

export interface Rig {
  upstream: FakeUpstream;
  proxy: RunningProxy;
  projectPath: string;
}

/** Upstream + proxy for one test file, closed when the file ends. */
export async function startRig(
  proxyOptions: Partial<ProxyOptions> = {},
  upstreamOptions: FakeUpstreamOptions = {},
  folderName = 'demo-project',
): Promise<Rig> {
  const upstream = await startFakeUpstream(upstreamOptions);
  const projectPath = path.join(await tempDir(), folderName);
  await mkdir(projectPath, { recursive: true });
  const proxy = await startProxy({ identity: { projectPath, port: 0, instance: 'test-host' }, target: upstream.url, ...proxyOptions });
  afterAll(async () => {
    await proxy.close({ graceMs: 100 });
    await upstream.close();
  });
  return { upstream, proxy, projectPath };
}

export interface RawResponse {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

export interface RawRequest {
  port: number;
  method?: string;
  path: string;
  headers?: OutgoingHttpHeaders | string[];
  body?: string | Buffer;
  /** Default: a fresh connection per request, so no test depends on another's socket. */
  agent?: http.Agent | false;
  host?: string;
}

export function rawRequest(options: RawRequest): Promise<RawResponse> {
  let headers = options.headers;
  // Node adds Host itself only for object headers; a raw list must carry its own.
  if (Array.isArray(headers) && !headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host')) {
    headers = [...headers, 'Host', `${options.host ?? '127.0.0.1'}:${options.port}`];
  }
  // Node frames a body of DELETE/OPTIONS only when told its length.
  if (options.body !== undefined && !Array.isArray(headers) && headers?.['content-length'] === undefined) {
    headers = { ...headers, 'content-length': String(Buffer.byteLength(options.body)) };
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host ?? '127.0.0.1',
        port: options.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export function jsonOf<T = Record<string, unknown>>(response: RawResponse): T {
  return JSON.parse(response.body.toString('utf8')) as T;
}
