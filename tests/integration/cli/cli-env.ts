// A CLI session in a temp folder: its own registry (through INTERCEPTOR_REGISTRY, as a user would
// configure it) and a range of ports chosen free at run time.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../../helpers/cli';
import type { CliResult, CliRunOptions } from '../../helpers/cli';
import { freePort } from '../../helpers/ports';
import { tempDir } from '../../helpers/temp';

export interface CliSession {
  dir: string;
  registry: string;
  range: { start: number; end: number };
  env: Record<string, string>;
  folder(name: string): Promise<string>;
  run(args: string[], options?: CliRunOptions): Promise<CliResult>;
}

export async function cliSession(size = 20): Promise<CliSession> {
  const dir = await tempDir('interceptor-cli-');
  const registry = path.join(dir, 'config', 'port_registry.json');
  // A window just above a port the OS handed out: unlikely to be busy, and if one is, allocation
  // skips it, which the tests tolerate by reading the port back instead of predicting it.
  const base = Math.min(await freePort(), 65535 - size);
  const range = { start: base, end: base + size - 1 };
  const env = { INTERCEPTOR_REGISTRY: registry, INTERCEPTOR_PORT_MIN: String(range.start), INTERCEPTOR_PORT_MAX: String(range.end) };
  return {
    dir,
    registry,
    range,
    env,
    async folder(name) {
      const folder = path.join(dir, 'projects', name);
      await mkdir(folder, { recursive: true });
      return folder;
    },
    run(args, options = {}) {
      return runCli(args, { ...options, env: { ...env, ...options.env } });
    },
  };
}
