// One ClientSetup per registry: its undo records live beside the registry (`client-setup/`), the token
// it hands clients is the one beside the registry, and the command that prints it names that registry
// when it is not the default one, since a client runs it without our environment.
import os from 'node:os';
import path from 'node:path';
import { ensureClientToken } from '../access/client-token';
import { clientTokenPathFor, defaultRegistryPath } from '../registry/paths';
import { ClientSetup } from './client-setup';
import { tokenArgv, tokenCommand } from './token-command';

export interface SetupForRegistryOptions {
  registryFile: string;
  /** The host clients dial for the proxies. */
  host: string;
  /** The argv that starts the interceptor CLI; without it clients are pointed at `interceptor` on the PATH. */
  cli?: readonly string[];
  home?: string;
  /** The shared port in force (user-level clients are pointed at it). */
  sharedPort: () => number;
  /** Codex's config folder ($CODEX_HOME), when set. */
  codexHome?: string;
}

export function clientSetupFor(options: SetupForRegistryOptions): ClientSetup {
  const home = options.home ?? os.homedir();
  const tokenFile = clientTokenPathFor(options.registryFile);
  const isDefault = path.resolve(options.registryFile) === path.resolve(defaultRegistryPath(home));
  const source = { cli: options.cli ?? ['interceptor'], ...(isDefault ? {} : { registry: options.registryFile }) };
  return new ClientSetup({
    stateDir: path.join(path.dirname(options.registryFile), 'client-setup'),
    tokenCommand: tokenCommand(source),
    tokenArgv: tokenArgv(source),
    clientToken: () => ensureClientToken(tokenFile),
    sharedPort: options.sharedPort,
    ...(options.codexHome ? { codexHome: options.codexHome } : {}),
    host: options.host,
    home,
  });
}
