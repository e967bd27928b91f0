import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  buildIdentityHeaders,
  DEFAULT_HEADER_PROFILE,
  isOwnHeaderName,
  mergeSpendLogsMetadata,
  mergeTags,
  type ProxyIdentity,
  UNATTRIBUTED,
} from '../../../electron/core/proxy/identity-headers';
import { projectSlug } from '../../../electron/core/proxy/project-identity';
import { INTERCEPTOR_VERSION } from '../../../electron/core/version';

const identity: ProxyIdentity = { projectPath: '/home/u/shop', port: 8890, instance: 'box' };
const slug = projectSlug('/home/u/shop');

describe('buildIdentityHeaders', () => {
  it('builds the default set', () => {
    const { headers } = buildIdentityHeaders(identity, DEFAULT_HEADER_PROFILE, {});
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

  it('discloses the folder and the machine only as far as the user chose', () => {
    const metadataOf = (headers: Record<string, string>) => JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '') as Record<string, unknown>;
    const project = buildIdentityHeaders(identity, { ...DEFAULT_HEADER_PROFILE, identifies: 'project' }, {}).headers;
    expect(project['x-interceptor-instance']).toBeUndefined();
    expect(project['x-memory-user-id']).toBe(`pycharm-${slug}`);
    expect(project['x-pycharm-instance']).toBe(`pycharm-${slug}`);
    expect(metadataOf(project)).toEqual({ interceptor_project: slug, interceptor_port: 8890, interceptor_version: INTERCEPTOR_VERSION });
    expect(JSON.stringify(project)).not.toContain('box');

    const folder = buildIdentityHeaders(identity, { ...DEFAULT_HEADER_PROFILE, identifies: 'folder' }, {}).headers;
    expect(folder['x-interceptor-instance']).toBeUndefined();
    expect(folder['x-memory-user-id']).toBe('pycharm-shop');
    expect(metadataOf(folder)).toEqual({
      interceptor_project: slug,
      interceptor_folder: 'shop',
      interceptor_port: 8890,
      interceptor_version: INTERCEPTOR_VERSION,
      interceptor_path_hash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });

    const machine = buildIdentityHeaders(identity, { ...DEFAULT_HEADER_PROFILE, identifies: 'machine' }, {}).headers;
    expect(machine['x-interceptor-instance']).toBe('box');
    expect(metadataOf(machine).interceptor_instance).toBe('box');
    // A profile from before the setting existed sends everything, as it always did.
    const { identifies: _unset, ...legacy } = DEFAULT_HEADER_PROFILE;
    expect(buildIdentityHeaders(identity, legacy, {}).headers).toEqual(machine);
  });

  it('drops a client\'s own instance header even when it sends none of its own', () => {
    const profile = { ...DEFAULT_HEADER_PROFILE, identifies: 'project' as const };
    expect(isOwnHeaderName('x-interceptor-instance', profile)).toBe(true);
  });

  it('follows the profile', () => {
    const none = buildIdentityHeaders(identity, { litellm: false, seedCompat: false, endUserId: false }, {}).headers;
    expect(Object.keys(none).sort()).toEqual(['x-interceptor-instance', 'x-interceptor-port', 'x-interceptor-project']);
    const endUser = buildIdentityHeaders(identity, { ...DEFAULT_HEADER_PROFILE, endUserId: true }, {}).headers;
    expect(endUser['x-litellm-end-user-id']).toBe(slug);
  });

  it('names the attribution rule when the project was decided per request', () => {
    const { headers } = buildIdentityHeaders({ ...identity, attribution: 'focus' }, DEFAULT_HEADER_PROFILE, {});
    expect(headers['x-interceptor-attribution']).toBe('focus');
    expect(headers['x-litellm-tags']).toBe(`project:${slug},attribution:focus`);
    expect(JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '').interceptor_attribution).toBe('focus');
  });

  it('names the IDE when known', () => {
    const { headers } = buildIdentityHeaders({ ...identity, ide: { product: 'IntelliJ IDEA', version: '2025.1' } }, DEFAULT_HEADER_PROFILE, {});
    expect(headers['x-litellm-tags']).toBe(`project:${slug},ide:intellij-idea`);
    expect(JSON.parse(headers['x-litellm-spend-logs-metadata'] ?? '').interceptor_ide).toBe('IntelliJ IDEA 2025.1');
  });

  it('never produces an invalid header value, whatever the folder and IDE are called', () => {
    for (const folder of ['a\r\nInjected: yes', 'emoji 🎉', 'Ωmega', 'tab\there', '"quoted"', '']) {
      const { headers } = buildIdentityHeaders(
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

  it("drops the client's tags in our namespaces, whatever their case and spacing", () => {
    expect(mergeTags([' project:evil ,team:a', 'IDE:vim, Attribution:single,projects:ok'], ['project:x', 'ide:pycharm'])).toBe('team:a,projects:ok,project:x,ide:pycharm');
  });
});

describe('mergeSpendLogsMetadata', () => {
  const ours = { interceptor_project: 'p', interceptor_port: 1 };
  it("merges into an object the client sent; every interceptor_ key is ours, set by us or dropped", () => {
    const merged = mergeSpendLogsMetadata(['{"run":"r1","interceptor_port":99,"interceptor_folder":"evil","Interceptor_Project":"x"}'], ours);
    expect(merged.replaced).toBe(false);
    expect(JSON.parse(merged.value)).toEqual({ run: 'r1', interceptor_project: 'p', interceptor_port: 1 });
  });
  it('replaces anything but exactly one strict JSON object with ours', () => {
    for (const bad of [['[1]'], ['"s"'], ['null'], ['{'], ['x'], ['{"a":NaN}'], ["{'interceptor_project': 'evil'}"], ['{"a":1}', '{"b":2}']]) {
      const merged = mergeSpendLogsMetadata(bad, ours);
      expect(merged, JSON.stringify(bad)).toEqual({ value: JSON.stringify(ours), replaced: true });
    }
  });
  it('escapes non-ASCII coming from the client too', () => {
    expect(mergeSpendLogsMetadata(['{"who":"Zoë"}'], ours).value).toContain('Zo\\u00eb');
  });
});

describe('isOwnHeaderName', () => {
  it('owns every x-interceptor- name, and the LiteLLM and seed names while their profiles are on', () => {
    const all = { litellm: true, seedCompat: true, endUserId: true };
    const none = { litellm: false, seedCompat: false, endUserId: false };
    expect(isOwnHeaderName('x-interceptor-anything', none)).toBe(true);
    for (const name of ['x-litellm-tags', 'x-litellm-spend-logs-metadata', 'x-litellm-end-user-id', 'x-memory-user-id', 'x-pycharm-instance', 'x-source']) {
      expect(isOwnHeaderName(name, all), name).toBe(true);
      expect(isOwnHeaderName(name, none), name).toBe(false);
    }
    expect(isOwnHeaderName('x-litellm-api-key', all)).toBe(false);
  });
});

describe('identities decided per request (the IDE port)', () => {
  const profile = { litellm: true, seedCompat: true, endUserId: true };

  it('a project chosen by a rule carries the rule in a header, the metadata and a tag', () => {
    const { headers } = buildIdentityHeaders({ projectPath: '/home/me/app', port: 8887, attribution: 'focus' }, profile, {});
    expect(headers['x-interceptor-attribution']).toBe('focus');
    expect(headers['x-litellm-tags']?.split(',')).toContain('attribution:focus');
    expect(JSON.parse(headers['x-litellm-spend-logs-metadata'] as string)).toMatchObject({ interceptor_attribution: 'focus', interceptor_port: 8887 });
  });

  it('unattributed names no project: project:unattributed, no folder, no path hash', () => {
    const { headers } = buildIdentityHeaders({ projectPath: UNATTRIBUTED, port: 8887, attribution: UNATTRIBUTED }, profile, {
      'x-litellm-tags': 'team:x,project:forged',
    });
    expect(headers['x-interceptor-project']).toBe('unattributed');
    expect(headers['x-litellm-tags']).toBe('team:x,project:unattributed,attribution:unattributed');
    expect(headers['x-litellm-end-user-id']).toBe('unattributed');
    expect(headers['x-memory-user-id']).toBe('pycharm-unattributed');
    const metadata = JSON.parse(headers['x-litellm-spend-logs-metadata'] as string) as Record<string, unknown>;
    expect(metadata).toMatchObject({ interceptor_project: 'unattributed', interceptor_folder: '', interceptor_attribution: 'unattributed' });
    expect(metadata).not.toHaveProperty('interceptor_path_hash');
  });
});
