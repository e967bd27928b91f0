// Where the registry and its neighbours live. HOME decides the default (os.homedir() honours it), so
// tests and users can point a whole session elsewhere with one variable.
import os from 'node:os';
import path from 'node:path';

export const REGISTRY_FILE_NAME = 'port_registry.json';
export const SETTINGS_FILE_NAME = 'interceptor-settings.json';
export const CLIENT_TOKEN_FILE_NAME = 'interceptor-client-token';

/** `~/.config/litellm/port_registry.json`, the seed's location, on every platform. */
export function defaultRegistryPath(home: string = os.homedir()): string {
  return path.join(home, '.config', 'litellm', REGISTRY_FILE_NAME);
}

/** The settings file sits beside the registry, so one `--registry` moves both. */
export function settingsPathFor(registryFile: string): string {
  return path.join(path.dirname(registryFile), SETTINGS_FILE_NAME);
}

/** The local client token (core/access/client-token.ts) sits beside the settings. */
export function clientTokenPathFor(registryFile: string): string {
  return path.join(path.dirname(registryFile), CLIENT_TOKEN_FILE_NAME);
}

/** proper-lockfile's lock (a folder) for the registry: `<file>.lock`. */
export function lockPathFor(registryFile: string): string {
  return `${registryFile}.lock`;
}

/** A leading `~` or `~/` in a path that came from the environment (no shell expanded it). */
export function expandHome(value: string, home: string = os.homedir()): string {
  if (value === '~') return home;
  if (value.startsWith('~/') || value.startsWith(`~${path.sep}`)) return path.join(home, value.slice(2));
  return value;
}
