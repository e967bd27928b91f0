import { describe, expect, it } from 'vitest';
import { allowedHostHeaders, checkRequest, guardedRequest, isLoopbackHost, normalizeOrigin } from '../../../electron/core/proxy/request-guard';

const policy = { allowedHosts: allowedHostHeaders('127.0.0.1', 8890), allowedOrigins: new Set(['http://localhost:3000']) };
const check = (headers: Record<string, string>, url = '/v1/models') =>
  checkRequest(guardedRequest({ url, headers, rawHeaders: Object.entries(headers).flat() }), policy)?.code;

describe('checkRequest', () => {
  it('lets IDE-like requests through', () => {
    expect(check({ host: '127.0.0.1:8890' })).toBeUndefined();
    expect(check({ host: 'localhost:8890' })).toBeUndefined();
    expect(check({ host: '[::1]:8890' })).toBeUndefined();
  });

  it('refuses two Host fields, and more header fields than any client sends', () => {
    const host = ['Host', '127.0.0.1:8890'];
    const guarded = (rawHeaders: string[]) => checkRequest(guardedRequest({ url: '/', headers: { host: '127.0.0.1:8890' }, rawHeaders }), policy);
    expect(guarded([...host, ...host])).toMatchObject({ status: 400, code: 'duplicate_host' });
    expect(guarded([...host, ...Array.from({ length: 255 }, (_, i) => [`x-${i}`, '1']).flat()])).toBeUndefined();
    expect(guarded([...host, ...Array.from({ length: 256 }, (_, i) => [`x-${i}`, '1']).flat()])).toMatchObject({ status: 431, code: 'too_many_header_fields' });
  });

  it('refuses foreign or missing Host', () => {
    expect(check({ host: 'attacker.example:8890' })).toBe('host_not_allowed');
    expect(check({ host: 'localhost:8891' })).toBe('host_not_allowed');
    expect(check({})).toBe('host_not_allowed');
  });

  it('refuses Origins unless allowed', () => {
    expect(check({ host: 'localhost:8890', origin: 'https://evil.example' })).toBe('origin_not_allowed');
    expect(check({ host: 'localhost:8890', origin: 'null' })).toBe('origin_not_allowed');
    expect(check({ host: 'localhost:8890', origin: 'garbage' })).toBe('origin_not_allowed');
    expect(check({ host: 'localhost:8890', origin: 'http://localhost:3000' })).toBeUndefined();
  });

  it('refuses cross-site browser requests that carry no Origin', () => {
    expect(check({ host: 'localhost:8890', 'sec-fetch-site': 'cross-site' })).toBe('origin_not_allowed');
    expect(check({ host: 'localhost:8890', 'sec-fetch-site': 'same-site' })).toBe('origin_not_allowed');
    expect(check({ host: 'localhost:8890', 'sec-fetch-site': 'none' })).toBeUndefined();
  });

  it('refuses absolute-form request targets', () => {
    expect(check({ host: 'localhost:8890' }, 'http://localhost:8890/v1/models')).toBe('invalid_request_target');
  });
});

describe('allowedHostHeaders', () => {
  it('adds a non-loopback bound address', () => {
    expect(allowedHostHeaders('192.168.1.5', 9000).has('192.168.1.5:9000')).toBe(true);
    expect(allowedHostHeaders('fe80::1', 9000).has('[fe80::1]:9000')).toBe(true);
  });
  it('adds every interface address when bound to all of them', () => {
    expect(allowedHostHeaders('0.0.0.0', 9000).has('127.0.0.1:9000')).toBe(true);
  });
  it('accepts a bare name on port 80', () => {
    expect(allowedHostHeaders('127.0.0.1', 80).has('localhost')).toBe(true);
  });
});

describe('helpers', () => {
  it('normalizeOrigin', () => {
    expect(normalizeOrigin('HTTP://Localhost:3000/')).toBe('http://localhost:3000');
    expect(normalizeOrigin('https://a.example:443')).toBe('https://a.example');
    expect(normalizeOrigin('null')).toBe('null');
    expect(normalizeOrigin('nope')).toBeUndefined();
  });
  it('isLoopbackHost', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.0.1', 'example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
