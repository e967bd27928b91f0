import { describe, expect, it } from 'vitest';
import { parseRecentProjectsXml, type RecentProjectRecord } from '../../../electron/core/discovery/jetbrains/recent-projects-file';
import { parsePathMacrosXml } from '../../../electron/core/discovery/jetbrains/path-macros-file';
import { fixture } from '../../fixtures/jetbrains/fixtures';

function records(name: string): RecentProjectRecord[] {
  const result = parseRecentProjectsXml(fixture(name));
  if (!result.ok) throw new Error(`${name}: ${result.error}`);
  return result.records;
}

function byKey(list: RecentProjectRecord[], key: string): RecentProjectRecord {
  const found = list.find((r) => r.key === key);
  if (!found) throw new Error(`no record ${key} in ${list.map((r) => r.key).join(', ')}`);
  return found;
}

describe('parseRecentProjectsXml', () => {
  it('reads the modern additionalInfo map with opened/hidden attributes and the meta options', () => {
    const list = records('modern/recentProjects-intellij.xml');
    expect(list.map((r) => r.key)).toEqual([
      '$USER_HOME$/IdeaProjects/billing-service',
      '$USER_HOME$/IdeaProjects/old-prototype',
      '$USER_HOME$/tmp/diff-scratch',
      '$USER_HOME$/Work & Play/café app',
      '$WORK$/payments-gateway',
      '$MYSTERY_ROOT$/unknown-place',
      '$APPLICATION_CONFIG_DIR$/light-edit',
    ]);
    expect(byKey(list, '$USER_HOME$/IdeaProjects/billing-service')).toEqual({
      key: '$USER_HOME$/IdeaProjects/billing-service',
      markedOpen: true,
      hidden: false,
      activationTimestamp: 1735812000000,
      projectOpenTimestamp: 1735800000000,
      frameTitle: 'billing-service – InvoiceController.kt',
      build: 'IU-243.22562.218',
      productionCode: 'IU',
      component: 'RecentProjectsManager',
    });
    expect(byKey(list, '$USER_HOME$/IdeaProjects/old-prototype').markedOpen).toBe(false);
    expect(byKey(list, '$USER_HOME$/tmp/diff-scratch')).toMatchObject({ markedOpen: true, hidden: true });
  });

  it('reads opened/hidden written as <option> children, in any case', () => {
    const list = records('modern/recentProjects-pycharm-options.xml');
    expect(byKey(list, '$USER_HOME$/PycharmProjects/data-pipeline')).toMatchObject({
      markedOpen: true,
      hidden: false,
      frameTitle: 'data-pipeline – etl.py',
      build: 'PY-251.23774.444',
    });
    expect(byKey(list, '$USER_HOME$/PycharmProjects/notebook-sandbox').markedOpen).toBe(false);
    expect(byKey(list, '$USER_HOME$/PycharmProjects/hidden-helper')).toMatchObject({ markedOpen: true, hidden: true });
  });

  it("reads Rider's RiderRecentProjectsManager with solution keys", () => {
    const list = records('rider/recentSolutions.xml');
    expect(list.map((r) => [r.key, r.markedOpen, r.component])).toEqual([
      ['$USER_HOME$/RiderProjects/Storefront/Storefront.sln', true, 'RiderRecentProjectsManager'],
      ['$USER_HOME$/RiderProjects/Tools/Cli/Cli.csproj', false, 'RiderRecentProjectsManager'],
      ['$USER_HOME$/RiderProjects/GameJam', true, 'RiderRecentProjectsManager'],
    ]);
  });

  it('reads RecentDirectoryProjectsManager recentPaths/openPaths lists', () => {
    const list = records('legacy/recentProjectDirectories.xml');
    expect(list.map((r) => [r.key, r.markedOpen])).toEqual([
      ['$USER_HOME$/WebstormProjects/landing-page', false],
      ['$USER_HOME$/WebstormProjects/admin-ui', true],
      ['$USER_HOME$/WebstormProjects/design-tokens', false],
    ]);
    expect(list[0]?.component).toBe('RecentDirectoryProjectsManager');
  });

  it('merges the 2019 lists with the map; a path only in openPaths is still open', () => {
    const list = records('legacy/recentProjects-2019.xml');
    expect(list.map((r) => [r.key, r.markedOpen])).toEqual([
      ['$USER_HOME$/IdeaProjects/inventory', false],
      ['$USER_HOME$/IdeaProjects/reports', true],
      ['$USER_HOME$/IdeaProjects/only-in-open-paths', true],
    ]);
    expect(byKey(list, '$USER_HOME$/IdeaProjects/inventory')).toMatchObject({ build: 'IU-193.6911.18', projectOpenTimestamp: 1580000000000 });
  });

  it('decodes entities and keeps Windows keys as written', () => {
    const list = records('windows/recentProjects.xml');
    expect(list.map((r) => r.key)).toEqual([
      'C:/Users/dev/source/repos/Shop & Co',
      '$USER_HOME$/IdeaProjects/my app',
      'D:\\work\\legacy-tool\\',
      '//fileserver/share/team-project',
      'c:/Users/dev/projects/lower-drive',
    ]);
    expect(list[0]?.frameTitle).toBe('Shop & Co – Program.java');
  });

  it('reads files with Windows line endings and a byte order mark the same way', () => {
    const lf = parseRecentProjectsXml(fixture('windows/recentProjects.xml'));
    const crlf = parseRecentProjectsXml('\uFEFF' + fixture('windows/recentProjects.xml').replace(/\n/g, '\r\n'));
    expect(crlf).toEqual(lf);
  });

  it('keeps unicode and numeric character references in keys', () => {
    expect(records('macos/recentProjects.xml').map((r) => r.key)).toEqual([
      '$USER_HOME$/Développement/日本語プロジェクト',
      '$USER_HOME$/go/src/🚀-launcher',
    ]);
  });

  it.each([
    ['broken/recentProjects-truncated.xml', /truncated/],
    ['broken/recentProjects-conflict.xml', /conflict markers/],
    ['broken/recentProjects-mismatched.xml', /does not match/],
  ])('returns an error with a position for %s', (name, pattern) => {
    const result = parseRecentProjectsXml(fixture(name));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(pattern);
      expect(result.error).toMatch(/^line \d+, column \d+: /);
    }
  });

  it('ignores components it does not know and accepts a file with no projects', () => {
    const result = parseRecentProjectsXml(
      '<application><component name="UpdatesConfigurable"><option name="recentPaths"><list><option value="/x"/></list></option></component></application>',
    );
    expect(result).toEqual({ ok: true, records: [] });
    expect(parseRecentProjectsXml('<application />')).toEqual({ ok: true, records: [] });
  });

  it('ignores timestamps that are not numbers', () => {
    const result = parseRecentProjectsXml(
      '<application><component name="RecentProjectsManager"><option name="additionalInfo"><map><entry key="/p"><value><RecentProjectMetaInfo><option name="activationTimestamp" value="soon"/></RecentProjectMetaInfo></value></entry></map></option></component></application>',
    );
    expect(result.ok && result.records[0]?.activationTimestamp).toBeUndefined();
  });
});

describe('parsePathMacrosXml', () => {
  it('reads the user path variables and skips empty ones', () => {
    const result = parsePathMacrosXml(fixture('macros/path.macros.xml'));
    expect(result.ok && [...result.macros]).toEqual([
      ['WORK', '/srv/work'],
      ['SHARED_HOME', '$USER_HOME$/shared'],
    ]);
  });

  it('returns an error for a broken file', () => {
    expect(parsePathMacrosXml('<application><component name="PathMacrosImpl">').ok).toBe(false);
  });
});
