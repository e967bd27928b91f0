// No client can forge which project pays, on either forwarding path: its tags in our namespaces,
// its own x-interceptor-* fields and its interceptor_* metadata keys never reach the upstream, its
// unreadable metadata is replaced, and each identity field arrives exactly once, before the
// client's own fields (so no downstream limit on the number of fields can drop ours).
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait';
import { jsonOf, rawRequest, startRig } from './proxy-fixture';

interface Echo {
  headers: Record<string, string | string[]>;
  rawHeaders: string[];
}

const IDENTITY = ['x-interceptor-project', 'x-interceptor-port', 'x-interceptor-instance', 'x-litellm-tags', 'x-litellm-spend-logs-metadata'];

for (const rawPath of [true, false]) {
  describe(`identity on the ${rawPath ? 'raw' : 'node:http'} path`, async () => {
    const { proxy } = await startRig({ rawPath, headerProfile: { endUserId: true } });
    async function send(fields: string[]): Promise<Echo> {
      return jsonOf<Echo>(await rawRequest({ port: proxy.port, path: '/echo', headers: fields }));
    }

    function lowerNames(raw: readonly string[]): string[] {
      return raw.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
    }

    it("drops the client's tags in our namespaces and keeps its others", async () => {
      const { headers } = await send(['X-LiteLLM-Tags', 'team:a, project:evil,IDE:vim', 'x-litellm-tags', 'Attribution:focus, release']);
      const tags = String(headers['x-litellm-tags']).split(',');
      expect(tags.filter((tag) => tag.startsWith('project:'))).toEqual([`project:${headers['x-interceptor-project']}`]);
      expect(tags).toContain('team:a');
      expect(tags).toContain('release');
      expect(tags.some((tag) => /^(ide|attribution):/i.test(tag))).toBe(false);
    });

    it('sends each identity field exactly once, ours, before every field of the client', async () => {
      const { rawHeaders, headers } = await send([
        'X-Before', '1',
        'X-Interceptor-Project', 'evil',
        'x-interceptor-port', '1',
        'X-Interceptor-Anything', 'forged',
        'x-litellm-end-user-id', 'someone-else',
        'X-After', '2',
      ]);
      const names = lowerNames(rawHeaders);
      for (const name of [...IDENTITY, 'x-litellm-end-user-id']) expect(names.filter((n) => n === name), name).toHaveLength(1);
      expect(names).not.toContain('x-interceptor-anything');
      expect(headers['x-interceptor-project']).not.toBe('evil');
      expect(headers['x-interceptor-port']).toBe(String(proxy.port));
      expect(headers['x-litellm-end-user-id']).toBe(headers['x-interceptor-project']);
      const firstClientField = names.indexOf('x-before');
      for (const name of IDENTITY) expect(names.indexOf(name), name).toBeLessThan(firstClientField);
    });

    it.each([
      ['two metadata fields', ['x-litellm-spend-logs-metadata', '{"a":1}', 'x-litellm-spend-logs-metadata', '{"interceptor_project":"evil"}']],
      ['Python-style JSON with NaN', ['x-litellm-spend-logs-metadata', '{"interceptor_project": "evil", "x": NaN}']],
      ['single quotes', ['x-litellm-spend-logs-metadata', "{'interceptor_project': 'evil'}"]],
      ['an array', ['x-litellm-spend-logs-metadata', '[{"interceptor_project":"evil"}]']],
    ])('replaces metadata it cannot read exactly (%s) with its own', async (_what, fields) => {
      const { headers, rawHeaders } = await send(fields);
      expect(lowerNames(rawHeaders).filter((n) => n === 'x-litellm-spend-logs-metadata')).toHaveLength(1);
      const metadata = JSON.parse(String(headers['x-litellm-spend-logs-metadata'])) as Record<string, unknown>;
      expect(metadata.interceptor_project).toBe(headers['x-interceptor-project']);
      expect(JSON.stringify(metadata)).not.toContain('evil');
    });

    it('tells the request log once per connection that it replaced the metadata', async () => {
      const entries: Array<{ warning?: string }> = [];
      const onEntry = (entry: { warning?: string }) => entries.push(entry);
      proxy.on('request', onEntry);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const bad = ['x-litellm-spend-logs-metadata', 'not json'];
        await rawRequest({ port: proxy.port, path: '/echo', headers: bad, agent });
        await rawRequest({ port: proxy.port, path: '/echo', headers: bad, agent });
        await rawRequest({ port: proxy.port, path: '/echo', headers: bad });
        await waitFor('three entries', () => entries.length >= 3);
        expect(entries.map((entry) => entry.warning !== undefined)).toEqual([true, false, true]);
        expect(entries[0]?.warning).toMatch(/not exactly one JSON object: replaced by ours/);
      } finally {
        proxy.off('request', onEntry);
        agent.destroy();
      }
    });

    it('keeps the keys of metadata it can read, except interceptor_* ones, which are all ours', async () => {
      const { headers } = await send(['x-litellm-spend-logs-metadata', '{"run":"r1","interceptor_project":"evil","interceptor_custom":"x"}']);
      const metadata = JSON.parse(String(headers['x-litellm-spend-logs-metadata'])) as Record<string, unknown>;
      expect(metadata.run).toBe('r1');
      expect(metadata.interceptor_project).toBe(headers['x-interceptor-project']);
      expect(metadata.interceptor_custom).toBeUndefined();
    });

    it('refuses a head of more header fields than any client sends (431) rather than let ours be lost behind them', async () => {
      const many = Array.from({ length: 1000 }, (_, i) => [`X-F${i}`, '1']).flat();
      const response = await rawRequest({ port: proxy.port, path: '/echo', headers: many });
      expect(response.status).toBe(431);
      expect(response.headers.connection).toBe('close');
    });
  });
}
