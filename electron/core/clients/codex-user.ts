// Codex CLI, user level: `$CODEX_HOME/config.toml` (default ~/.codex/config.toml) gets a provider at
// the shared port and selects it. Codex takes its provider only from this file (a project's
// .codex/config.toml may not set one, see codex.ts), so one URL serves every project and the shared
// port attributes each request to the project Codex works in (its working folder). The key: Codex
// runs `interceptor token` itself ([model_providers.interceptor.auth], command and args, no shell),
// so no token is stored. The rest of the file — comments, MCP servers, trusted projects — is kept:
// it is edited with a TOML library that preserves formatting.
import path from 'node:path';
import { parse, patch } from '@decimalturn/toml-patch';
import type { ClientContext, ClientModule, FilePlan } from './client-module';
import { sharedRoot } from './client-module';
import { UnparsableFileError } from './unparsable-file';

export const CODEX_PROVIDER_ID = 'interceptor';
/** Provider keys that would send another credential than the one the auth command prints. */
const OTHER_CREDENTIALS = ['env_key', 'experimental_bearer_token', 'requires_openai_auth'] as const;

export function codexUserConfig(ctx: Pick<ClientContext, 'codexHome'>): string {
  return path.join(ctx.codexHome, 'config.toml');
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function parseConfig(text: string): Table {
  try {
    return parse(text) as Table;
  } catch (error) {
    throw new UnparsableFileError(`not valid TOML (${(error as Error).message.split('\n')[0]})`);
  }
}

/** The config with our provider at the shared port, selected; everything else as it was. */
export function renderCodexConfig(ctx: ClientContext, before: string | null): string {
  const current = before === null || before.trim() === '' ? {} : parseConfig(before);
  const providers = current.model_providers ?? {};
  if (!isTable(providers)) throw new UnparsableFileError('"model_providers" is not a table');
  const existing = providers[CODEX_PROVIDER_ID] ?? {};
  if (!isTable(existing)) throw new UnparsableFileError(`"model_providers.${CODEX_PROVIDER_ID}" is not a table`);
  const [command, ...args] = ctx.tokenArgv;
  const ours: Table = { ...existing, name: 'Interceptor (LiteLLM)', base_url: `${sharedRoot(ctx)}/v1`, wire_api: 'responses', auth: { command, args, timeout_ms: 10_000 } };
  for (const key of OTHER_CREDENTIALS) delete ours[key];
  const updated: Table = { ...current, model_provider: CODEX_PROVIDER_ID, model_providers: { ...providers, [CODEX_PROVIDER_ID]: ours } };
  if (ctx.model !== undefined) updated.model = ctx.model;
  const text = before === null || before.trim() === '' ? patch('', updated, { inlineTableStart: 3 }) : patch(before, updated, { inlineTableStart: 3 });
  // What the library wrote must read back as what we meant, or the file is not touched.
  const check = parseConfig(text);
  const written = (check.model_providers as Table | undefined)?.[CODEX_PROVIDER_ID] as Table | undefined;
  if (check.model_provider !== CODEX_PROVIDER_ID || written?.base_url !== ours.base_url) throw new UnparsableFileError('could not be edited without changing its meaning');
  return text;
}

export const CODEX_USER_WHY =
  "Codex takes its provider only from the user-level config (a project's .codex/config.toml may not set one), so it gets the shared port: one URL for every project, each request attributed to the project Codex works in (its working folder)";

export const codexUserClient: ClientModule = {
  id: 'codex',
  supported: true,
  files: (ctx) => [{ file: codexUserConfig(ctx), scope: 'user' }],
  plan(ctx, read): FilePlan[] {
    const file = codexUserConfig(ctx);
    try {
      const notes = [CODEX_USER_WHY, `the key: Codex runs \`${ctx.tokenCommand}\` itself ([model_providers.${CODEX_PROVIDER_ID}.auth]); no token is stored`];
      if (ctx.model === undefined) notes.push('the model stays the one the file names; give --model NAME to set one LiteLLM serves');
      return [{ file, scope: 'user', after: renderCodexConfig(ctx, read(file)), notes }];
    } catch (error) {
      if (error instanceof UnparsableFileError) return [{ file, scope: 'user', problem: error.message }];
      throw error;
    }
  },
  notes: () => ['undo with `interceptor setup --undo --client codex`'],
  portsIn: () => [],
};
