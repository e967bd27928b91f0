// The packaged `interceptor` command runs on the app's own executable, so no separate Node.js is
// needed. The RunAsNode fuse is off (electron-builder.yml): the executable cannot be used as a plain
// Node runtime (ELECTRON_RUN_AS_NODE is ignored), by us or by anyone else. Instead the launchers in
// build/bin start the app as `<app> --interceptor-cli -- <arguments>`, and main hands those arguments
// to the bundled CLI rather than starting the tray app. Everything after `--` is the user's: Chromium
// stops reading switches there, so `interceptor run --port …` never reaches it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_CLI_SWITCH } from '../core/clients/token-command';
import type { PathContext } from './app-paths';

export const CLI_SWITCH = APP_CLI_SWITCH;

/** The CLI's arguments when the app was started as the CLI; null for a normal start. */
export function cliArguments(argv: readonly string[]): string[] | null {
  const separator = argv.indexOf('--');
  const switchAt = argv.indexOf(CLI_SWITCH);
  if (switchAt < 0 || (separator >= 0 && switchAt > separator)) return null;
  return separator < 0 ? argv.slice(switchAt + 1) : argv.slice(separator + 1);
}

/**
 * The CLI bundle. A package keeps it unpacked beside app.asar (electron-builder.yml `asarUnpack`):
 * it imports the production node_modules, unpacked too, as real files.
 */
export function cliEntryFile(context: PathContext): string {
  return context.isPackaged
    ? path.join(context.resourcesPath, 'app.asar.unpacked', 'dist', 'cli', 'interceptor.js')
    : path.join(context.mainDir, '..', 'cli', 'interceptor.js');
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableEnded || stream.destroyed) resolve();
    else stream.write('', () => resolve());
  });
}

/**
 * Runs the CLI in this process as `node <entry> <args>` would, then exits with its code: the app's
 * event loop would otherwise keep the process alive. `exit` is app.exit.
 */
export async function runAsCli(args: readonly string[], entry: string, exit: (code: number) => void): Promise<void> {
  process.argv = [process.argv[0] ?? 'interceptor', entry, ...args];
  let code: number;
  try {
    // The entry runs the whole command in its top level (and sets process.exitCode) before this resolves.
    await import(pathToFileURL(entry).href);
    code = typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0) || 0;
  } catch (error) {
    process.stderr.write(`interceptor: cannot start the command line from ${entry} (${error instanceof Error ? error.message : String(error)})\n`);
    code = 70;
  }
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  exit(code);
}
