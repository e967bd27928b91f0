// The Continue CLI, user level: `cn` reads ~/.continue/config.yaml and ignores a project's
// .continue/ unless given flags (continue.ts writes that per-project block). Here the user config
// gets one model entry at the shared port: one URL for every project, each request attributed to the
// project `cn` works in (its working folder). The key is the same secret reference as the project
// block's, resolved from ~/.continue/.env, which every Continue setup keeps and undo leaves alone.
import path from 'node:path';
import type { ClientContext, ClientModule, FilePlan } from './client-module';
import { MODEL_PLACEHOLDER, sharedRoot } from './client-module';
import { continueEnvFile, redactEnv, renderContinueConfig, renderEnv } from './continue';
import { UnparsableFileError } from './unparsable-file';

export const CONTINUE_CLI_MODEL_NAME = 'Interceptor (one URL)';

export function continueUserConfig(home: string): string {
  return path.join(home, '.continue', 'config.yaml');
}

export const continueCliUserClient: ClientModule = {
  id: 'continue-cli',
  supported: true,
  files: (ctx) => [
    { file: continueUserConfig(ctx.home), scope: 'user' },
    { file: continueEnvFile(ctx.home), scope: 'user' },
  ],
  plan(ctx: ClientContext, read): FilePlan[] {
    const file = continueUserConfig(ctx.home);
    let config: ReturnType<typeof renderContinueConfig>;
    try {
      config = renderContinueConfig(ctx, read(file), { name: CONTINUE_CLI_MODEL_NAME, apiBase: `${sharedRoot(ctx)}/v1`, configName: 'Local Config' });
    } catch (error) {
      if (error instanceof UnparsableFileError) return [{ file, scope: 'user', problem: error.message }];
      throw error;
    }
    const notes = [
      'the Continue CLI reads only this user config by itself: it gets the shared port, one URL for every project, each request attributed to the project `cn` works in (its working folder)',
      `\`cn\` uses the first model of the file; when another comes first, choose "${CONTINUE_CLI_MODEL_NAME}" with /model`,
    ];
    if (config.model === MODEL_PLACEHOLDER) notes.push(`replace ${MODEL_PLACEHOLDER} with a model LiteLLM serves (or run setup again with --model NAME)`);
    const plans: FilePlan[] = [{ file, scope: 'user', after: config.text, notes }];
    const env = continueEnvFile(ctx.home);
    if (!config.ownKey) plans.push({ file: env, scope: 'user', after: renderEnv(read(env), ctx.clientToken()), redact: redactEnv, secret: true, keepOnUndo: true });
    return plans;
  },
  notes: () => ['undo with `interceptor setup --undo --client continue-cli`'],
  portsIn: () => [],
};
