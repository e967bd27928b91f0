// Continue: a model block `<project>/.continue/models/interceptor.yaml`. The IDE extensions load every
// YAML block under a workspace's .continue/models besides ~/.continue/config.yaml; the CLI (`cn`) loads
// it with `cn --config .continue/models/interceptor.yaml`. One fixed model name, so the entry resolves
// to the right project's port in every project.
// The key: `apiKey: ${{ secrets.INTERCEPTOR_CLIENT_TOKEN }}`, which Continue resolves from
// ~/.continue/.env (then the workspace's .continue/.env and .env, then the environment). Setup keeps
// that line in ~/.continue/.env — outside every project — since an unresolved secret reaches the
// server as the literal `${{ … }}` text (Continue CLI 1.5.47), and no key at all as an empty Bearer.
import path from 'node:path';
import { Document, isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { redactSecret } from '../../../shared/format';
import type { ClientContext, ClientModule, FilePlan } from './client-module';
import { MODEL_PLACEHOLDER, proxyRoot, TOKEN_VARIABLE } from './client-module';
import { loopbackPort } from './loopback-url';
import { lineAndColumn, UnparsableFileError } from './unparsable-file';

export const CONTINUE_MODEL_NAME = 'Interceptor (LiteLLM)';
export const CONTINUE_BLOCK = path.join('.continue', 'models', 'interceptor.yaml');
const SECRET_REFERENCE = `\${{ secrets.${TOKEN_VARIABLE} }}`;
const ROLES = ['chat', 'edit', 'apply'];

function blockFile(ctx: ClientContext): string {
  return path.join(ctx.project, CONTINUE_BLOCK);
}

/** Where Continue reads local secrets first. */
export function continueEnvFile(home: string): string {
  return path.join(home, '.continue', '.env');
}

function envFile(ctx: ClientContext): string {
  return continueEnvFile(ctx.home);
}

function parseBlock(text: string): Document {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) throw new UnparsableFileError(`not valid YAML (${error.message.split('\n')[0]} at ${lineAndColumn(text, error.pos[0])})`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new UnparsableFileError('the top level is not a YAML mapping');
  const models = doc.get('models', true);
  if (models !== undefined && models !== null && !isSeq(models)) throw new UnparsableFileError('"models" is not a list');
  return doc;
}

function ourEntry(doc: Document, name = CONTINUE_MODEL_NAME): YAMLMap | undefined {
  const models = doc.get('models', true);
  if (!isSeq(models)) return undefined;
  return models.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === name);
}

/** Our model entry in a Continue config: its name, the URL it points at, the config's own name when created. */
export interface ContinueEntry {
  name: string;
  apiBase: string;
  configName: string;
}

/** The config with our model entry pointing at `entry.apiBase`; the rest of the file untouched. */
export function renderContinueConfig(ctx: ClientContext, before: string | null, target: ContinueEntry): { text: string; ownKey: boolean; model: string } {
  const doc = before === null || before.trim() === '' ? new Document({ name: target.configName, version: '1.0.0', schema: 'v1' }) : parseBlock(before);
  if (doc.contents === null) doc.contents = doc.createNode({}) as YAMLMap;
  const { apiBase } = target;
  const entry = ourEntry(doc, target.name);
  if (entry === undefined) {
    const model = ctx.model ?? MODEL_PLACEHOLDER;
    const created = { name: target.name, provider: 'openai', model, apiBase, apiKey: SECRET_REFERENCE, roles: ROLES };
    if (!isSeq(doc.get('models', true))) doc.set('models', doc.createNode([created]));
    else doc.addIn(['models'], doc.createNode(created));
    return { text: doc.toString({ lineWidth: 0 }), ownKey: false, model };
  }
  entry.set('provider', 'openai');
  entry.set('apiBase', apiBase);
  if (ctx.model !== undefined) entry.set('model', ctx.model);
  else if (typeof entry.get('model') !== 'string') entry.set('model', MODEL_PLACEHOLDER);
  const apiKey = entry.get('apiKey');
  if (apiKey === undefined) entry.set('apiKey', SECRET_REFERENCE);
  const model = entry.get('model') as string;
  return { text: doc.toString({ lineWidth: 0 }), ownKey: apiKey !== undefined && apiKey !== SECRET_REFERENCE, model };
}

