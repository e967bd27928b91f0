// What to paste into each IDE for one project, each with its own copy button. The text comes from
// shared/format.ts, the same formatters the tray and the CLI use.
import type { ProjectState } from '../shared/api';
import { baseUrl, continueYamlSnippet, jetbrainsAiAssistantSnippet, proxyAiEndpoint } from '../shared/format';
import { CopyButton } from './copy-button';
import { Modal } from './modal';

interface Snippet {
  id: string;
  title: string;
  hint: string;
  text: string;
}

export function clientSnippets(project: ProjectState & { port: number }, bindHost?: string): Snippet[] {
  const { port } = project;
  return [
    {
      id: 'base-url',
      title: 'Base URL (any OpenAI-compatible client)',
      hint: 'Paste it where the client asks for an OpenAI base URL or API base.',
      text: baseUrl(port, bindHost),
    },
    {
      id: 'jetbrains',
      title: 'JetBrains AI Assistant',
      hint: 'Settings › Tools › AI Assistant › Models.',
      text: jetbrainsAiAssistantSnippet(port, bindHost),
    },
    {
      id: 'continue',
      title: 'Continue (config.yaml)',
      hint: 'Add this entry under models: and replace MODEL_NAME with a model LiteLLM serves.',
      text: continueYamlSnippet(port, { name: project.name }, bindHost),
    },
    {
      id: 'proxyai',
      title: 'ProxyAI endpoint',
      hint: 'ProxyAI (CodeGPT) wants the full chat completions URL: use it as the custom OpenAI endpoint.',
      text: proxyAiEndpoint(port, bindHost),
    },
  ];
}

interface ClientSetupDialogProps {
  project: ProjectState & { port: number };
  bindHost?: string;
  onClose: () => void;
}

export function ClientSetupDialog({ project, bindHost, onClose }: ClientSetupDialogProps) {
  return (
    <Modal title={`Client setup for ${project.name}`} onClose={onClose} class="modal-wide">
      <div class="modal-body snippets">
        {clientSnippets(project, bindHost).map((snippet) => (
          <section class="snippet" key={snippet.id} data-snippet={snippet.id} aria-labelledby={`snippet-${snippet.id}`}>
            <div class="snippet-head">
              <h3 id={`snippet-${snippet.id}`}>{snippet.title}</h3>
              <CopyButton
                text={snippet.text}
                label="Copy"
                what={`${snippet.title} snippet for ${project.name}`}
                describedBy={`snippet-${snippet.id}`}
              />
            </div>
            <p class="muted">{snippet.hint}</p>
            <pre class="snippet-text">
              <code>{snippet.text}</code>
            </pre>
          </section>
        ))}
      </div>
      <div class="modal-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
