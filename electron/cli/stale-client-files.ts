// After a project's port changed (a new allocation), its client files may still name the old one:
// say so on stderr, with the command that rewrites them.
import path from 'node:path';
import { clientSetupFor } from '../core/clients';
import type { CliContext } from './command';
import { writeWarning } from './output';
import { registryOptionsFromContext } from './registry-from-context';
import { settingsFromContext } from './settings-from-context';

export async function warnStaleClientFiles(ctx: CliContext, project: string, port: number): Promise<void> {
  const registryFile = registryOptionsFromContext(ctx).file;
  const setup = clientSetupFor({ registryFile, host: '127.0.0.1', sharedPort: () => settingsFromContext(ctx, registryFile).values.idePort.value });
  const stale = await setup.staleFiles(project, port).catch(() => []);
  if (stale.length === 0) return;
  const files = stale.map((entry) => `${path.relative(project, entry.file) || entry.file} (port ${entry.port})`).join(', ');
  writeWarning(ctx.stderr, `client files of this project still point at its old port: ${files}; rewrite them with: interceptor setup ${JSON.stringify(project)}`);
}
