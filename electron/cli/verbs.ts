// The verb table: every command `interceptor` knows, in the order `--help` lists them. Each verb's
// module is loaded only when that verb runs (esbuild splits them into chunks), so a one-shot
// registry command does not pay for the proxy, the dashboard or the settings schema at start-up.
import type { Command } from './command';

export interface Verb {
  name: string;
  /** One line for `interceptor --help`. */
  summary: string;
  load(): Promise<Command>;
}

export const VERBS: readonly Verb[] = [
  { name: 'list', summary: 'every project with its port and status', load: async () => (await import('./commands/list')).listCommand },
  { name: 'show', summary: 'the port of a project (default: the current folder)', load: async () => (await import('./commands/show')).showCommand },
  { name: 'allocate', summary: 'give a project a port (default: the current folder)', load: async () => (await import('./commands/allocate')).allocateCommand },
  { name: 'remove', summary: 'remove a mapping by project (default: the current folder) or by --port', load: async () => (await import('./commands/remove')).removeCommand },
  { name: 'check', summary: 'is a port usable: in range, not mapped, not reserved, free? (exit 0 yes, 1 no)', load: async () => (await import('./commands/check')).checkCommand },
  { name: 'reset', summary: 'remove every mapping (a backup of the file is written first)', load: async () => (await import('./commands/reset')).resetCommand },
  { name: 'prune', summary: 'remove mappings whose folders no longer exist (--dry-run to preview)', load: async () => (await import('./commands/prune')).pruneCommand },
  { name: 'where', summary: 'print the registry and settings file paths', load: async () => (await import('./commands/where')).whereCommand },
  { name: 'run', summary: 'run the proxy for a project folder in the foreground', load: async () => (await import('./commands/run')).runCommand },
  { name: 'serve', summary: 'serve every open project headless, with the web dashboard', load: async () => (await import('./commands/serve')).serveCommand },
  { name: 'open', summary: 'pin a folder: serve it without an IDE, across restarts', load: async () => (await import('./commands/open')).openCommand },
  { name: 'close', summary: 'unpin a folder opened with `open` (its mapping stays)', load: async () => (await import('./commands/open')).closeCommand },
  { name: 'setup', summary: "point the project's AI clients (Continue, Claude Code, Junie) at its port; --dry-run, --undo, --check", load: async () => (await import('./commands/setup')).setupCommand },
  { name: 'token', summary: 'print (or --rotate) the local client token that clients send instead of the LiteLLM key', load: async () => (await import('./commands/token')).tokenCommand },
  { name: 'status', summary: 'what the running Interceptor serves, or that none runs', load: async () => (await import('./commands/status')).statusCommand },
  { name: 'detect', summary: 'show the JetBrains IDEs and projects discovery sees, and why each is served or not', load: async () => (await import('./commands/detect')).detectCommand },
  { name: 'usage', summary: 'what each project, model or client spent (tokens, cost), from the local usage ledger', load: async () => (await import('./commands/usage')).usageCommand },
];

export function findVerb(name: string): Verb | undefined {
  return VERBS.find((verb) => verb.name === name);
}
