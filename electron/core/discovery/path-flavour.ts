// Path rules shared by every source. Sources are told which platform's paths they handle (tests
// check the Windows and macOS rules on Linux), so they use this rather than `node:path` directly.
import path from 'node:path';

/** The path flavour of the target platform, whatever platform the code runs on. */
export function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** The identity used to tell whether two paths name the same project (Windows ignores case). */
export function projectPathKey(platform: NodeJS.Platform, projectPath: string): string {
  return platform === 'win32' ? projectPath.toLowerCase() : projectPath;
}

/** Normalised, without a trailing separator (a root such as "/" or "C:\" keeps its own). */
export function withoutTrailingSeparator(platform: NodeJS.Platform, value: string): string {
  const p = pathApi(platform);
  let result = p.normalize(value);
  while (result.length > 1 && result.endsWith(p.sep) && p.dirname(result) !== result) result = result.slice(0, -1);
  return result;
}

export function compareProjectPaths(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
