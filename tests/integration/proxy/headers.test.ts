// Every header rule, checked on what the upstream received and what the client got back.
import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import { INTERCEPTOR_VERSION } from '../../../electron/core/version';
import { jsonOf, rawRequest, startRig } from './proxy-fixture';

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  rawHeaders: string[];
}

describe('request headers', async () => {
  const { proxy, upstream, projectPath } = await startRig({ apiKey: 'sk-configured' });
  const port = proxy.port;
  const echo = async (headers: Record<string, string> | string[] = {}, path = '/echo'): Promise<Echo> =>
    jsonOf<Echo>(await rawRequest({ port, path, headers }));

  it('adds the identification headers', async () => {
    const { headers } = await echo();
    const slug = headers['x-interceptor-project'];
    expect(slug).toMatch(/^demo-project-[0-9a-f]{6}$/);
    expect(headers['x-interceptor-port']).toBe(String(port));
    expect(headers['x-interceptor-instance']).toBe('test-host');
    expect(headers['x-litellm-tags']).toBe(`project:${slug}`);
    expect(JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '')).toEqual({
      interceptor_project: slug,
      interceptor_folder: 'demo-project',
      interceptor_port: port,
      interceptor_version: INTERCEPTOR_VERSION,
      interceptor_path_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      interceptor_instance: 'test-host',
    });
    expect(headers['x-memory-user-id']).toBe('pycharm-demo-project');
    expect(headers['x-pycharm-instance']).toBe('pycharm-demo-project');
    expect(headers['x-source']).toBe('pycharm-ai-chat');
    expect(headers['x-litellm-end-user-id']).toBeUndefined();
    // The path itself never leaves the machine.
    expect(JSON.stringify(headers)).not.toContain(projectPath);
  });

  it('merges our tag into the tags the client sent, keeping theirs first', async () => {
    const { headers } = await echo({ 'x-litellm-tags': 'team:a, feature-x,team:a' });
    expect(headers['x-litellm-tags']).toBe(`team:a,feature-x,project:${headers['x-interceptor-project']}`);
  });

  it('merges our keys into the client spend-logs metadata', async () => {
    const { headers } = await echo({ 'x-litellm-spend-logs-metadata': '{"ticket":"T-1","interceptor_project":"spoof"}' });
    const metadata = JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '') as Record<string, unknown>;
    expect(metadata.ticket).toBe('T-1');
    expect(metadata.interceptor_project).toBe(headers['x-interceptor-project']);
  });

  it('replaces metadata it cannot read exactly with its own', async () => {
    const { headers } = await echo({ 'x-litellm-spend-logs-metadata': 'not json' });
    expect(JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '')).toMatchObject({ interceptor_project: headers['x-interceptor-project'] });
  });

  it('passes the client Authorization untouched and injects the key only when there is none', async () => {
    expect((await echo({ authorization: 'Bearer sk-theirs' })).headers.authorization).toBe('Bearer sk-theirs');
    expect((await echo({ 'x-litellm-api-key': 'sk-other' })).headers.authorization).toBeUndefined();
    expect((await echo()).headers.authorization).toBe('Bearer sk-configured');
  });

  it('rewrites Host to the target and drops hop-by-hop request headers', async () => {
    const { rawHeaders, headers } = await echo([
      'Connection', 'keep-alive, X-Conn-Named',
      'X-Conn-Named', 'secret-hop',
      'Keep-Alive', 'timeout=5',
      'Proxy-Authorization', 'Basic abc',
      'TE', 'trailers',
      'Upgrade', 'h2c',
      'X-Kept', 'Value With  Spaces',
      'Accept-Encoding', 'gzip, br',
      'X-Twice', '1',
      'X-Twice', '2',
      'Constructor', 'plain header named like an Object property',
    ]);
    expect(headers.host).toBe(`127.0.0.1:${upstream.port}`);
    for (const name of ['x-conn-named', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']) expect(headers[name]).toBeUndefined();
    expect(headers['accept-encoding']).toBe('gzip, br');
    // Case and repetition preserved exactly.
    expect(rawHeaders).toContain('X-Kept');
    expect(rawHeaders[rawHeaders.indexOf('X-Kept') + 1]).toBe('Value With  Spaces');
    expect(rawHeaders.filter((h) => h === 'X-Twice')).toHaveLength(2);
    expect(headers.constructor).toBe('plain header named like an Object property');
  });

  it('relays response status text and headers, minus hop-by-hop ones', async () => {
    const response = await rawRequest({ port, path: '/headers-out' });
    expect(response.status).toBe(201);
    expect(response.statusMessage).toBe('Created Fine');
    expect(response.body.toString()).toBe('ok');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.rawHeaders.filter((h) => h === 'X-Custom')).toHaveLength(2);
    expect(response.headers['x-hop']).toBeUndefined();
    expect(response.headers['proxy-authenticate']).toBeUndefined();
    expect(response.headers['content-length']).toBe('2');
  });

  it('applies a header profile change to new requests', async () => {
    proxy.update({ headerProfile: { seedCompat: false, endUserId: true } });
    try {
      const { headers } = await echo();
      expect(headers['x-memory-user-id']).toBeUndefined();
      expect(headers['x-source']).toBeUndefined();
      expect(headers['x-litellm-end-user-id']).toBe(headers['x-interceptor-project']);
      // With this profile on, the end user is the project: a client cannot name another.
      expect((await echo({ 'x-litellm-end-user-id': 'alice' })).headers['x-litellm-end-user-id']).toBe(headers['x-interceptor-project']);
      proxy.update({ headerProfile: { litellm: false } });
      const plain = (await echo()).headers;
      expect(plain['x-litellm-tags']).toBeUndefined();
      expect(plain['x-interceptor-project']).toBeDefined();
    } finally {
      proxy.update({ headerProfile: { litellm: true, seedCompat: true, endUserId: false } });
    }
  });

  it('adds the IDE to tags and metadata once known', async () => {
    proxy.update({ identity: { ...proxy.config().identity, ide: { product: 'PyCharm Professional', version: '2025.2' } } });
    try {
      const { headers } = await echo();
      expect(headers['x-litellm-tags']).toBe(`project:${headers['x-interceptor-project']},ide:pycharm-professional`);
      expect(JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '').interceptor_ide).toBe('PyCharm Professional 2025.2');
    } finally {
      proxy.update({ identity: { projectPath, port } });
    }
  });
});

describe('identification headers for awkward folder names', () => {
  const names = ['my project', 'Café Ünïcødé', '日本語プロジェクト', 'rocket 🚀 app', 'line\nbreak\rname', '  spaced  ', '%41'];
  it.each(names)('sends valid ASCII header values for %j', async (folder) => {
    const { proxy } = await startRig({}, {}, folder);
    const { headers } = jsonOf<Echo>(await rawRequest({ port: proxy.port, path: '/echo' }));
    for (const name of ['x-interceptor-project', 'x-litellm-tags', 'x-litellm-spend-logs-metadata', 'x-memory-user-id', 'x-pycharm-instance']) {
      const value = headers[name] ?? '';
      expect(value, name).toMatch(/^[\x20-\x7e]+$/);
      expect(() => validateHeaderValue(name, value)).not.toThrow();
    }
    expect(headers['x-interceptor-project']).toMatch(/^[a-z0-9._-]+-[0-9a-f]{6}$/);
    const metadata = JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '') as { interceptor_folder: string };
    expect(metadata.interceptor_folder).toBe(folder); // \u escapes decode back to the real name
    expect(decodeURIComponent((headers['x-memory-user-id'] ?? '').slice('pycharm-'.length))).toBe(folder);
  });
});
