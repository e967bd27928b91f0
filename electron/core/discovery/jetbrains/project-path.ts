// Turns a recent-project key as the IDE wrote it into the project folder in the platform's own path
// syntax: expands $USER_HOME$, $APPLICATION_CONFIG_DIR$ and the user's path variables, accepts "/"
// and "\" and drive letters, and maps a solution or project file (Rider's .sln keys) to its folder.
// A macro we do not know is reported, never guessed: serving the wrong folder is worse than none.
import { pathApi, withoutTrailingSeparator } from '../path-flavour';

export interface MacroContext {
  platform: NodeJS.Platform;
  homedir: string;
  configDir: string;
  /** From options/path.macros.xml; values may themselves use the built-in macros. */
  userMacros: ReadonlyMap<string, string>;
}

export interface ResolvedProjectKey {
  /** The project folder, absent when the key cannot be resolved safely. */
  path?: string;
  /** `$NAME$` macros in the key that are neither built in nor defined by the user, without the `$`. */
  unknownMacros: string[];
  /** Why there is no path, in a few words. */
  problem?: string;
}

const MACRO = /\$([A-Za-z_][A-Za-z0-9_.-]*)\$/g;

/** Files that stand for the folder they are in: Rider solutions and projects, Unreal, IntelliJ .ipr. */
const PROJECT_FILE = /\.(?:sln|slnf|slnx|csproj|fsproj|vbproj|vcxproj|proj|uproject|ipr)$/i;

function expandBuiltIns(text: string, ctx: MacroContext, unknown: Set<string>, userMacros: boolean): string {
  return text.replace(MACRO, (whole, name: string) => {
    if (name === 'USER_HOME') return ctx.homedir;
    if (name === 'APPLICATION_CONFIG_DIR') return ctx.configDir;
    const user = userMacros ? ctx.userMacros.get(name) : undefined;
    if (user !== undefined) return expandBuiltIns(user, ctx, unknown, false);
    unknown.add(name);
    return whole;
  });
}

function isAbsoluteFor(platform: NodeJS.Platform, value: string): boolean {
  if (platform === 'win32') return /^[A-Za-z]:\\/.test(value) || /^\\\\[^\\]+\\[^\\]+/.test(value);
  return value.startsWith('/');
}

export function resolveProjectKey(key: string, ctx: MacroContext): ResolvedProjectKey {
  const unknown = new Set<string>();
  let value = expandBuiltIns(key.trim(), ctx, unknown, true);
  if (unknown.size > 0) {
    const names = [...unknown];
    return { unknownMacros: names, problem: `unknown path variable ${names.map((n) => `$${n}$`).join(', ')}` };
  }
  const p = pathApi(ctx.platform);
  if (ctx.platform === 'win32') {
    value = value.replace(/\//g, '\\');
    // Some writers prefix a drive path with a separator: "/C:/src" means "C:\src".
    value = value.replace(/^\\([A-Za-z]:\\)/, '$1');
    value = value.replace(/^([a-z]):/, (_m, drive: string) => `${drive.toUpperCase()}:`);
  }
  if (value === '' || !isAbsoluteFor(ctx.platform, value)) {
    return { unknownMacros: [], problem: 'not an absolute path on this system' };
  }
  let resolved = withoutTrailingSeparator(ctx.platform, value);
  if (PROJECT_FILE.test(resolved)) resolved = p.dirname(resolved);
  return { path: resolved, unknownMacros: [] };
}
