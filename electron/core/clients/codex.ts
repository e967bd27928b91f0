// Codex CLI: nothing can be written per project. Checked with Codex CLI 0.171.0: a project's
// `.codex/config.toml` is read only for trusted projects, and even then `model_provider` and
// `model_providers` are refused ("Ignored unsupported project-local config keys … model_provider,
// model_providers"), and Codex only reaches a custom server through a custom provider. Codex's
// user-level config (one URL for every project, the shared port) is codex-user.ts's, written when
// named (`--client codex`).
import type { ClientContext, ClientModule } from './client-module';
import { MODEL_PLACEHOLDER, proxyRoot, TOKEN_VARIABLE } from './client-module';

export const CODEX_REFUSAL =
  'Codex reads the provider only from its user-level config: a project\'s .codex/config.toml may not set model_provider or model_providers (Codex 0.171.0 ignores them: "unsupported project-local config keys"), so nothing is written';

/** The command line that points one Codex run at this project's proxy, without any file. */
export function codexCommandLine(ctx: ClientContext): string {
  const provider = `{name="Interceptor",base_url="${proxyRoot(ctx)}/v1",env_key="${TOKEN_VARIABLE}",wire_api="responses"}`;
  return `codex -c 'model_providers.interceptor=${provider}' -c model_provider=interceptor -m ${ctx.model ?? MODEL_PLACEHOLDER}`;
}

export const codexClient: ClientModule = {
  id: 'codex',
  supported: false,
  files: () => [],
  plan: () => [],
  notes: (ctx) => [
    CODEX_REFUSAL,
    `one URL for every project: \`interceptor setup --client codex\` points Codex's user config (~/.codex/config.toml) at the shared port ${ctx.sharedPort}, which attributes each request to the project Codex works in`,
    `or, for this project only, run Codex with the provider on its command line, the token in ${TOKEN_VARIABLE}: ${TOKEN_VARIABLE}="$(${ctx.tokenCommand})" ${codexCommandLine(ctx)}`,
  ],
  portsIn: () => [],
};
