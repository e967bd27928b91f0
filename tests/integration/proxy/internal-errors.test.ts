// A bug on the raw path costs one connection, never the process: a throw while reading a request or
// relaying a response is reported once as an internal error, that connection is cut, and the proxy
// serves the next request as before.
import { describe, expect, it } from 'vitest';
import { RawExchange } from '../../../electron/core/proxy/raw-exchange';
import { rawRequest, startRig } from './proxy-fixture';
import { waitFor } from '../../helpers/wait';

describe('a bug inside the raw path', async () => {
  const { proxy } = await startRig();
  const reported: string[] = [];
  proxy.on('internal-error', (_error: unknown, where: string) => reported.push(where));

  it.each([
    ['relaying a response', 'onUpstreamData'],
    ['reading a request body', 'takeClientBytes'],
  ] as const)('is reported and cuts only its connection (%s)', async (_what, method) => {
    const original = RawExchange.prototype[method];
    let thrown = false;
    // Throw once, from inside the real code path, as a bug would.
    RawExchange.prototype[method] = function (this: RawExchange, ...args: never[]) {
      if (!thrown) {
        thrown = true;
        throw new Error('a bug');
      }
      return (original as (...a: never[]) => unknown).apply(this, args);
    } as never;
    try {
      const before = reported.length;
      const body = method === 'takeClientBytes' ? 'x'.repeat(200_000) : undefined;
      await expect(
        rawRequest({ port: proxy.port, method: body ? 'POST' : 'GET', path: '/echo', ...(body ? { body } : {}) }),
      ).rejects.toThrow();
      await waitFor('the report', () => reported.length > before);
      expect(reported[before]).toMatch(/forwarding|reading/);
    } finally {
      RawExchange.prototype[method] = original as never;
    }
    expect((await rawRequest({ port: proxy.port, path: '/v1/models' })).status).toBe(200);
  });
});
