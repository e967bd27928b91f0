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

/**
 * The clients with one URL for a whole IDE or user, which the shared port serves: IDE-wide ones
 * (attributed by the IDE and the window in front) and command-line agents (by their working folder).
 */
export const ONE_URL_CLIENTS = 'AI Assistant, Copilot, ProxyAI, Cline, Claude Code, Codex, Continue CLI';

/**
 * One line for every front end: "One URL for every client (AI Assistant, …, Continue CLI): use
 * http://127.0.0.1:8887/v1"; without the client names where space is short (the tray menu).
 */
export function oneUrlLine(url: string, nameClients = true): string {
  return nameClients ? `One URL for every client (${ONE_URL_CLIENTS}): use ${url}` : `One URL for every client: ${url}`;
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

/** One copy-and-paste snippet for a client configured in the IDE (not by a file in the project). */
export interface ClientSnippet {
  id: string;
  title: string;
  hint: string;
  text: string;
}

/**
 * IDE-wide clients (JetBrains AI Assistant, ProxyAI, Copilot, Cline) read one configuration for every
 * project the IDE opens, so no file in a project can point them at it: they are pointed at the shared
 * IDE port, which attributes each request to the project it comes from. A client configured per
 * project (Continue, any OpenAI-compatible one) takes this project's own port. Every snippet is
 * built here, for the window and the CLI alike.
 */
export function ideWideNote(idePortUrl: string | null): string {
  return idePortUrl === null
    ? "The shared IDE port is not served right now (see its section on the Projects view), so the IDE-wide snippets name this project's port: every project of that IDE would then be billed to this one."
    : `AI Assistant and ProxyAI keep one configuration for the whole IDE: they get the shared IDE port (${idePortUrl}), which attributes each request to the project it comes from. Per-project clients get this project's port.`;
}

/**
 * `projectPort`: this project's; `idePort`: the shared IDE port when it is served (else the
 * IDE-wide clients fall back to the project's port, as ideWideNote says).
 */
export function ideWideSnippets(projectPort: number, projectName: string, bindHost?: string, idePort?: number): ClientSnippet[] {
  const ideWide = idePort ?? projectPort;
  return [
    {
      id: 'base-url',
      title: 'Base URL (any OpenAI-compatible client, per project)',
      hint: 'Paste it where the client asks for an OpenAI base URL or API base.',
      text: baseUrl(projectPort, bindHost),
    },
    {
      id: 'jetbrains',
      title: 'JetBrains AI Assistant (IDE-wide)',
      hint: 'Settings › Tools › AI Assistant › Models.',
      text: jetbrainsAiAssistantSnippet(ideWide, bindHost),
    },
    {
      id: 'continue',
      title: 'Continue (config.yaml, per project)',
      hint: 'Add this entry under models: and replace MODEL_NAME with a model LiteLLM serves.',
      text: continueYamlSnippet(projectPort, { name: projectName }, bindHost),
    },
    {
      id: 'proxyai',
      title: 'ProxyAI endpoint (IDE-wide)',
      hint: 'ProxyAI (CodeGPT) wants the full chat completions URL: use it as the custom OpenAI endpoint.',
      text: proxyAiEndpoint(ideWide, bindHost),
    },
  ];
}
