import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeProjectPath } from '../../../electron/core/registry/index';
import { tempDir } from '../../helpers/temp';

describe('normalizeProjectPath', () => {
  it('makes relative paths absolute against cwd and normalises . and ..', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'a', 'b'), { recursive: true });
    expect(await normalizeProjectPath('b', path.join(root, 'a'))).toBe(path.join(root, 'a', 'b'));
    expect(await normalizeProjectPath(`${root}/a/./b/../b/`)).toBe(path.join(root, 'a', 'b'));
  });

  it('resolves symlinks to the real folder', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'real'));
    await symlink(path.join(root, 'real'), path.join(root, 'link'));
    expect(await normalizeProjectPath(path.join(root, 'link'))).toBe(path.join(root, 'real'));
  });

  it('keeps a usable key for a folder that no longer exists, resolving the part that does', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'real'));
    await symlink(path.join(root, 'real'), path.join(root, 'link'));
    await mkdir(path.join(root, 'real', 'gone'));
    const whileThere = await normalizeProjectPath(path.join(root, 'link', 'gone'));
    await rm(path.join(root, 'real', 'gone'), { recursive: true });
    expect(await normalizeProjectPath(path.join(root, 'link', 'gone'))).toBe(whileThere);
    expect(await normalizeProjectPath(path.join(root, 'never', 'was'))).toBe(path.join(root, 'never', 'was'));
  });

  it('handles spaces, unicode and very long names', async () => {
    const root = await tempDir();
    const segment = `${'ü 日本 😀 x'.repeat(14)}`.slice(0, 100); // ~200+ bytes in UTF-8
    let deep = root;
    for (let i = 0; i < 8; i += 1) deep = path.join(deep, `${i} ${segment}`);
    await mkdir(deep, { recursive: true });
    expect(Buffer.byteLength(deep)).toBeGreaterThan(1000);
    expect(await normalizeProjectPath(deep)).toBe(deep);
    const spaced = path.join(root, 'my project (copy)');
    await mkdir(spaced);
    expect(await normalizeProjectPath(spaced)).toBe(spaced);
  });

  it('rejects an empty path or one with NUL', async () => {
    await expect(normalizeProjectPath('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(normalizeProjectPath('  ')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(normalizeProjectPath('/a\0b')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
