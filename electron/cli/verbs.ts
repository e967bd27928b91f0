// The verb table: every command `interceptor` knows, in the order `--help` lists them.
import type { Command } from './command';
import { allocateCommand } from './commands/allocate';
import { checkCommand } from './commands/check';
import { detectCommand } from './commands/detect';
import { listCommand } from './commands/list';
import { closeCommand, openCommand } from './commands/open';
import { pruneCommand } from './commands/prune';
import { removeCommand } from './commands/remove';
import { resetCommand } from './commands/reset';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { showCommand } from './commands/show';
import { statusCommand } from './commands/status';
import { whereCommand } from './commands/where';

export const VERBS: readonly Command[] = [
  listCommand,
  showCommand,
  allocateCommand,
  removeCommand,
  checkCommand,
  resetCommand,
  pruneCommand,
  whereCommand,
  runCommand,
  serveCommand,
  openCommand,
  closeCommand,
  statusCommand,
  detectCommand,
];

export function findVerb(name: string): Command | undefined {
  return VERBS.find((verb) => verb.name === name);
}
