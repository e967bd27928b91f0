import { describe, expect, it } from 'vitest';
import { searchRoots } from '../../../electron/core/discovery/jetbrains/config-roots';

describe('searchRoots', () => {
  it('linux: XDG_CONFIG_HOME / XDG_CACHE_HOME when set and absolute', () => {
    expect(searchRoots({ platform: 'linux', homedir: '/home/ana', env: { XDG_CONFIG_HOME: '/cfg', XDG_CACHE_HOME: '/cache' } })).toEqual([
      { dir: '/cfg/JetBrains', kind: 'jetbrains', systemRoot: '/cache/JetBrains' },
      { dir: '/cfg/Google', kind: 'google', systemRoot: '/cache/Google' },
      { dir: '/home/ana', kind: 'legacy-home' },
    ]);
  });

  it('linux: ~/.config and ~/.cache when XDG is unset, empty or relative', () => {
    for (const env of [{}, { XDG_CONFIG_HOME: '' }, { XDG_CONFIG_HOME: 'relative/cfg' }]) {
      expect(searchRoots({ platform: 'linux', homedir: '/home/ana', env })[0]).toEqual({
        dir: '/home/ana/.config/JetBrains',
        kind: 'jetbrains',
        systemRoot: '/home/ana/.cache/JetBrains',
      });
    }
  });

  it('macOS: Application Support, Caches and the pre-2020 Preferences', () => {
    expect(searchRoots({ platform: 'darwin', homedir: '/Users/ana', env: { XDG_CONFIG_HOME: '/ignored' } })).toEqual([
      {
        dir: '/Users/ana/Library/Application Support/JetBrains',
        kind: 'jetbrains',
        systemRoot: '/Users/ana/Library/Caches/JetBrains',
      },
      { dir: '/Users/ana/Library/Application Support/Google', kind: 'google', systemRoot: '/Users/ana/Library/Caches/Google' },
      { dir: '/Users/ana/Library/Preferences', kind: 'legacy-preferences', systemRoot: '/Users/ana/Library/Caches' },
    ]);
  });

  it('windows: %APPDATA% and %LOCALAPPDATA%, with defaults under the profile', () => {
    const env = { APPDATA: 'C:\\Users\\dev\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' };
    expect(searchRoots({ platform: 'win32', homedir: 'C:\\Users\\dev', env })).toEqual([
      { dir: 'C:\\Users\\dev\\AppData\\Roaming\\JetBrains', kind: 'jetbrains', systemRoot: 'C:\\Users\\dev\\AppData\\Local\\JetBrains' },
      { dir: 'C:\\Users\\dev\\AppData\\Roaming\\Google', kind: 'google', systemRoot: 'C:\\Users\\dev\\AppData\\Local\\Google' },
      { dir: 'C:\\Users\\dev', kind: 'legacy-home' },
    ]);
    expect(searchRoots({ platform: 'win32', homedir: 'D:\\Profiles\\dev', env: {} })[0]).toEqual({
      dir: 'D:\\Profiles\\dev\\AppData\\Roaming\\JetBrains',
      kind: 'jetbrains',
      systemRoot: 'D:\\Profiles\\dev\\AppData\\Local\\JetBrains',
    });
  });
});
