// Pure formatting the tray, the window and the CLI share: the addresses a client points at, the
// snippets users paste into their IDE, and the redacted form of a secret.

/** The host a client should dial for a proxy bound to `bindHost` (wildcards are not dialable). */
export function clientHost(bindHost = '127.0.0.1'): string {
  if (bindHost === '0.0.0.0' || bindHost === '') return '127.0.0.1';
  if (bindHost === '::' || bindHost === '[::]') return '[::1]';
  if (bindHost.includes(':') && !bindHost.startsWith('[')) return `[${bindHost}]`;
  return bindHost;
}

/** The OpenAI-compatible base URL for a project's proxy: http://127.0.0.1:<port>/v1 */
export function baseUrl(port: number, bindHost?: string): string {
  return `http://${clientHost(bindHost)}:${port}/v1`;
}

/** The clients that have one URL for a whole IDE (or user) and so need the shared IDE port. */
export const IDE_WIDE_CLIENTS = 'AI Assistant, Copilot, ProxyAI, Cline';

/** One line for every front end: "IDE-wide clients (AI Assistant, Copilot, ProxyAI, Cline): use http://127.0.0.1:8887/v1". */
export function ideWideClientsLine(url: string): string {
  return `IDE-wide clients (${IDE_WIDE_CLIENTS}): use ${url}`;
}

/** ProxyAI (CodeGPT) wants the full chat completions endpoint, not the base URL. */
export function proxyAiEndpoint(port: number, bindHost?: string): string {
  return `${baseUrl(port, bindHost)}/chat/completions`;
}

/** Settings › Tools › AI Assistant › Models: "OpenAI-compatible" provider with this URL. */
export function jetbrainsAiAssistantSnippet(port: number, bindHost?: string): string {
  return [
    'JetBrains AI Assistant → Settings › Tools › AI Assistant › Models',
    '  Third-party AI providers: OpenAI API (OpenAI-compatible)',
    `  URL: ${baseUrl(port, bindHost)}`,
    '  Then press "Test Connection" and pick the models LiteLLM serves.',
  ].join('\n');
}

export interface ContinueSnippetOptions {
  /** Shown in Continue's model picker; the project name is a good choice. */
  name: string;
  /** The model name as LiteLLM knows it; a placeholder is written when unknown. */
  model?: string;
}

/** A double-quoted YAML scalar: JSON string syntax is valid YAML and escapes everything needed. */
function yamlString(text: string): string {
  return JSON.stringify(text);
}

/** An entry for Continue's config.yaml `models:` list. */
export function continueYamlSnippet(port: number, options: ContinueSnippetOptions, bindHost?: string): string {
  return [
    'models:',
    `  - name: ${yamlString(options.name)}`,
    '    provider: openai',
    `    model: ${yamlString(options.model ?? 'MODEL_NAME')}`,
    `    apiBase: ${yamlString(baseUrl(port, bindHost))}`,
    '    roles:',
    '      - chat',
    '      - edit',
    '      - apply',
  ].join('\n');
}

/**
 * Shows enough of a secret to recognise it, never enough to use it: "sk-…abcd" for long keys,
 * less for short ones (a 10-character key would be half revealed by prefix and suffix).
 */
export function redactSecret(secret: string): string {
  if (secret.length >= 16) {
    const dash = secret.indexOf('-');
    const prefix = dash > 0 && dash <= 3 ? secret.slice(0, dash + 1) : secret.slice(0, 3);
    return `${prefix}…${secret.slice(-4)}`;
  }
  if (secret.length >= 8) return `…${secret.slice(-2)}`;
  return '…';
}
