// A CLI session in a temp folder: its own registry (through INTERCEPTOR_REGISTRY, as a user would
// configure it) and a range of ports chosen free at run time.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../../helpers/cli';
import type { CliResult, CliRunOptions } from '../../helpers/cli';
import { claimPortRange } from '../../helpers/ports';
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
  // A block no other test file uses right now, below the ephemeral ports (see claimPortRange).
  const block = await claimPortRange();
  if (size > block.end - block.start + 1) throw new Error(`a CLI session can have at most ${block.end - block.start + 1} ports`);
  const range = { start: block.start, end: block.start + size - 1 };
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
