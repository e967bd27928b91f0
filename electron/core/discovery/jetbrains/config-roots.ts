// Where each operating system keeps JetBrains (and Android Studio) config folders, as pure path
// arithmetic over an injected environment. Each root lists the folder whose children are IDE config
// folders and where the matching system (cache) folders live, which hold the old-style `port` file.
import { pathApi } from '../path-flavour';
import type { DiscoveryEnvironment } from './discovery-environment';

export type RootKind =
  | 'jetbrains' // 2020.1+: <config home>/JetBrains/<Product><Version>
  | 'google' // Android Studio 4.1+: <config home>/Google/AndroidStudio<Version>
  | 'legacy-home' // before 2020.1 on Linux and Windows: ~/.<Product><Version>/config
  | 'legacy-preferences' // before 2020.1 on macOS: ~/Library/Preferences/<Product><Version>
  | 'user'; // added by the user: an IDE config folder itself, or a folder of them

export interface SearchRoot {
  dir: string;
  kind: RootKind;
  /** Parent of the system folders matching this root's children (same child names), if known. */
  systemRoot?: string;
}

/** An absolute value of an environment variable, or undefined (relative XDG values must be ignored). */
function absoluteEnv(env: DiscoveryEnvironment, name: string): string | undefined {
  const value = env.env[name];
  if (value === undefined || value === '') return undefined;
  return pathApi(env.platform).isAbsolute(value) ? value : undefined;
}

export function searchRoots(env: DiscoveryEnvironment): SearchRoot[] {
  const p = pathApi(env.platform);
  const home = env.homedir;
  if (env.platform === 'darwin') {
    const support = p.join(home, 'Library', 'Application Support');
    const caches = p.join(home, 'Library', 'Caches');
    return [
      { dir: p.join(support, 'JetBrains'), kind: 'jetbrains', systemRoot: p.join(caches, 'JetBrains') },
      { dir: p.join(support, 'Google'), kind: 'google', systemRoot: p.join(caches, 'Google') },
      { dir: p.join(home, 'Library', 'Preferences'), kind: 'legacy-preferences', systemRoot: caches },
    ];
  }
  if (env.platform === 'win32') {
    const roaming = absoluteEnv(env, 'APPDATA') ?? p.join(home, 'AppData', 'Roaming');
    const local = absoluteEnv(env, 'LOCALAPPDATA') ?? p.join(home, 'AppData', 'Local');
    return [
      { dir: p.join(roaming, 'JetBrains'), kind: 'jetbrains', systemRoot: p.join(local, 'JetBrains') },
      { dir: p.join(roaming, 'Google'), kind: 'google', systemRoot: p.join(local, 'Google') },
      { dir: home, kind: 'legacy-home' },
    ];
  }
  // Linux and the other Unix-likes follow the XDG base directory spec.
  const config = absoluteEnv(env, 'XDG_CONFIG_HOME') ?? p.join(home, '.config');
  const cache = absoluteEnv(env, 'XDG_CACHE_HOME') ?? p.join(home, '.cache');
  return [
    { dir: p.join(config, 'JetBrains'), kind: 'jetbrains', systemRoot: p.join(cache, 'JetBrains') },
    { dir: p.join(config, 'Google'), kind: 'google', systemRoot: p.join(cache, 'Google') },
    { dir: home, kind: 'legacy-home' },
  ];
}
