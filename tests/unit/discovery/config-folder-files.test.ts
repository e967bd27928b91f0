import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFilesChanged, readConfigFolderFiles } from '../../../electron/core/discovery/jetbrains/config-folder-files';
import { tempDir } from '../../helpers/temp';
import { fixture, mkdirp, put, replaceAtomically } from '../../fixtures/jetbrains/fixtures';

const linux = { platform: 'linux' as const };

async function folderWith(files: Record<string, string>): Promise<string> {
  const configDir = await tempDir('ide-files-');
  mkdirp(path.join(configDir, 'options'));
  for (const [name, text] of Object.entries(files)) put(path.join(configDir, 'options', name), text);
  return configDir;
}

describe('readConfigFolderFiles', () => {
  it('reads every recent-projects file present and the path macros', async () => {
    const configDir = await folderWith({
      'recentProjects.xml': fixture('modern/recentProjects-intellij.xml'),
      'path.macros.xml': fixture('macros/path.macros.xml'),
    });
    const files = await readConfigFolderFiles({ configDir }, undefined, linux);
    expect(files.recent.map((f) => [f.name, f.status, f.value.length])).toEqual([
      ['recentProjects.xml', 'ok', 7],
      ['recentSolutions.xml', 'missing', 0],
      ['recentProjectDirectories.xml', 'missing', 0],
    ]);
    expect(files.macros.status).toBe('ok');
    expect(files.macros.value.get('WORK')).toBe('/srv/work');
  });

  it.each(['broken/recentProjects-truncated.xml', 'broken/recentProjects-conflict.xml', 'broken/recentProjects-mismatched.xml'])(
    'keeps the last good entries when the file becomes %s, and records the error',
    async (broken) => {
      const configDir = await folderWith({ 'recentProjects.xml': fixture('modern/recentProjects-intellij.xml') });
      const file = path.join(configDir, 'options', 'recentProjects.xml');
      const good = await readConfigFolderFiles({ configDir }, undefined, linux);
      await replaceAtomically(file, fixture(broken));
      const after = await readConfigFolderFiles({ configDir }, good, linux);
      const recent = after.recent[0];
      expect(recent?.status).toBe('error');
      expect(recent?.stale).toBe(true);
      expect(recent?.error).toMatch(/^line \d+/);
      expect(recent?.value).toEqual(good.recent[0]?.value);

      // Still broken on the next read: still the last good entries, not nothing.
      const again = await readConfigFolderFiles({ configDir }, after, linux);
      expect(again.recent[0]?.value).toEqual(good.recent[0]?.value);

      await replaceAtomically(file, fixture('modern/recentProjects-pycharm-options.xml'));
      const fixed = await readConfigFolderFiles({ configDir }, again, linux);
      expect(fixed.recent[0]).toMatchObject({ status: 'ok', stale: false });
      expect(fixed.recent[0]?.value.map((r) => r.key)).toContain('$USER_HOME$/PycharmProjects/data-pipeline');
    },
  );

  it('a broken file with no earlier good version yields no entries and the error', async () => {
    const configDir = await folderWith({ 'recentProjects.xml': fixture('broken/recentProjects-conflict.xml') });
    const files = await readConfigFolderFiles({ configDir }, undefined, linux);
    expect(files.recent[0]).toMatchObject({ status: 'error', stale: false, value: [] });
  });

  it('with holdVanished, a file that disappears is kept for one more read', async () => {
    const configDir = await folderWith({ 'recentProjects.xml': fixture('modern/recentProjects-intellij.xml') });
    const options = { platform: 'linux' as const, holdVanished: true };
    const good = await readConfigFolderFiles({ configDir }, undefined, options);
    await rm(path.join(configDir, 'options', 'recentProjects.xml'));
    const first = await readConfigFolderFiles({ configDir }, good, options);
    expect(first.recent[0]).toMatchObject({ status: 'missing', vanishing: true });
    expect(first.recent[0]?.value.length).toBe(7);
    const second = await readConfigFolderFiles({ configDir }, first, options);
    expect(second.recent[0]).toMatchObject({ status: 'missing', value: [] });
    expect(second.recent[0]?.vanishing).toBeUndefined();
  });

  it('configFilesChanged notices replaced, new and deleted files and nothing else', async () => {
    const configDir = await folderWith({ 'recentProjects.xml': fixture('modern/recentProjects-intellij.xml') });
    const files = await readConfigFolderFiles({ configDir }, undefined, linux);
    expect(await configFilesChanged(files)).toBe(false);
    put(path.join(configDir, 'options', 'other.xml'), '<application/>');
    expect(await configFilesChanged(files)).toBe(false);

    await replaceAtomically(path.join(configDir, 'options', 'recentProjects.xml'), fixture('modern/recentProjects-pycharm-options.xml'));
    expect(await configFilesChanged(files)).toBe(true);

    const reread = await readConfigFolderFiles({ configDir }, files, linux);
    put(path.join(configDir, 'options', 'recentSolutions.xml'), fixture('rider/recentSolutions.xml'));
    expect(await configFilesChanged(reread)).toBe(true);

    const third = await readConfigFolderFiles({ configDir }, reread, linux);
    await rm(path.join(configDir, 'options', 'recentSolutions.xml'));
    expect(await configFilesChanged(third)).toBe(true);
  });
});
