// Claude Code: `<project>/.claude/settings.local.json` (Claude Code's per-user, not-committed project
// settings). `env.ANTHROPIC_BASE_URL` is the proxy's root (Claude Code appends /v1/messages itself) and
// `apiKeyHelper` runs `interceptor token`, so the key comes from Interceptor and never sits in the file.
// Checked with Claude Code 2.1.197 in `-p` mode: the project file's env wins over the process's.
import path from 'node:path';
import type { ClientContext, ClientModule, FilePlan } from './client-module';
import { proxyRoot } from './client-module';
import { isJsonObject, parseJsonObject, setJsonValues } from './json-file';
import { loopbackPort } from './loopback-url';
import { UnparsableFileError } from './unparsable-file';

function settingsFile(ctx: ClientContext): string {
  return path.join(ctx.project, '.claude', 'settings.local.json');
}

/** An apiKeyHelper we wrote before: some spelling of the interceptor CLI running `token`. */
function isOurHelper(value: unknown): boolean {
  return typeof value === 'string' && /interceptor/i.test(value) && /\btoken\s*$/.test(value);
}

/** Keys with which Claude Code sends a key of the user's own instead of asking apiKeyHelper. */
const OWN_KEY_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'] as const;

export const claudeClient: ClientModule = {
  id: 'claude',
  supported: true,

  files: (ctx) => [{ file: settingsFile(ctx), scope: 'project' }],

  plan(ctx, read): FilePlan[] {
    const file = settingsFile(ctx);
    const before = read(file);
    try {
      const settings = before === null ? {} : parseJsonObject(before);
      const env = settings.env;
      if (env !== undefined && !isJsonObject(env)) throw new UnparsableFileError('"env" is not an object');
      const notes: string[] = [];
      const edits: Array<readonly [string[], unknown]> = [[['env', 'ANTHROPIC_BASE_URL'], proxyRoot(ctx)]];
      const ownKey = OWN_KEY_VARIABLES.find((name) => env !== undefined && typeof env[name] === 'string');
      if (ownKey) {
        notes.push(`keeps the ${ownKey} already in the file: Claude Code sends it instead of the local client token`);
      } else if (settings.apiKeyHelper !== undefined && !isOurHelper(settings.apiKeyHelper)) {
        notes.push('keeps the apiKeyHelper already in the file: Claude Code sends its key instead of the local client token');
      } else {
        edits.push([['apiKeyHelper'], ctx.tokenCommand]);
        notes.push(`the key: apiKeyHelper runs ${ctx.tokenCommand}, whose token Interceptor swaps for your LiteLLM key (nothing secret is written)`);
      }
      return [{ file, scope: 'project', after: setJsonValues(before, edits), notes }];
    } catch (error) {
      if (error instanceof UnparsableFileError) return [{ file, scope: 'project', problem: error.message }];
      throw error;
    }
  },

  notes: () => ['start it in the project folder as usual (`claude`); settings.local.json is read by the CLI and the IDE extensions alike'],

  portsIn(ctx, read) {
    const file = settingsFile(ctx);
    const text = read(file);
    if (text === null) return [];
    try {
      const env = parseJsonObject(text).env;
      const port = isJsonObject(env) ? loopbackPort(env.ANTHROPIC_BASE_URL) : undefined;
      return port === undefined ? [] : [{ file, port }];
    } catch {
      return [];
    }
  },
};
