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
  /** Set when the runtime is the app's own executable (ELECTRON_RUN_AS_NODE). */
  runAsNode?: boolean;
}

export function tokenCommand(source: TokenCommandSource): string {
  const parts = [...source.cli.map(shellQuote)];
  if (source.registry !== undefined) parts.push('--registry', shellQuote(source.registry));
  parts.push('token');
  return `${source.runAsNode ? 'ELECTRON_RUN_AS_NODE=1 ' : ''}${parts.join(' ')}`;
}

/**
 * How this process was started as the CLI, when it was (`interceptor setup`, `interceptor serve`):
 * the runtime and the CLI script. Undefined inside the desktop app, which passes its own launcher.
 */
export function currentCli(argv: readonly string[] = process.argv, execPath = process.execPath): string[] | undefined {
  const script = argv[1];
  if (script === undefined || !/interceptor(\.js)?$/.test(script)) return undefined;
  return [execPath, script];
}
