import { describe, expect, it } from 'vitest';
import { resolveProjectKey, type MacroContext } from '../../../electron/core/discovery/jetbrains/project-path';

const linux: MacroContext = {
  platform: 'linux',
  homedir: '/home/ana',
  configDir: '/home/ana/.config/JetBrains/IntelliJIdea2024.3',
  userMacros: new Map([
    ['WORK', '/srv/work'],
    ['SHARED_HOME', '$USER_HOME$/shared'],
    ['BROKEN', '$NOPE$/x'],
  ]),
};

const windows: MacroContext = {
  platform: 'win32',
  homedir: 'C:\\Users\\dev',
  configDir: 'C:\\Users\\dev\\AppData\\Roaming\\JetBrains\\Rider2024.3',
  userMacros: new Map([['WORK', 'D:/work']]),
};

describe('resolveProjectKey', () => {
  it.each([
    ['$USER_HOME$/IdeaProjects/app', '/home/ana/IdeaProjects/app'],
    ['$USER_HOME$/Work & Play/café app', '/home/ana/Work & Play/café app'],
    ['$APPLICATION_CONFIG_DIR$/light-edit', '/home/ana/.config/JetBrains/IntelliJIdea2024.3/light-edit'],
    ['$WORK$/payments-gateway', '/srv/work/payments-gateway'],
    ['$SHARED_HOME$/lib', '/home/ana/shared/lib'],
    ['/opt/src/tool/', '/opt/src/tool'],
    ['/opt/src//tool/./x/..', '/opt/src/tool'],
    ['$USER_HOME$/RiderProjects/Storefront/Storefront.sln', '/home/ana/RiderProjects/Storefront'],
    ['$USER_HOME$/RiderProjects/Tools/Cli/Cli.csproj', '/home/ana/RiderProjects/Tools/Cli'],
    ['$USER_HOME$/old/legacy.ipr', '/home/ana/old'],
    ['/', '/'],
  ])('linux: %s → %s', (key, expected) => {
    expect(resolveProjectKey(key, linux)).toEqual({ path: expected, unknownMacros: [] });
  });

  it.each([
    ['C:/Users/dev/source/repos/Shop & Co', 'C:\\Users\\dev\\source\\repos\\Shop & Co'],
    ['$USER_HOME$/IdeaProjects/my app', 'C:\\Users\\dev\\IdeaProjects\\my app'],
    ['D:\\work\\legacy-tool\\', 'D:\\work\\legacy-tool'],
    ['//fileserver/share/team-project', '\\\\fileserver\\share\\team-project'],
    ['c:/Users/dev/projects/lower-drive', 'C:\\Users\\dev\\projects\\lower-drive'],
    ['/C:/Users/dev/odd-prefix', 'C:\\Users\\dev\\odd-prefix'],
    ['$WORK$/App/App.sln', 'D:\\work\\App'],
    ['C:/', 'C:\\'],
  ])('windows: %s → %s', (key, expected) => {
    expect(resolveProjectKey(key, windows)).toEqual({ path: expected, unknownMacros: [] });
  });

  it('flags unknown macros instead of guessing, and gives no path', () => {
    expect(resolveProjectKey('$MYSTERY_ROOT$/unknown-place', linux)).toEqual({
      unknownMacros: ['MYSTERY_ROOT'],
      problem: 'unknown path variable $MYSTERY_ROOT$',
    });
    expect(resolveProjectKey('$APPLICATION_HOME_DIR$/bin', linux).unknownMacros).toEqual(['APPLICATION_HOME_DIR']);
    // An unknown macro inside a user macro's value is flagged too.
    expect(resolveProjectKey('$BROKEN$/p', linux).unknownMacros).toEqual(['NOPE']);
  });

  it('refuses paths that are not absolute on the platform', () => {
    expect(resolveProjectKey('projects/app', linux).problem).toMatch(/not an absolute path/);
    expect(resolveProjectKey('C:/Users/dev/app', linux).problem).toMatch(/not an absolute path/);
    expect(resolveProjectKey('/home/dev/app', windows).problem).toMatch(/not an absolute path/);
    expect(resolveProjectKey('', linux).problem).toMatch(/not an absolute path/);
  });

  it('does not read a lone dollar sign as a macro', () => {
    expect(resolveProjectKey('//wsl$/Ubuntu/home/ana/app', windows)).toEqual({ path: '\\\\wsl$\\Ubuntu\\home\\ana\\app', unknownMacros: [] });
    expect(resolveProjectKey('/home/ana/price$5', linux).path).toBe('/home/ana/price$5');
  });
});