const ENV_LINE = new RegExp(`^\\s*(?:export\\s+)?${TOKEN_VARIABLE}\\s*=.*$`, 'm');

/** ~/.continue/.env with our one line set, every other line kept. */
export function renderEnv(before: string | null, token: string): string {
  const line = `${TOKEN_VARIABLE}=${token}`;
  if (before === null || before === '') return `${line}\n`;
  if (ENV_LINE.test(before)) return before.replace(ENV_LINE, line);
  return `${before}${before.endsWith('\n') ? '' : '\n'}${line}\n`;
}

export function redactEnv(text: string): string {
  return text.replace(new RegExp(`^(\\s*(?:export\\s+)?${TOKEN_VARIABLE}\\s*=)(.*)$`, 'gm'), (_all, head: string, value: string) => `${head}${redactSecret(value.trim())}`);
}

export const continueClient: ClientModule = {
  id: 'continue',
  supported: true,

  files: (ctx) => [
    { file: blockFile(ctx), scope: 'project' },
    { file: envFile(ctx), scope: 'user' },
  ],

  plan(ctx, read): FilePlan[] {
    const file = blockFile(ctx);
    let block: ReturnType<typeof renderContinueConfig>;
    try {
      block = renderContinueConfig(ctx, read(file), { name: CONTINUE_MODEL_NAME, apiBase: `${proxyRoot(ctx)}/v1`, configName: CONTINUE_MODEL_NAME });
    } catch (error) {
      if (error instanceof UnparsableFileError) return [{ file, scope: 'project', problem: error.message }];
      throw error;
    }
    const notes: string[] = [];
    if (block.model === MODEL_PLACEHOLDER) notes.push(`replace ${MODEL_PLACEHOLDER} with a model LiteLLM serves (or run setup again with --model NAME)`);
    const plans: FilePlan[] = [];
    if (block.ownKey) {
      notes.push(`keeps the apiKey already in the "${CONTINUE_MODEL_NAME}" entry`);
      plans.push({ file, scope: 'project', after: block.text, notes });
      return plans;
    }
    notes.push(
      `the key: apiKey is ${SECRET_REFERENCE}, which Continue reads from ~/.continue/.env; setup keeps the local client token there (mode 0600, outside the project; run setup again after \`interceptor token --rotate\`)`,
    );
    plans.push({ file, scope: 'project', after: block.text, notes });
    plans.push({ file: envFile(ctx), scope: 'user', after: renderEnv(read(envFile(ctx)), ctx.clientToken()), redact: redactEnv, secret: true });
    return plans;
  },

  notes: () => [
    `the IDE extensions load .continue/models/ by themselves: pick "${CONTINUE_MODEL_NAME}" in the model list`,
    `the Continue CLI reads it with \`cn --config ${CONTINUE_BLOCK.split(path.sep).join('/')}\`; or, one URL for every project: \`interceptor setup --client continue-cli\` adds a model to ~/.continue/config.yaml at the shared port`,
  ],

  portsIn(ctx, read) {
    const file = blockFile(ctx);
    const text = read(file);
    if (text === null) return [];
    try {
      const port = loopbackPort(ourEntry(parseBlock(text))?.get('apiBase'));
      return port === undefined ? [] : [{ file, port }];
    } catch {
      return [];
    }
  },
};

/** Whether ~/.continue/.env holds a token other than the current one (after a rotation). */
export function continueTokenIsStale(envText: string | null, token: string): boolean {
  if (envText === null) return false;
  const match = new RegExp(`^\\s*(?:export\\s+)?${TOKEN_VARIABLE}\\s*=(.*)$`, 'm').exec(envText);
  return match !== null && (match[1] ?? '').trim() !== token;
}
