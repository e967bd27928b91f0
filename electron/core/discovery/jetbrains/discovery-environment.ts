// The operating system facts discovery depends on, passed in rather than read from `process`, so a
// test on Linux can check the macOS and Windows layouts and a CLI can pass its own environment.
import os from 'node:os';

export interface DiscoveryEnvironment {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
}

export function resolveEnvironment(partial: Partial<DiscoveryEnvironment> = {}): DiscoveryEnvironment {
  const platform = partial.platform ?? process.platform;
  const env = partial.env ?? process.env;
  const fromEnv = platform === 'win32' ? (env.USERPROFILE ?? env.HOME) : env.HOME;
  const homedir = partial.homedir ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : os.homedir());
  return { platform, env, homedir };
}
