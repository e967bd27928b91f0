// Junie CLI: a custom model profile `<project>/.junie/models/interceptor.json`, selected with
// `--model custom:interceptor` (the file name is the profile's id). Its `baseUrl` is the complete
// chat-completions endpoint, not a base; `apiKey` names an environment variable (`${VAR}`), which
// Junie resolves when it loads the profile and refuses to load the profile when it is unset.
import path from 'node:path';
import type { ClientContext, ClientModule, FilePlan } from './client-module';
import { MODEL_PLACEHOLDER, proxyRoot, TOKEN_VARIABLE } from './client-module';
import { parseJsonObject, setJsonValues } from './json-file';
import { loopbackPort } from './loopback-url';
import { UnparsableFileError } from './unparsable-file';

export const JUNIE_PROFILE = 'interceptor';
const KEY_REFERENCE = `\${${TOKEN_VARIABLE}}`;

function profileFile(ctx: ClientContext): string {
  return path.join(ctx.project, '.junie', 'models', `${JUNIE_PROFILE}.json`);
}

export const junieClient: ClientModule = {
  id: 'junie',
  supported: true,

  files: (ctx) => [{ file: profileFile(ctx), scope: 'project' }],

  plan(ctx, read): FilePlan[] {
    const file = profileFile(ctx);
    const before = read(file);
    try {
      const profile = before === null ? {} : parseJsonObject(before);
      const notes: string[] = [];
      const edits: Array<readonly [string[], unknown]> = [
        [['baseUrl'], `${proxyRoot(ctx)}/v1/chat/completions`],
        [['apiType'], 'OpenAICompletion'],
      ];
      if (ctx.model !== undefined) edits.push([['id'], ctx.model]);
      else if (typeof profile.id !== 'string') edits.push([['id'], MODEL_PLACEHOLDER]);
      const model = ctx.model ?? (typeof profile.id === 'string' ? profile.id : MODEL_PLACEHOLDER);
      if (model === MODEL_PLACEHOLDER) notes.push(`replace ${MODEL_PLACEHOLDER} with a model LiteLLM serves (or run setup again with --model NAME)`);
      if (profile.apiKey === undefined || profile.apiKey === KEY_REFERENCE) {
        edits.push([['apiKey'], KEY_REFERENCE]);
        notes.push(
          `the key: apiKey is ${KEY_REFERENCE}; export ${TOKEN_VARIABLE}="$(${ctx.tokenCommand})" in the shell that starts Junie (Junie refuses a profile whose variable is unset, and names it)`,
        );
      } else {
        notes.push('keeps the apiKey already in the profile');
      }
      return [{ file, scope: 'project', after: setJsonValues(before, edits), notes }];
    } catch (error) {
      if (error instanceof UnparsableFileError) return [{ file, scope: 'project', problem: error.message }];
      throw error;
    }
  },

  notes: () => [`start it with \`junie --model custom:${JUNIE_PROFILE}\` in the project folder`],

  portsIn(ctx, read) {
    const file = profileFile(ctx);
    const text = read(file);
    if (text === null) return [];
    try {
      const port = loopbackPort(parseJsonObject(text).baseUrl);
      return port === undefined ? [] : [{ file, port }];
    } catch {
      return [];
    }
  },
};
