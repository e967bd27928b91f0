import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  buildIdentityHeaders,
  DEFAULT_HEADER_PROFILE,
  mergeSpendLogsMetadata,
  mergeTags,
  type ProxyIdentity,
} from '../../../electron/core/proxy/identity-headers';
import { projectSlug } from '../../../electron/core/proxy/project-identity';
import { INTERCEPTOR_VERSION } from '../../../electron/core/version';

const identity: ProxyIdentity = { projectPath: '/home/u/shop', port: 8890, instance: 'box' };
const slug = projectSlug('/home/u/shop');

describe('buildIdentityHeaders', () => {
  it('builds the default set', () => {
    const headers = buildIdentityHeaders(identity, DEFAULT_HEADER_PROFILE, {});
    expect(headers).toEqual({
      'x-interceptor-project': slug,
      'x-interceptor-port': '8890',
      'x-interceptor-instance': 'box',
      'x-litellm-tags': `project:${slug}`,
      'x-litellm-spend-logs-metadata': expect.any(String),
      'x-memory-user-id': 'pycharm-shop',
      'x-pycharm-instance': 'pycharm-shop',
      'x-source': 'pycharm-ai-chat',
    });
    expect(JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '')).toEqual({
      interceptor_project: slug,
      interceptor_folder: 'shop',
      interceptor_port: 8890,
      interceptor_version: INTERCEPTOR_VERSION,
      interceptor_path_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      interceptor_instance: 'box',
    });
  });

  it('follows the profile', () => {
    const none = buildIdentityHeaders(identity, { litellm: false, seedCompat: false, endUserId: false }, {});
    expect(Object.keys(none).sort()).toEqual(['x-interceptor-instance', 'x-interceptor-port', 'x-interceptor-project']);
    const endUser = buildIdentityHeaders(identity, { ...DEFAULT_HEADER_PROFILE, endUserId: true }, {});
    expect(endUser['x-litellm-end-user-id']).toBe(slug);
    const theirs = buildIdentityHeaders(identity, { ...DEFAULT_HEADER_PROFILE, endUserId: true }, { 'x-litellm-end-user-id': 'alice' });
    expect(theirs['x-litellm-end-user-id']).toBeUndefined(); // not replaced: the client's passes
  });

  it('names the IDE when known', () => {
    const headers = buildIdentityHeaders({ ...identity, ide: { product: 'IntelliJ IDEA', version: '2025.1' } }, DEFAULT_HEADER_PROFILE, {});
    expect(headers['x-litellm-tags']).toBe(`project:${slug},ide:intellij-idea`);
    expect(JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '').interceptor_ide).toBe('IntelliJ IDEA 2025.1');
  });

  it('never produces an invalid header value, whatever the folder and IDE are called', () => {
    for (const folder of ['a\r\nInjected: yes', 'emoji 🎉', 'Ωmega', 'tab\there', '"quoted"', '']) {
      const headers = buildIdentityHeaders(
        { projectPath: `/x/${folder}`, port: 1, ide: { product: 'Rider\n🚀' }, instance: 'h\nx' },
        { litellm: true, seedCompat: true, endUserId: true },
        {},
      );
      for (const [name, value] of Object.entries(headers)) {
        expect(() => validateHeaderValue(name, value)).not.toThrow();
        expect(value, `${name} for ${JSON.stringify(folder)}`).toMatch(/^[\x20-\x7e]+$/);
      }
    }
  });
});

describe('mergeTags', () => {
  it('keeps the client tags first, trims, dedupes and appends ours', () => {
    expect(mergeTags(['a, b,,a', 'c'], ['project:x', 'b'])).toBe('a,b,c,project:x');
    expect(mergeTags([], ['project:x'])).toBe('project:x');
  });
});

describe('mergeSpendLogsMetadata', () => {
  const ours = { interceptor_project: 'p', interceptor_port: 1 };
  it('merges into an object the client sent; ours win on our own keys', () => {
    expect(JSON.parse(mergeSpendLogsMetadata(['{"run":"r1","interceptor_port":99}'], ours) ?? '')).toEqual({
      run: 'r1',
      interceptor_project: 'p',
      interceptor_port: 1,
    });
  });
  it('returns undefined (forward theirs untouched) for anything but a JSON object', () => {
    for (const bad of ['[1]', '"s"', 'null', '{', 'x']) expect(mergeSpendLogsMetadata([bad], ours)).toBeUndefined();
  });
  it('escapes non-ASCII coming from the client too', () => {
    expect(mergeSpendLogsMetadata(['{"who":"Zoë"}'], ours)).toContain('Zo\\u00eb');
  });
});
