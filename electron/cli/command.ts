// The shape every `interceptor` verb implements. One module per verb under commands/.
import type { Readable, Writable } from 'node:stream';

/** Options accepted before or after any verb. */
export interface GlobalOptions {
  registry?: string; // --registry PATH (else INTERCEPTOR_REGISTRY, else ~/.config/litellm/port_registry.json)
  portMin?: string; // --port-min (raw text; validated where used, errors name the flag)
  portMax?: string; // --port-max
  json: boolean; // --json: machine output on stdout, documented per verb
  debug: boolean; // --debug: stack traces on errors
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** stdin and stdout are a terminal: confirmations may be asked. */
  interactive: boolean;
}

export interface CliContext extends CliIo {
  /** Arguments after the verb, global flags already removed. */
  args: string[];
  globals: GlobalOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user asks the process to stop (SIGINT/SIGTERM); for long-running verbs. */
  stopSignal: AbortSignal;
}

/** Exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  negative: 1, // a negative answer: `check` says the port is not usable, nothing found
  usage: 2, // bad arguments, flags or environment values
  registry: 3, // registry file or lock error
  runtime: 4, // the verb started but failed (port taken, upstream problem at start)
} as const;

/** A verb's module; its one-line summary lives in the verb table (verbs.ts), which loads it on use. */
export interface Command {
  name: string;
  /** Full `interceptor <verb> --help` text. */
  help: string;
  run(ctx: CliContext): Promise<number>;
}
