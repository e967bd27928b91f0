import { describe, expect, it } from 'vitest';
import type { ConfigFolderFiles, RecentFileState } from '../../../electron/core/discovery/jetbrains/config-folder-files';
import type { IdeConfigFolder } from '../../../electron/core/discovery/jetbrains/ide-config-folders';
import type { IdeLiveness } from '../../../electron/core/discovery/jetbrains/ide-liveness';
import { folderEntries, ideReport } from '../../../electron/core/discovery/jetbrains/ide-state';
import { jetBrainsProjects } from '../../../electron/core/discovery/jetbrains/jetbrains-projects';
import { parseRecentProjectsXml, type RecentProjectFileName } from '../../../electron/core/discovery/jetbrains/recent-projects-file';
import { fixture } from '../../fixtures/jetbrains/fixtures';

const running: IdeLiveness = { running: true, via: 'lock', pid: 4242, reason: 'process 4242 named in .lock is running' };
const stopped: IdeLiveness = { running: false, via: 'none', reason: 'no .lock or port file: the IDE is not running' };

function recentFile(name: RecentProjectFileName, xml: string, mtimeMs: number): RecentFileState {
  const parsed = parseRecentProjectsXml(xml);
  if (!parsed.ok) throw new Error(parsed.error);
  return { name, path: `/cfg/options/${name}`, status: 'ok', value: parsed.records, stale: false, stamp: { mtimeMs, size: 1, ino: 1 } };
}

function files(recent: RecentFileState[], macros = new Map<string, string>()): ConfigFolderFiles {
  return { recent, macros: { path: '/cfg/options/path.macros.xml', status: macros.size ? 'ok' : 'missing', value: macros, stale: false } };
}

const winIdea: IdeConfigFolder = {
  configDir: 'C:\\Users\\dev\\AppData\\Roaming\\JetBrains\\IntelliJIdea2024.3',
  product: 'IntelliJIdea',
  productName: 'IntelliJ IDEA',
  version: '2024.3',
  layout: 'modern',
};
const windows = { platform: 'win32' as const, homedir: 'C:\\Users\\dev', env: {} };

describe('folderEntries', () => {
  it('resolves a Windows file: drive letters, backslashes, UNC, &amp; and spaces', () => {
    const entries = folderEntries(winIdea, files([recentFile('recentProjects.xml', fixture('windows/recentProjects.xml'), 1)]), running, windows);
    expect(entries.map((e) => [e.path, e.open])).toEqual([
      ['C:\\Users\\dev\\source\\repos\\Shop & Co', true],
      ['C:\\Users\\dev\\IdeaProjects\\my app', true],
      ['\\\\fileserver\\share\\team-project', true],
      ['D:\\work\\legacy-tool', false],
      ['C:\\Users\\dev\\projects\\lower-drive', true],
    ]);
  });

  it('everything is closed while the IDE is not running', () => {
    const entries = folderEntries(winIdea, files([recentFile('recentProjects.xml', fixture('windows/recentProjects.xml'), 1)]), stopped, windows);
    expect(entries.every((e) => !e.open && !e.ideRunning)).toBe(true);
    expect(entries.filter((e) => e.markedOpen).every((e) => e.reason === 'marked open, but the IDE is not running')).toBe(true);
  });

  it('when two files list the same folder, the most recently written one wins', () => {
    const older = recentFile(
      'recentProjectDirectories.xml',
      '<application><component name="RecentDirectoryProjectsManager"><option name="openPaths"><list><option value="C:/src/app"/></list></option></component></application>',
      1000,
    );
    const newer = recentFile(
      'recentProjects.xml',
      '<application><component name="RecentProjectsManager"><option name="additionalInfo"><map><entry key="c:\\src\\app\\"><value><RecentProjectMetaInfo/></value></entry></map></option></component></application>',
      2000,
    );
    const entries = folderEntries(winIdea, files([older, newer]), running, windows);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ path: 'C:\\src\\app', file: 'recentProjects.xml', markedOpen: false, open: false });
  });

  it('the IDE report counts entries and macros and names the newest build', () => {
    const state = files([recentFile('recentProjects.xml', fixture('modern/recentProjects-intellij.xml'), 1)], new Map([['WORK', '/srv/work']]));
    const linuxIdea: IdeConfigFolder = { ...winIdea, configDir: '/home/ana/.config/JetBrains/IntelliJIdea2024.3' };
    const entries = folderEntries(linuxIdea, state, running, { platform: 'linux', homedir: '/home/ana', env: {} });
    const report = ideReport(linuxIdea, state, running, entries);
    expect(report.build).toBe('IU-243.22562.218');
    expect(report.files.map((f) => [f.name, f.status, f.entries])).toEqual([
      ['recentProjects.xml', 'ok', 7],
      ['path.macros.xml', 'ok', 1],
    ]);
    expect(report.userMacros).toEqual(['WORK']);
  });
});

describe('jetBrainsProjects', () => {
  const base = {
    file: 'recentProjects.xml' as const,
    product: 'IntelliJIdea',
    productName: 'IntelliJ IDEA',
    markedOpen: true,
    hidden: false,
    reason: '',
    unknownMacros: [],
  };

  it('one project per folder (case-insensitive on Windows); open wins over recent', () => {
    const projects = jetBrainsProjects(
      [
        { ...base, key: 'a', path: 'C:\\src\\App', configDir: 'old', version: '2024.2', ideRunning: false, open: false, lastActivated: 9 },
        { ...base, key: 'b', path: 'c:\\src\\app', configDir: 'new', version: '2024.3', ideRunning: true, open: true, lastActivated: 5 },
        { ...base, key: 'c', path: 'C:\\src\\Other', configDir: 'old', version: '2024.2', ideRunning: false, open: false, lastActivated: 1 },
        { ...base, key: 'd', path: 'C:\\src\\Other', configDir: 'new', version: '2024.3', ideRunning: true, open: false, lastActivated: 3 },
        { ...base, key: '$X$/y', configDir: 'new', ideRunning: true, open: false },
      ],
      'win32',
    );
    expect(projects.map((p) => [p.path, p.open, p.source.kind === 'jetbrains' && p.source.configDir])).toEqual([
      ['C:\\src\\Other', false, 'new'],
      ['c:\\src\\app', true, 'new'],
    ]);
  });
});
