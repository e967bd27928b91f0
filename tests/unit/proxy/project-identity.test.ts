import { describe, expect, it } from 'vitest';
import {
  asciiJson,
  folderNameOf,
  headerSafeText,
  machineInstanceName,
  pathHash,
  projectSlug,
} from '../../../electron/core/proxy/project-identity';

describe('folderNameOf', () => {
  it.each([
    ['/home/u/my-app', 'my-app'],
    ['/home/u/my-app/', 'my-app'],
    ['C:\\Users\\u\\Proj', 'Proj'],
    ['/', ''],
    ['C:\\', ''],
  ])('%s → %j', (path, name) => expect(folderNameOf(path)).toBe(name));
});

describe('projectSlug', () => {
  it('is the lower-case folder name plus 6 hex of the path hash', () => {
    expect(projectSlug('/home/u/My_App.v2')).toBe(`my_app.v2-${pathHash('/home/u/My_App.v2').slice(0, 6)}`);
  });

  it('keeps two same-named folders apart', () => {
    expect(projectSlug('/a/app')).not.toBe(projectSlug('/b/app'));
    expect(projectSlug('/a/app').startsWith('app-')).toBe(true);
  });

  it.each([
    ['/p/Café Ünïcødé', /^cafe-unicode-[0-9a-f]{6}$/],
    ['/p/Straße', /^strasse-[0-9a-f]{6}$/],
    ['/p/日本語', /^project-[0-9a-f]{6}$/],
    ['/p/🚀 rocket', /^rocket-[0-9a-f]{6}$/],
    ['/p/line\nbreak', /^line-break-[0-9a-f]{6}$/],
    ['/p/...', /^project-[0-9a-f]{6}$/],
    ['/', /^project-[0-9a-f]{6}$/],
  ])('%j → ASCII [a-z0-9._-]', (path, pattern) => {
    const slug = projectSlug(path);
    expect(slug).toMatch(pattern);
    expect(slug).toMatch(/^[a-z0-9._-]+$/);
  });

  it('bounds the length', () => {
    expect(projectSlug(`/p/${'x'.repeat(500)}`).length).toBeLessThanOrEqual(48 + 7);
  });
});

describe('headerSafeText', () => {
  it('leaves printable ASCII as it is', () => expect(headerSafeText('my project-1_(a)')).toBe('my project-1_(a)'));
  it('percent-encodes non-ASCII, controls and % itself', () => {
    expect(headerSafeText('Café')).toBe('Caf%C3%A9');
    expect(headerSafeText('a\r\nb')).toBe('a%0D%0Ab');
    expect(headerSafeText('100%')).toBe('100%25');
    expect(headerSafeText('🚀')).toBe('%F0%9F%9A%80');
  });
  it('keeps trailing and leading spaces distinct', () => expect(headerSafeText(' a  ')).toBe('%20a%20%20'));
  it('is reversible, so names never collide', () => {
    for (const name of ['Café', 'Cafe', '100%', '100%25', 'a b', ' x', '\u{1F600}', 'lone \ud800 surrogate']) {
      const encoded = headerSafeText(name);
      expect(encoded).toMatch(/^[\x20-\x7e]*$/);
      if (!name.includes('\ud800')) expect(decodeURIComponent(encoded)).toBe(name);
    }
  });
});

describe('asciiJson', () => {
  it('escapes every non-ASCII character and stays parseable', () => {
    const value = { name: 'Café 🚀\n', n: 1 };
    const text = asciiJson(value);
    expect(text).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('machineInstanceName', () => {
  it.each([
    ['dev-box.local', 'dev-box.local'],
    ['Jürgen’s MacBook Pro', 'Jurgen-s-MacBook-Pro'],
    ['', 'unknown-host'],
    ['日本', 'unknown-host'],
  ])('%j → %j', (host, name) => expect(machineInstanceName(host)).toBe(name));
});
