import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGET_URL, joinUpstreamPath, parseTargetUrl, pathEnd } from '../../../electron/core/proxy/target-url';

describe('parseTargetUrl', () => {
  it('defaults to LiteLLM on localhost:4000', () => {
    expect(parseTargetUrl(DEFAULT_TARGET_URL)).toEqual({
      url: 'http://localhost:4000',
      protocol: 'http:',
      hostname: 'localhost',
      port: 4000,
      hostHeader: 'localhost:4000',
      basePath: '',
      poolKey: 'http://localhost:4000',
    });
  });

  it('keeps a base path without its trailing slash, and default ports implicit', () => {
    expect(parseTargetUrl('https://llm.example.com/v1/')).toMatchObject({ url: 'https://llm.example.com/v1', port: 443, hostHeader: 'llm.example.com', basePath: '/v1' });
    expect(parseTargetUrl('http://[::1]:4000')).toMatchObject({ hostname: '::1', hostHeader: '[::1]:4000', poolKey: 'http://::1:4000' });
  });

  it.each([
    ['localhost:4000', /http:\/\/ or https:\/\//],
    ['not a url', /is not a URL/],
    ['ftp://h', /http:\/\/ or https:\/\//],
    ['http://user:pw@h:4000', /must not contain credentials/],
    ['http://h:4000/?a=1', /query or fragment/],
  ])('refuses %j', (text, message) => {
    expect(() => parseTargetUrl(text)).toThrow(message);
  });
});

describe('joinUpstreamPath', () => {
  it.each([
    ['', '/v1/chat/completions', '/v1/chat/completions'],
    ['', '/chat/completions?x=1', '/chat/completions?x=1'],
    ['/v1', '/v1/chat/completions', '/v1/chat/completions'],
    ['/v1', '/chat/completions', '/v1/chat/completions'],
    ['/v1', '/v1', '/v1'],
    ['/v1', '/v1?x=/v1', '/v1?x=/v1'],
    ['/v1', '/v10/models', '/v1/v10/models'],
    ['/v1', '/', '/v1/'],
    ['/litellm/v1', '/v1/models', '/litellm/v1/v1/models'],
  ])('base %j + %j → %j', (base, request, expected) => {
    expect(joinUpstreamPath(base, request)).toBe(expected);
  });
});

describe('pathEnd', () => {
  it("ends a request target's path at its query or fragment, whichever comes first", () => {
    expect(pathEnd('/v1/models')).toBe(10);
    expect(pathEnd('/v1/models?key=sk-1')).toBe(10);
    expect(pathEnd('/a#frag?x')).toBe(2);
    expect(pathEnd('/a?x#frag')).toBe(2);
    expect(pathEnd('')).toBe(0);
  });
});
