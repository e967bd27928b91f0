// The LiteLLM key serves this OS account alone, on both forwarding paths: a request with no key of
// its own gets the key only when it comes from this account (its socket's owner) or carries the
// local client token, which is swapped for the key and never leaves the machine.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { jsonOf, rawRequest, startRig } from './proxy-fixture';
import { waitFor } from '../../helpers/wait';
import type { KeyWithheld } from '../../../electron/core/proxy';

const KEY = 'sk-configured-key';
const TOKEN = `sk-interceptor-${'A'.repeat(43)}`;
const linux = process.platform === 'linux';
const root = process.getuid?.() === 0;

describe('who gets the key', async () => {
  let token: string | undefined = TOKEN;
  const { proxy } = await startRig({ apiKey: KEY, clientToken: () => token });
  const withheld: KeyWithheld[] = [];
  proxy.on('key-withheld', (peer) => withheld.push(peer));

  // Forced onto the hand-off path (node:http) by a chunked body; the raw path takes the rest.
  const paths = [
    { name: 'raw path', send: (headers: Record<string, string>) => rawRequest({ port: proxy.port, path: '/echo', headers }) },
    {
      name: 'node:http path',
      send: (headers: Record<string, string>) =>
        rawRequest({ port: proxy.port, method: 'POST', path: '/echo', headers: [...Object.entries(headers).flat(), 'Transfer-Encoding', 'chunked'], body: '{}' }),
    },
  ];

  for (const { name, send } of paths) {
    describe(name, () => {
      it.runIf(linux)('adds the key to a keyless request from this account', async () => {
        expect(jsonOf<{ headers: Record<string, string> }>(await send({})).headers.authorization).toBe(`Bearer ${KEY}`);
      });

      it.runIf(linux)('counts an empty credential (a bare "Bearer") as no key, and sends only ours', async () => {
        for (const blank of ['Bearer ', 'Bearer', '']) {
          const { headers } = jsonOf<{ headers: Record<string, string> }>(await send({ authorization: blank }));
          expect(headers.authorization, JSON.stringify(blank)).toBe(`Bearer ${KEY}`);
        }
        const { headers } = jsonOf<{ headers: Record<string, string> }>(await send({ 'x-api-key': '' }));
        expect([headers.authorization, headers['x-api-key']]).toEqual([`Bearer ${KEY}`, undefined]);
      });

      it('leaves a client key untouched, in every credential field', async () => {
        for (const field of ['authorization', 'x-api-key', 'x-litellm-api-key', 'api-key']) {
          const { headers } = jsonOf<{ headers: Record<string, string> }>(await send({ [field]: 'sk-theirs' }));
          expect(headers[field], field).toBe('sk-theirs');
          if (field !== 'authorization') expect(headers.authorization, field).toBeUndefined();
        }
      });

      it('swaps the token for the key where the client put it, bare or Bearer', async () => {
        const { headers } = jsonOf<{ headers: Record<string, string> }>(
          await send({ authorization: `Bearer ${TOKEN}`, 'x-api-key': TOKEN, 'x-litellm-api-key': `bearer ${TOKEN}` }),
        );
        expect(headers.authorization).toBe(`Bearer ${KEY}`);
        expect(headers['x-api-key']).toBe(KEY);
        expect(headers['x-litellm-api-key']).toBe(`Bearer ${KEY}`);
        expect(JSON.stringify(headers)).not.toContain(TOKEN);
      });

      it('never forwards the token, even with no key to swap in', async () => {
        proxy.update({ apiKey: '' });
        try {
          const { headers } = jsonOf<{ headers: Record<string, string> }>(await send({ authorization: `Bearer ${TOKEN}` }));
          expect(headers.authorization).toBeUndefined();
        } finally {
          proxy.update({ apiKey: KEY });
        }
      });

      it('follows a rotated token at once', async () => {
        const old = token;
        token = `sk-interceptor-${'B'.repeat(43)}`;
        try {
          expect(jsonOf<{ headers: Record<string, string> }>(await send({ authorization: `Bearer ${old}` })).headers.authorization).toBe(`Bearer ${old}`);
          expect(jsonOf<{ headers: Record<string, string> }>(await send({ authorization: `Bearer ${token}` })).headers.authorization).toBe(`Bearer ${KEY}`);
        } finally {
          token = old;
        }
      });
    });
  }

  describe.runIf(linux && root)('another OS account (nobody, through setpriv)', () => {
    /** One request from a child process running as nobody; answers what the upstream saw. */
    function asNobody(headers: Record<string, string>, chunked: boolean): Promise<Record<string, string>> {
      const script = `
        const http = require('http');
        // Keep-alive, and alive a while after the answer: the proxy names the process while it is there.
        const agent = new http.Agent({ keepAlive: true });
        const req = http.request({ agent, host: '127.0.0.1', port: ${proxy.port}, method: 'POST', path: '/echo',
          headers: Object.assign(${JSON.stringify(headers)}, ${chunked} ? { 'transfer-encoding': 'chunked' } : { 'content-length': '2' }) },
          (res) => { let t = ''; res.on('data', (c) => (t += c)); res.on('end', () => { process.stdout.write(t); setTimeout(() => agent.destroy(), 1500); }); });
        req.end('{}');`;
      return new Promise((resolve, reject) => {
        execFile('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { timeout: 20_000 }, (error, stdout) => {
          if (error) reject(error);
          else resolve((JSON.parse(stdout) as { headers: Record<string, string> }).headers);
        });
      });
    }

    it.each([false, true])('gets no key without the token (chunked: %s), and the user is told who asked', async (chunked) => {
      const before = withheld.length;
      const headers = await asNobody({}, chunked);
      expect(headers.authorization).toBeUndefined();
      const peer = await waitFor('the withheld-key event', () => withheld[before]);
      expect(peer.uid).toBe(65534);
      expect(peer.command).toBe('node');
    });

    it.each([false, true])('gets the key with the token (chunked: %s)', async (chunked) => {
      expect((await asNobody({ authorization: `Bearer ${TOKEN}` }, chunked)).authorization).toBe(`Bearer ${KEY}`);
    });

    it('is not mistaken for this account by an earlier request on another connection', async () => {
      // Same-account keep-alive connection first, then nobody: each connection is judged on its own.
      const agent = new http.Agent({ keepAlive: true });
      try {
        expect(jsonOf<{ headers: Record<string, string> }>(await rawRequest({ port: proxy.port, path: '/echo', agent })).headers.authorization).toBe(`Bearer ${KEY}`);
        expect((await asNobody({}, false)).authorization).toBeUndefined();
      } finally {
        agent.destroy();
      }
    });
  });
});
