import { describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_UPSTREAM_TIMEOUT_MS, resolveProxyConfig } from '../../../electron/core/proxy/proxy-options';

const identity = { projectPath: '/p/app', port: 9000 };

describe('resolveProxyConfig', () => {
  it('fills defaults', () => {
    const config = resolveProxyConfig({ identity });
    expect(config.target.url).toBe('http://localhost:4000');
    expect(config.headerProfile).toEqual({ litellm: true, seedCompat: true, endUserId: false, identifies: 'machine' });
    expect(config.bodyLimitBytes).toBe(DEFAULT_BODY_LIMIT_BYTES);
    expect(config.upstreamTimeoutMs).toBe(DEFAULT_UPSTREAM_TIMEOUT_MS);
    expect(config.apiKey).toBeUndefined();
    expect(config.allowedOrigins.size).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats an empty key as none and trims a real one', () => {
    expect(resolveProxyConfig({ identity, apiKey: '  ' }).apiKey).toBeUndefined();
    expect(resolveProxyConfig({ identity, apiKey: ' sk-1 ' }).apiKey).toBe('sk-1');
  });

  it.each([
    [{ apiKey: 'sk-1\nInjected: x' }, /API key contains/],
    [{ apiKey: 'sk-ü' }, /API key contains/],
    [{ bodyLimitBytes: 0 }, /body limit/],
    [{ bodyLimitBytes: 1.5 }, /body limit/],
    [{ upstreamTimeoutMs: -1 }, /upstream timeout/],
    [{ upstreamTimeoutMs: 2 ** 31 }, /upstream timeout/],
    [{ allowedOrigins: ['*'] }, /wildcards/],
    [{ allowedOrigins: ['localhost'] }, /not an origin/],
    [{ identity: { projectPath: '', port: 1 } }, /project path/],
    [{ identity: { projectPath: '/p', port: 70000 } }, /port must be/],
    [{ identity: { projectPath: '/p', port: 1, ide: { product: ' ' } } }, /IDE needs a product/],
  ])('refuses %j', (options, message) => {
    expect(() => resolveProxyConfig({ identity, ...options })).toThrow(message);
  });

  it('never echoes the key in an error', () => {
    try {
      resolveProxyConfig({ identity, apiKey: 'sk-secret value' });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('sk-secret');
    }
  });
});
