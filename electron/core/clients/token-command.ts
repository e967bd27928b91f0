// The command a client runs to get the local client token (Claude Code's apiKeyHelper, the shell line
// for Junie and Codex). `interceptor` may not be on the client's PATH, so the command names the exact
// CLI that ran setup: its runtime and script by absolute path, and the registry when it is not the
// default one (the token lives beside the registry). Quoted for /bin/sh, which runs apiKeyHelper.

/** 'text' for /bin/sh: single quotes, with each ' written as '\''. */
export function shellQuote(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface TokenCommandSource {
  /** The argv that starts the interceptor CLI, e.g. [process.execPath, '/…/dist/cli/interceptor.js']. */
  cli: readonly string[];
  /** The registry file, when it is not the default one. */
  registry?: string;
}

/** The command as an argv, for a client that runs it without a shell (Codex's provider auth command). */
export function tokenArgv(source: TokenCommandSource): string[] {
  return [...source.cli, ...(source.registry !== undefined ? ['--registry', source.registry] : []), 'token'];
}

export function tokenCommand(source: TokenCommandSource): string {
  return tokenArgv(source).map(shellQuote).join(' ');
}

/** The switch that starts the desktop app as the CLI (electron/main/cli-mode.ts). */
export const APP_CLI_SWITCH = '--interceptor-cli';

/**
 * The desktop app's executable started as the CLI, as the packaged launchers (build/bin) start it:
 * its RunAsNode fuse is off, so it is never run in Node mode. On Linux no window is ever opened, and
 * Chromium's headless platform lets it start without a display.
 */
export function appCliArgv(execPath: string, platform: NodeJS.Platform = process.platform): string[] {
  return [execPath, ...(platform === 'linux' ? ['--ozone-platform=headless', '--disable-gpu'] : []), APP_CLI_SWITCH, '--'];
}

/**
 * How to start this CLI again (`interceptor setup`, `interceptor serve`): the runtime and the CLI
 * script under Node; the app's executable in CLI mode when the CLI runs inside the desktop app.
 * Undefined when this process is not the CLI.
 */
export function currentCli(argv: readonly string[] = process.argv, execPath = process.execPath, electron = process.versions.electron): string[] | undefined {
  const script = argv[1];
  if (script === undefined || !/interceptor(\.js)?$/.test(script)) return undefined;
  return electron === undefined ? [execPath, script] : appCliArgv(execPath);
}
