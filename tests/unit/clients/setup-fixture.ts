// A ClientSetup over throw-away folders: a project, a home and a state folder of its own per test.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ClientSetup } from '../../../electron/core/clients';
import type { ClientId } from '../../../shared/client-setup';
import { tempDir } from '../../helpers/temp';

export const TOKEN = `sk-interceptor-${'t'.repeat(43)}`;
export const TOKEN_COMMAND = "'/opt/node' '/opt/interceptor.js' token";
export const TOKEN_ARGV = ['/opt/node', '/opt/interceptor.js', 'token'];
export const SHARED_PORT = 8887;

export interface SetupFixture {
  project: string;
  home: string;
  setup: ClientSetup;
  /** Plans and applies for one client at this port. */
  apply(client: ClientId, port: number, model?: string): ReturnType<ClientSetup['apply']>;
  plan(client: ClientId, port: number, model?: string): ReturnType<ClientSetup['plan']>;
  write(relative: string, text: string, mode?: number): Promise<string>;
  read(relative: string): Promise<string>;
}

export async function setupFixture(): Promise<SetupFixture> {
  const root = await tempDir('interceptor-clients-');
  const project = path.join(root, 'my project');
  const home = path.join(root, 'home');
  await mkdir(project, { recursive: true });
  await mkdir(home, { recursive: true });
  const setup = new ClientSetup({
    stateDir: path.join(root, 'state'),
    tokenCommand: TOKEN_COMMAND,
    tokenArgv: TOKEN_ARGV,
    clientToken: () => TOKEN,
    sharedPort: () => SHARED_PORT,
    host: '127.0.0.1',
    home,
  });
  const resolve = (relative: string) => (relative.startsWith('~/') ? path.join(home, relative.slice(2)) : path.join(project, relative));
  return {
    project,
    home,
    setup,
    apply: (client, port, model) => setup.apply({ project, port, clients: [client], ...(model ? { model } : {}) }),
    plan: (client, port, model) => setup.plan({ project, port, clients: [client], ...(model ? { model } : {}) }),
    async write(relative, text, mode) {
      const file = resolve(relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      if (mode !== undefined) await chmod(file, mode);
      return file;
    },
    read: (relative) => readFile(resolve(relative), 'utf8'),
  };
}
