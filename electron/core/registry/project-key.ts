// Project keys: absolute, normalised, symlinks resolved with the OS's own realpath (which also gives
// the canonical letter case on macOS and Windows). A folder that no longer exists keeps a usable key:
// its nearest existing ancestor is resolved and the missing tail appended, so the key still matches
// the one stored while the folder existed (e.g. /tmp → /private/tmp on macOS).
import { realpath } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { InterceptorError } from '../errors';

// The promise API has no realpath.native; the native one is what gives the canonical case.
const nativeRealpath = promisify(realpath.native);

async function canonical(absolute: string): Promise<string> {
  try {
    return await nativeRealpath(absolute);
  } catch {
    // Missing, not a folder, a symlink loop or unreadable: resolve what we can above it.
    const parent = path.dirname(absolute);
    if (parent === absolute) return absolute;
    return path.join(await canonical(parent), path.basename(absolute));
  }
}

/** The registry key for a project folder given as typed (relative to `cwd`) or absolute. */
export async function normalizeProjectPath(input: string, cwd: string = process.cwd()): Promise<string> {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new InterceptorError('INVALID_ARGUMENT', 'the project path is empty');
  }
  if (input.includes('\0')) {
    throw new InterceptorError('INVALID_ARGUMENT', `the project path ${JSON.stringify(input)} contains a NUL character`);
  }
  return canonical(path.resolve(cwd, input));
}

/** The absolute, normalised form without resolving symlinks: how an older tool may have stored it. */
export function plainAbsolutePath(input: string, cwd: string = process.cwd()): string {
  return path.resolve(cwd, input);
}
