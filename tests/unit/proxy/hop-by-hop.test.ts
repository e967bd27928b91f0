import { describe, expect, it } from 'vitest';
import { endToEndHeaders, hopByHopNames } from '../../../electron/core/proxy/hop-by-hop';

describe('endToEndHeaders', () => {
  it('drops the hop-by-hop set and whatever Connection names, keeping case, order and repeats', () => {
    const raw = [
      'Connection', 'Keep-Alive, X-Private',
      'Keep-Alive', 'timeout=5',
      'X-Private', 'p',
      'Transfer-Encoding', 'chunked',
      'TE', 'trailers',
      'Trailer', 'X-T',
      'Upgrade', 'websocket',
      'Proxy-Authorization', 'x',
      'Proxy-Authenticate', 'x',
      'Proxy-Connection', 'keep-alive',
      'Set-Cookie', 'a=1',
      'set-cookie', 'b=2',
      'Content-Encoding', 'gzip',
      'Content-Length', '10',
    ];
    expect(endToEndHeaders(raw)).toEqual(['Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'Content-Encoding', 'gzip', 'Content-Length', '10']);
  });

  it('drops extra names on request', () => {
    expect(endToEndHeaders(['Host', 'h', 'X-A', '1'], (name) => name === 'host')).toEqual(['X-A', '1']);
  });

  it('collects Connection tokens from repeated headers', () => {
    expect(hopByHopNames(['connection', 'x-a', 'Connection', ' X-B ,']).has('x-b')).toBe(true);
  });
});
