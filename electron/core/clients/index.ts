// The client setup's public API: what the CLI's `setup` verb and the service use.
export { ClientSetup, shownPath } from './client-setup';
export type { ClientSetupOptions, SetupPlan, SetupRequest } from './client-setup';
export { CODEX_REFUSAL, codexCommandLine } from './codex';
export { CONTINUE_BLOCK, CONTINUE_MODEL_NAME } from './continue';
export { JUNIE_PROFILE } from './junie';
export { TOKEN_VARIABLE, MODEL_PLACEHOLDER } from './client-module';
export { appCliArgv, APP_CLI_SWITCH, currentCli, shellQuote, tokenCommand } from './token-command';
export type { TokenCommandSource } from './token-command';
export { clientSetupFor } from './setup-for-registry';
export type { SetupForRegistryOptions } from './setup-for-registry';
